"""Safe retries of POST requests: the `Idempotency-Key` header (IETF httpapi draft).

Same key and same request: the original response again, byte for byte. Same key with another
request: 422. The key still being processed by another request: 409. The stored response is
written in the same transaction as the work it answers, so a retry after a crash either finds
the response or finds nothing done.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse

from app.db.idempotentie import IdempotentieRow
from app.db.session import UnitOfWork
from app.domain.toegang import Actor
from app.services.errors import Conflict, FieldError, InvalidInput, ServiceError
from app.services.toegang.versleuteling import Versleuteling

_KEY = re.compile(r'^"?([\x21\x23-\x7e]{1,255})"?$')

Handler = Callable[[], Awaitable[tuple[int, Any, dict[str, str]]]]


class KeyReused(ServiceError):
    """The key was used before for a different request (422)."""

    slug = "idempotentie-sleutel-hergebruikt"
    status = 422


class Idempotency:
    """Runs a POST handler at most once per (caller, key).

    The stored answer may hold identifying details (identified mode), so it is kept encrypted
    with the application's key, bound to its caller and key.
    """

    def __init__(self, request: Request, key: str | None) -> None:
        self.request = request
        self.key = key
        self.versleuteling: Versleuteling | None = getattr(request.app.state, "versleuteling", None)

    def _versleutel(self, body: Any, context: str) -> Any:
        if self.versleuteling is None:
            return body
        tekst = json.dumps(body, separators=(",", ":"))
        return {
            "versleuteld": base64.b64encode(self.versleuteling.versleutel(tekst, context)).decode()
        }

    def _ontsleutel(self, body: Any, context: str) -> Any:
        if self.versleuteling is None or not (isinstance(body, dict) and "versleuteld" in body):
            return body
        data = base64.b64decode(body["versleuteld"])
        return json.loads(self.versleuteling.ontsleutel(data, context))

    async def run(self, uow: UnitOfWork, actor: Actor, handle: Handler) -> JSONResponse:
        if self.key is None:
            status, body, headers = await handle()
            return JSONResponse(body, status_code=status, headers=headers)
        raw = await self.request.body()
        fingerprint = hashlib.sha256(
            self.request.method.encode() + b" " + self.request.url.path.encode() + b"\n" + raw
        ).hexdigest()
        async with uow.voor(actor):
            if not await uow.idempotentie.claim(actor.id, self.key):
                raise Conflict("Een verzoek met deze Idempotency-Key wordt nog verwerkt.")
            stored = await uow.idempotentie.get(actor.id, self.key)
            context = f"idempotentie:{actor.id}:{self.key}"
            if stored is not None:
                if stored.vingerafdruk != fingerprint:
                    raise KeyReused("Deze Idempotency-Key is al gebruikt voor een ander verzoek.")
                await uow.commit()  # a replay is an access too: audited
                return JSONResponse(
                    self._ontsleutel(stored.body, context),
                    status_code=stored.status,
                    headers=stored.headers,
                )
            status, body, headers = await handle()
            await uow.idempotentie.bewaar(
                IdempotentieRow(
                    eigenaar=actor.id,
                    sleutel=self.key,
                    vingerafdruk=fingerprint,
                    status=status,
                    headers=headers,
                    body=self._versleutel(body, context),
                )
            )
            await uow.commit()
        return JSONResponse(body, status_code=status, headers=headers)


async def get_idempotency(
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Maakt het verzoek veilig herhaalbaar (IETF draft-ietf-httpapi-"
            "idempotency-key-header): dezelfde sleutel geeft hetzelfde antwoord.",
        ),
    ] = None,
) -> Idempotency:
    key = None
    if idempotency_key is not None:
        match = _KEY.match(idempotency_key.strip())
        if match is None:
            raise InvalidInput(
                [
                    FieldError(
                        "Idempotency-Key",
                        "ongeldig",
                        "1 tot 255 zichtbare ASCII-tekens, eventueel tussen aanhalingstekens.",
                        location="header",
                    )
                ]
            )
        key = match.group(1)
    return Idempotency(request, key)


IdempotencyDep = Annotated[Idempotency, Depends(get_idempotency)]
