"""Who is calling: the bearer token becomes an `Actor`; the permission matrix decides the rest.

Deny by default: a route that does not declare `Requires(...)` is refused by a test that walks
every route, and the authenticator of a fresh application accepts nobody.
"""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.domain.toegang import Actor, Operatie, mag
from app.services.errors import Forbidden, Unauthenticated


class Authenticator(Protocol):
    """Turns a bearer token into the actor behind it, or None."""

    async def authenticate(self, token: str) -> Actor | None: ...


class NobodyAuthenticator:
    """The authenticator of an application that has not been given one: accepts no token."""

    async def authenticate(self, token: str) -> Actor | None:
        return None


_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="Toegangstoken (JWT) uit `POST /v1/sessies` of `POST /v1/tokens`.",
)


BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def _authenticeer(
    request: Request, credentials: HTTPAuthorizationCredentials | None
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("Een geldig toegangstoken is vereist.")
    authenticator: Authenticator = request.app.state.authenticator
    actor = await authenticator.authenticate(credentials.credentials)
    if actor is None:
        raise Unauthenticated("Een geldig toegangstoken is vereist.")
    request.state.actor = actor
    return actor


async def get_actor(request: Request, credentials: BearerDep) -> Actor:
    """Route dependency: any authenticated caller (the routes outside the matrix)."""
    return await _authenticeer(request, credentials)


ActorDep = Annotated[Actor, Depends(get_actor)]


class Requires:
    """Route dependency: the caller's role must allow `operatie` (the permission matrix)."""

    def __init__(self, operatie: Operatie) -> None:
        self.operatie = operatie

    async def __call__(self, request: Request, credentials: BearerDep) -> Actor:
        # Authenticates itself rather than through `get_actor`: one dependency level less on
        # every request.
        actor = await _authenticeer(request, credentials)
        request.state.operatie = self.operatie
        if not mag(actor, self.operatie):
            raise Forbidden(
                f"Uw rol of token staat deze handeling niet toe; nodig is scope '{self.operatie}'."
            )
        return actor


def toegang(operatie: Operatie) -> Any:
    """`actor: Annotated[Actor, toegang(Operatie.X)]`: authenticated, and the role allows X."""
    return Depends(Requires(operatie))
