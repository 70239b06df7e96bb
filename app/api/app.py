"""The ASGI application: `/v1` (API, contract, docs) behind one edge middleware."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import Receive, Scope, Send

from app.api import (
    audit,
    casussen,
    classificaties,
    escalaties,
    feiten,
    health,
    instellingen,
    leerlingen,
    leerplichtleveringen,
    meldingen,
    monitor,
    notificaties,
    perioden,
    privacy,
    rapportage,
    scholen,
    schoolvakanties,
    sso,
    taken,
    tlv,
)
from app.api.auth import Authenticator, NobodyAuthenticator
from app.api.deps import strikte_query
from app.api.middleware import EdgeMiddleware, met_cors
from app.api.openapi import build_openapi, operation_id
from app.api.problems import install_problem_handlers
from app.api.toegang import gebruikers, sessies
from app.config import Settings, get_settings
from app.db.session import Database, UnitOfWork
from app.services.sso import Sleutelbron
from app.services.toegang.configuratie import tokenbeleid_uit, versleuteling_uit
from app.services.toegang.sessies import JwtAuthenticator
from app.services.toegang.verzoeken import Inlogrem

logger = logging.getLogger(__name__)

OPENAPI_TAGS = [
    {"name": "Gezondheid", "description": "Leeft de dienst, en kan hij bij zijn database?"},
    {"name": "Aanmelden", "description": "Sessies voor mensen, tokens voor systemen."},
    {"name": "Leerlingen", "description": "Het register: leerlingen, meldingen, status, tijdlijn."},
    {
        "name": "Meldingen",
        "description": "Meldingen van scholen en leerplicht, en de inbox van de regisseur.",
    },
    {
        "name": "Casussen",
        "description": "Casusregie: coördinator, plan van aanpak, evaluaties, overleggen.",
    },
    {"name": "Scholen", "description": "Schoolvestigingen in de regio van het SWV."},
    {"name": "Classificaties", "description": "De categorieën van de Inspectie."},
    {"name": "Audit", "description": "Wie deed wat met welke gegevens (alleen voor de FG)."},
    {"name": "Rapportage", "description": "Het kwartaalregister voor de Inspectie en overzichten."},
    {"name": "Gebruikers", "description": "Gebruikers van het SWV (beheerder)."},
    {"name": "Instellingen", "description": "Beleid en privacymodus van het SWV (beheerder)."},
    {
        "name": "Schoolvakanties",
        "description": "De vakantiekalender voor het tellen in lesweken, in versies (beheerder).",
    },
    {
        "name": "Escalaties",
        "description": "Doorzettingskracht en doorzettingsmacht: overleg, afspraken, besluit.",
    },
    {"name": "TLV", "description": "Toelaatbaarheidsverklaringen en hun plaatsingschecks."},
    {"name": "Taken", "description": "Actielijsten: de werklijst per rol en de kwartaalcyclus."},
    {"name": "Notificaties", "description": "Wijzigingenfeed en webhook-abonnementen (systemen)."},
    {
        "name": "Leerplicht-leveringen",
        "description": "Lijsten van leerplicht in één keer: absoluut verzuim, vrijstellingen, "
        "besluiten 11g en onvolkomenheden; koppelvoorstellen voor de regisseur.",
    },
]


def create_v1(settings: Settings) -> FastAPI:
    """The version-1 API, mounted at `/v1`."""
    v1 = FastAPI(
        title="Thuiszitters API",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
        openapi_tags=OPENAPI_TAGS,
        generate_unique_id_function=operation_id,
        dependencies=[Depends(strikte_query)],
    )
    v1.router.redirect_slashes = False
    install_problem_handlers(v1)
    v1.state.levering_direct_max = settings.levering_direct_max
    v1.include_router(health.router)
    v1.include_router(sessies.router)
    v1.include_router(sso.router)
    v1.include_router(leerlingen.router)
    v1.include_router(feiten.router)
    v1.include_router(privacy.router)
    v1.include_router(meldingen.router)
    v1.include_router(casussen.router)
    v1.include_router(perioden.router)
    v1.include_router(scholen.router)
    v1.include_router(classificaties.router)
    v1.include_router(audit.router)
    v1.include_router(gebruikers.router)
    v1.include_router(instellingen.router)
    v1.include_router(schoolvakanties.router)
    v1.include_router(rapportage.router)
    v1.include_router(monitor.router)
    v1.include_router(escalaties.router)
    v1.include_router(tlv.router)
    v1.include_router(taken.router)
    v1.include_router(notificaties.router)
    v1.include_router(leerplichtleveringen.router)
    v1.state.authenticator = NobodyAuthenticator()
    v1.state.settings = settings
    v1.state.inlogrem = Inlogrem()
    v1.state.sleutelbron = Sleutelbron(cache_seconden=settings.oidc_jwks_seconds)
    if settings.jwt_signing_key is not None and settings.encryption_key is not None:
        beleid = tokenbeleid_uit(settings)
        v1.state.tokenbeleid = beleid
        v1.state.versleuteling = versleuteling_uit(settings)
        v1.state.authenticator = JwtAuthenticator(beleid, lambda: UnitOfWork(v1.state.sessionmaker))

    contract: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if not contract:
            contract.update(build_openapi(v1))
        return contract

    v1.openapi = openapi  # type: ignore[method-assign]

    @v1.get("/openapi.json", include_in_schema=False)
    async def get_openapi_document() -> dict[str, Any]:
        return openapi()

    static = files("fastapi_offline") / "static"
    v1.mount("/static", StaticFiles(directory=str(static)), name="static")

    @v1.get("/docs", include_in_schema=False)
    async def get_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/v1/openapi.json",
            title="Thuiszitters API",
            swagger_js_url="/v1/static/swagger-ui-bundle.js",
            swagger_css_url="/v1/static/swagger-ui.css",
            swagger_favicon_url="/v1/static/favicon.png",
        )

    @v1.get("/redoc", include_in_schema=False)
    async def get_redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/v1/openapi.json",
            title="Thuiszitters API",
            redoc_js_url="/v1/static/redoc.standalone.js",
            redoc_favicon_url="/v1/static/favicon.png",
            with_google_fonts=False,
        )

    return v1


class Application:
    """The ASGI callable served by uvicorn. `api` is the `/v1` FastAPI application."""

    def __init__(self, root: FastAPI, api: FastAPI, settings: Settings) -> None:
        self.root = root
        self.api = api
        self.settings = settings
        self._asgi = EdgeMiddleware(
            met_cors(self._kies, settings.cors_origins), max_body_bytes=settings.max_body_bytes
        )

    async def _kies(self, scope: Scope, receive: Receive, send: Send) -> None:
        """`/v1/...` straight to the API, as the root's mount would pass it (the same scope), but
        without a second pass through the root application's middleware and router on every
        request; the rest (lifespan, `/`, unknown paths) through the root."""
        if scope["type"] == "http" and scope["path"].startswith("/v1/"):
            root_path = scope.get("root_path", "")
            # In place, as a mount does: the route the API's router matches (`scope["route"]`)
            # is then seen by the edge middleware, which names it in the access log.
            scope.update(
                {
                    "app_root_path": scope.get("app_root_path", root_path),
                    "root_path": root_path + "/v1",
                    "path_params": {},
                    "endpoint": self.api,
                }
            )
            await self.api(scope, receive, send)
            return
        await self.root(scope, receive, send)

    def use_database(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        ping: Callable[[], Awaitable[None]],
    ) -> None:
        """Point the API at a database (the tests bind it to a rolled-back transaction)."""
        self.api.state.sessionmaker = sessionmaker
        self.api.state.ping = ping

    def use_authenticator(self, authenticator: Authenticator) -> None:
        """Who may call the API (default: nobody)."""
        self.api.state.authenticator = authenticator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._asgi(scope, receive, send)


GC_DREMPEL = 20_000
"""Allocations between collections of the garbage collector's youngest generation."""


def create_app(settings: Settings | None = None, database: Database | None = None) -> Application:
    """Build the application. Without `database`, one is opened from the settings at startup."""
    settings = settings or get_settings()
    api = create_v1(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        own: Database | None = None
        if not hasattr(api.state, "sessionmaker"):
            if settings.database_url is None:
                raise RuntimeError("DATABASE_URL is not set (use `thuiszitters run` for dev)")
            own = Database(
                settings.database_url.get_secret_value(),
                pool_size=settings.db_pool_size,
                statement_timeout_ms=settings.db_statement_timeout_ms,
                pre_ping=settings.db_pool_pre_ping,
                recycle_seconds=settings.db_pool_recycle_seconds,
            )
            application.use_database(own.sessionmaker, own.ping)
        # Everything built so far (routes, schemas, the ORM's mappings) lives as long as the
        # process: moved out of the garbage collector's sight, its full collections no longer
        # walk it, which takes tens of milliseconds out of the slowest requests.
        gc.collect()
        gc.freeze()
        # A request allocates a few thousand short-lived objects; the default threshold (700)
        # would collect the youngest generation several times per request.
        gc.set_threshold(GC_DREMPEL, *gc.get_threshold()[1:])
        try:
            yield
        finally:
            if own is not None:
                await own.dispose()

    root = FastAPI(
        openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False, lifespan=lifespan
    )
    root.router.redirect_slashes = False
    install_problem_handlers(root)

    @root.get("/", include_in_schema=False)
    async def get_root() -> RedirectResponse:
        return RedirectResponse("/v1/docs", status_code=307)

    root.mount("/v1", api)
    application = Application(root, api, settings)
    if database is not None:
        application.use_database(database.sessionmaker, database.ping)
    return application


def create_app_from_environment() -> Application:
    """Factory for uvicorn (`--factory`): settings and database from the environment."""
    return create_app()
