"""The real application for the register benchmark, built for `uvicorn.run(..., factory=True)`.

`create_app(settings)` against the database of `BENCH_REGISTER_DATABASE_URL` (the application
role, so row-level security applies), with one fixed bench token that stands for a regisseur of
the benchmark's SWV (the authenticator is a fake; everything behind it is the product's code).
"""

from __future__ import annotations

import os

from pydantic import SecretStr

from app.api.app import Application, create_app
from app.config import Settings
from app.domain.toegang import Actor, Rol

ENV_URL = "BENCH_REGISTER_DATABASE_URL"
ENV_TOKEN = "BENCH_REGISTER_TOKEN"  # noqa: S105 (the name of a variable)
ENV_SWV = "BENCH_REGISTER_SWV_ID"
ENV_POOL = "BENCH_REGISTER_POOL_SIZE"


def bench_actor(swv_id: str) -> Actor:
    """The caller of every benchmark request: a person with the regisseur role."""
    return Actor(id="bench-regisseur", rol=Rol.REGISSEUR, swv_id=swv_id, sessie_id=None)


class BenchAuthenticator:
    """Accepts exactly one token (a fake of the JWT authenticator; no database lookup)."""

    def __init__(self, token: str, actor: Actor) -> None:
        self._token = token
        self._actor = actor

    async def authenticate(self, token: str) -> Actor | None:
        return self._actor if token == self._token else None


def create() -> Application:
    """The factory uvicorn calls (`factory=True`)."""
    settings = Settings(
        database_url=SecretStr(os.environ[ENV_URL]),
        db_pool_size=int(os.environ.get(ENV_POOL, "10")),
        log_level="WARNING",
    )
    application = create_app(settings)
    actor = bench_actor(os.environ[ENV_SWV])
    application.use_authenticator(BenchAuthenticator(os.environ[ENV_TOKEN], actor))
    return application
