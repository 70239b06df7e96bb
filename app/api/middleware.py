"""One ASGI middleware for what every response needs: request id, `API-Version`, security
headers, a body-size limit, HTTP semantics every route shares (HEAD as GET without a body, 406 on
an `Accept` the API cannot serve, 304 on a matching `If-None-Match`; RFC 9110 §9.3.2, §12.5.1,
§13.1.2) and one structured access-log line (no personal data)."""

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


MEDIA_TYPES = (
    "application/json",
    "application/problem+json",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
"""What the API answers in; an `Accept` that allows none of these is a 406 before any work."""


def _media_ranges(accept: str) -> list[str]:
    """The media ranges of an `Accept` header that are not refused with `q=0`, lower case."""
    ranges: list[str] = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        refused = False
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    refused = float(value.strip()) == 0
                except ValueError:
                    refused = False
        if not refused:
            ranges.append(media.lower())
    return ranges


def aanvaardbaar(accept: str | None, media_type: str) -> bool:
    """Does `Accept` allow `media_type` (RFC 9110 §12.5.1)? No header allows everything."""
    if accept is None or not accept.strip():
        return True
    media = media_type.split(";", maxsplit=1)[0].strip().lower()
    soort = media.split("/")[0]
    for media_range in _media_ranges(accept):
        if media_range in {"*/*", "*", media, f"{soort}/*"}:
            return True
        if media == "application/problem+json" and media_range == "application/json":
            return True
    return False


def _etag_past(if_none_match: str, etag: str) -> bool:
    """Weak comparison of `If-None-Match` with the response's ETag (RFC 9110 §13.1.2)."""
    eigen = etag.strip().removeprefix("W/")
    for kandidaat in if_none_match.split(","):
        tekst = kandidaat.strip()
        if tekst == "*" or tekst.removeprefix("W/") == eigen:
            return True
    return False


_NIET_AANVAARDBAAR = (
    "De API antwoordt alleen in application/json (fouten: application/problem+json), en waar "
    "de route dat noemt in text/csv of XLSX; de Accept-header staat geen daarvan toe."
)


def _route(scope: Scope, root_path: str) -> str:
    """The template of the matched route with the prefix of its mount (`/v1/leerlingen/
    {leerlingId}`), never the path itself: a path can hold a child's id."""
    template = getattr(scope.get("route"), "path_format", None)
    if not isinstance(template, str) or not template:
        return "(geen route)"
    mount = str(scope.get("root_path", ""))[len(root_path) :]
    return mount + template


_VERDACHT = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
"""A JSON escape of U+0000 or of a UTF-16 surrogate: the only ways valid JSON can carry text that
PostgreSQL cannot store (a NUL) or that is no Unicode text at all (a lone surrogate)."""
_JSON = re.compile(r"^application/(?:[\w.+-]+\+)?json\s*(?:;.*)?$", re.IGNORECASE)


def _onopslaanbare_tekst(waarde: Any) -> bool:
    """Whether a decoded JSON value holds a string (key or value) with U+0000 or a lone
    surrogate anywhere inside it."""
    open_ = [waarde]
    while open_:
        huidig = open_.pop()
        if isinstance(huidig, dict):
            open_.extend(huidig.keys())
            open_.extend(huidig.values())
        elif isinstance(huidig, list):
            open_.extend(huidig)
        elif isinstance(huidig, str):
            if "\x00" in huidig:
                return True
            try:
                huidig.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def onopslaanbare_json(body: bytes) -> bool:
    """Whether a JSON body holds text that cannot be stored: cheap for every body (one scan for
    the escapes), exact where one occurs (the body decoded and its strings checked). A body that
    is no valid JSON is left to the framework's own 400."""
    if _VERDACHT.search(body) is None:
        return False
    try:
        waarde = json.loads(body)
    except (ValueError, RecursionError):  # invalid JSON or nested too deep
        return False
    return _onopslaanbare_tekst(waarde)


ONOPSLAANBAAR = (
    "Tekst in de body bevat het teken U+0000 of een losse UTF-16-surrogaat (\\ud800-\\udfff "
    "zonder paar); zulke tekst kan niet worden opgeslagen."
)


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

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # noqa: PLR0915
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_headers = dict(scope["headers"])
        incoming = request_headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder: dict[str, Any] = {"status": 500, "started": False}
        is_docs = scope["path"].startswith(self.docs_prefixes)
        is_api = scope["path"].startswith("/v1/") and not is_docs
        root_path = scope.get("root_path", "")
        method = scope["method"]
        if method == "HEAD":
            # HEAD is GET without the body (RFC 9110 §9.3.2): the same route, headers and status.
            scope = {**scope, "method": "GET"}
        leest = method in {"GET", "HEAD"}
        accept = request_headers.get(b"accept", b"").decode("latin-1") or None
        if_none_match = request_headers.get(b"if-none-match", b"").decode("latin-1") or None
        zonder_body = {"aan": method == "HEAD", "weg": False}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = message["status"]
                eigen = {k.lower(): v for k, v in message.get("headers", [])}
                soort = eigen.get(b"content-type", b"").decode("latin-1")
                if (
                    is_api
                    and leest
                    and 200 <= status < 300
                    and soort
                    and not aanvaardbaar(accept, soort)
                ):
                    # The route answers in a type the caller did not accept: 406, not the body.
                    await self._problem(
                        send_with_headers,
                        request_id,
                        406,
                        "niet-aanvaardbaar",
                        "Niet aanvaardbaar",
                        detail=_NIET_AANVAARDBAAR,
                        body=method != "HEAD",
                    )
                    zonder_body["weg"] = True
                    return
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {b"api-version", b"x-request-id"}
                ]
                etag = eigen.get(b"etag")
                if (
                    leest
                    and status == 200
                    and etag is not None
                    and if_none_match is not None
                    and _etag_past(if_none_match, etag.decode("latin-1"))
                ):
                    # The caller has this version already (RFC 9110 §13.1.2, §15.4.5).
                    status = 304
                    message["status"] = 304
                    zonder_body["aan"] = True
                    headers = [
                        (k, v)
                        for k, v in headers
                        if k.lower() not in {b"content-type", b"content-length"}
                    ]
                status_holder["status"] = status
                status_holder["started"] = True
                headers.append((b"api-version", API_VERSION.encode()))
                headers.append((b"x-request-id", request_id.encode()))
                for name, value in API_SECURITY_HEADERS:
                    is_csp = name == b"content-security-policy"
                    headers.append((name, DOCS_CSP if is_docs and is_csp else value))
                message["headers"] = headers
            elif message["type"] == "http.response.body" and (
                zonder_body["aan"] or zonder_body["weg"]
            ):
                if zonder_body["weg"] or message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        try:
            length = request_headers.get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
                await self._too_large(scope, send_with_headers, request_id)
                return
            if is_api and not any(aanvaardbaar(accept, m) for m in MEDIA_TYPES):
                # Nothing the API answers in is acceptable: refused before any work is done.
                await self._problem(
                    send_with_headers,
                    request_id,
                    406,
                    "niet-aanvaardbaar",
                    "Niet aanvaardbaar",
                    detail=_NIET_AANVAARDBAAR,
                    body=method != "HEAD",
                )
                return
            content_type = request_headers.get(b"content-type", b"").decode("latin-1")
            if is_api and not leest and _JSON.match(content_type):
                # The whole JSON body first (bounded by max_body_bytes): text PostgreSQL cannot
                # store is a 400 before any work, never an error halfway through a write.
                body, receive = await self._gebufferd(self._limited(receive))
                if onopslaanbare_json(body):
                    await self._problem(
                        send_with_headers,
                        request_id,
                        400,
                        "ongeldige-invoer",
                        "Ongeldige invoer",
                        detail="Het verzoek bevat 1 fout(en); zie `errors`.",
                        errors=[
                            {
                                "in": "body",
                                "name": "body",
                                "code": "tekst_onopslaanbaar",
                                "reason": ONOPSLAANBAAR,
                            }
                        ],
                    )
                    return
                await self.app(scope, receive, send_with_headers)
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
                    "http_method": method,
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

    @staticmethod
    async def _gebufferd(receive: Receive) -> tuple[bytes, Receive]:
        """The whole request body, and a `receive` that hands it to the application again."""
        delen: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away: pass that on as it came.
                async def weg(laatste: Message = message) -> Message:
                    return laatste

                return b"", weg
            delen.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(delen)
        gegeven = False

        async def opnieuw() -> Message:
            nonlocal gegeven
            if not gegeven:
                gegeven = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return body, opnieuw

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
        send: Send,
        request_id: str,
        status: int,
        slug: str,
        title: str,
        *,
        detail: str,
        body: bool = True,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        probleem: dict[str, Any] = {
            "type": f"urn:thuiszitters:probleem:{slug}",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": f"urn:thuiszitters:verzoek:{request_id}",
        }
        if errors is not None:
            probleem["errors"] = errors
        inhoud = json.dumps(probleem).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(inhoud)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": inhoud if body else b""})


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
