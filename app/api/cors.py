"""Cross-origin requests from the browser pages of the origins in `THUISZITTERS_CORS_ORIGINS`
(Fetch standard, CORS): no credentials mode, the bearer token travels in `Authorization`."""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
REQUEST_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "If-Match", "X-Request-Id")
EXPOSED_HEADERS = (
    "ETag",
    "Location",
    "Link",
    "API-Version",
    "Retry-After",
    "X-Request-Id",
    "Deprecation",
    "Sunset",
)
PREFLIGHT_SECONDS = 600


def met_cors(app: ASGIApp, origins: list[str]) -> ASGIApp:
    """`app` answering preflights and adding CORS headers for the allowed origins only."""
    if not origins:
        return app
    return CORSMiddleware(
        app,
        allow_origins=list(origins),
        allow_methods=list(METHODS),
        allow_headers=list(REQUEST_HEADERS),
        expose_headers=list(EXPOSED_HEADERS),
        allow_credentials=False,
        max_age=PREFLIGHT_SECONDS,
    )
