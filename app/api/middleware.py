"""One ASGI middleware for what every response needs: request id, `API-Version`, security
headers, a body-size limit and one structured access-log line (no personal data)."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import API_VERSION
from app.logs import request_id_var

logger = logging.getLogger("thuiszitters.access")

# A caller's request id is taken over only when it is a UUID: free text could carry personal
# data (a BSN) into every log line and audit row.
_REQUEST_ID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)

API_SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"referrer-policy", b"no-referrer"),
    (b"strict-transport-security", b"max-age=31536000"),
]
# The interactive documentation is HTML with its own (bundled, same-origin) scripts.
DOCS_CSP = (
    b"default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'"
)


def _route(scope: Scope, root_path: str) -> str:
    """The template of the matched route with the prefix of its mount (`/v1/leerlingen/
    {leerlingId}`), never the path itself: a path can hold a child's id."""
    template = getattr(scope.get("route"), "path_format", None)
    if not isinstance(template, str) or not template:
        return "(geen route)"
    mount = str(scope.get("root_path", ""))[len(root_path) :]
    return mount + template


class _BodyTooLarge(HTTPException):
    """Raised while the body is read; an HTTPException so that FastAPI passes it on as is."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


class EdgeMiddleware:
    """The outermost layer of the application."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, docs_prefix: str = "/v1/docs") -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.docs_prefixes = (docs_prefix, "/v1/redoc", "/v1/static")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder: dict[str, Any] = {"status": 500, "started": False}
        is_docs = scope["path"].startswith(self.docs_prefixes)
        root_path = scope.get("root_path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {b"api-version", b"x-request-id"}
                ]
                headers.append((b"api-version", API_VERSION.encode()))
                headers.append((b"x-request-id", request_id.encode()))
                for name, value in API_SECURITY_HEADERS:
                    is_csp = name == b"content-security-policy"
                    headers.append((name, DOCS_CSP if is_docs and is_csp else value))
                message["headers"] = headers
            await send(message)

        try:
            length = dict(scope["headers"]).get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
                await self._too_large(scope, send_with_headers, request_id)
                return
            await self.app(scope, self._limited(receive), send_with_headers)
        except _BodyTooLarge:
            if not status_holder["started"]:
                await self._too_large(scope, send_with_headers, request_id)
        except Exception:
            # The application's own handler has logged it and, normally, answered with a 500
            # problem already; an error escaping before any answer still gets one.
            if not status_holder["started"]:
                await self._problem(
                    send_with_headers,
                    request_id,
                    500,
                    "interne-fout",
                    "Interne fout",
                    detail="Er ging iets mis aan onze kant.",
                )
        finally:
            logger.info(
                "request",
                extra={
                    "http_method": scope["method"],
                    "route": _route(scope, root_path),
                    "status": status_holder["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)

    def _limited(self, receive: Receive) -> Receive:
        received = 0
        limit = self.max_body_bytes

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        return limited_receive

    async def _too_large(self, scope: Scope, send: Send, request_id: str) -> None:
        await self._problem(
            send,
            request_id,
            413,
            "verzoek-te-groot",
            "Verzoek te groot",
            detail=f"Het verzoek is groter dan {self.max_body_bytes} bytes.",
        )

    @staticmethod
    async def _problem(
        send: Send, request_id: str, status: int, slug: str, title: str, *, detail: str
    ) -> None:
        body = json.dumps(
            {
                "type": f"urn:thuiszitters:probleem:{slug}",
                "title": title,
                "status": status,
                "detail": detail,
                "instance": f"urn:thuiszitters:verzoek:{request_id}",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


# -- CORS: the browser pages of the origins in THUISZITTERS_CORS_ORIGINS (Fetch standard) --------
# No credentials mode: the bearer token travels in `Authorization`, never in a cookie.
CORS_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CORS_REQUEST_HEADERS = (
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "X-Request-Id",
)
CORS_EXPOSED_HEADERS = (
    "ETag",
    "Location",
    "Link",
    "API-Version",
    "Retry-After",
    "X-Request-Id",
    "Deprecation",
    "Sunset",
)
CORS_PREFLIGHT_SECONDS = 600


def met_cors(app: ASGIApp, origins: list[str]) -> ASGIApp:
    """`app` answering preflights and adding CORS headers for the allowed origins only."""
    if not origins:
        return app
    return CORSMiddleware(
        app,
        allow_origins=list(origins),
        allow_methods=list(CORS_METHODS),
        allow_headers=list(CORS_REQUEST_HEADERS),
        expose_headers=list(CORS_EXPOSED_HEADERS),
        allow_credentials=False,
        max_age=CORS_PREFLIGHT_SECONDS,
    )
