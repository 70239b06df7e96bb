"""Pagination links (RFC 8288 `Link` header) for list responses."""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import parse_qsl, urlencode

from fastapi import Request, Response

from app.api.schemas import Paginering
from app.services.pagination import Page

T = TypeVar("T")


def paginate(request: Request, response: Response, page: Page[T]) -> Paginering:
    """Set `Link` and `X-Total-Count` and return the body's pagination block."""
    url = request.url
    # The request's own query with `page` and `pageSize` moved to the end, as
    # `URL.include_query_params` would give it, encoded once for every link (decision 0047).
    overig = [
        (k, v)
        for k, v in parse_qsl(url.query, keep_blank_values=True)
        if k not in {"page", "pageSize"}
    ]
    basis = f"{url.path}?{urlencode(overig)}{'&' if overig else ''}page="
    grootte = f"&pageSize={page.page_size}>; rel="

    def link(number: int, rel: str) -> str:
        return f'<{basis}{number}{grootte}"{rel}"'

    links = [link(1, "first")]
    if page.page > 1:
        links.append(link(min(page.page - 1, page.last_page), "prev"))
    if page.page < page.last_page:
        links.append(link(page.page + 1, "next"))
    links.append(link(page.last_page, "last"))
    response.headers["Link"] = ", ".join(links)
    response.headers["X-Total-Count"] = str(page.total)
    return Paginering(
        pagina=page.page,
        pagina_grootte=page.page_size,
        totaal=page.total,
        totaal_paginas=page.last_page,
    )
