"""Pages of a list (ADR pagination: `page` and `pageSize`, links in the `Link` header)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which page the caller asks for (1-based)."""

    page: int = 1
    page_size: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list, with the total count for the pagination links."""

    items: list[T]
    page: int
    page_size: int
    total: int

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.page_size))
