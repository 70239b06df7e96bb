"""The `Idempotency-Key` header (IETF httpapi draft) of every create.

The route parses the header and fingerprints the request; `app.services.idempotentie` stores and
replays the answer inside the unit of work (decision 0005: routes run no queries, never commit).
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse

from app.db.session import UnitOfWork
from app.domain.toegang import Actor
from app.services import idempotentie as service
from app.services.errors import FieldError, InvalidInput
from app.services.toegang.versleuteling import Versleuteling

_KEY = re.compile(r'^"?([\x21\x23-\x7e]{1,255})"?$')


class Idempotency:
    """Runs a POST handler at most once per (caller, key), through the idempotency service."""

    def __init__(self, request: Request, key: str | None) -> None:
        self.request = request
        self.key = key
        self.versleuteling: Versleuteling | None = getattr(request.app.state, "versleuteling", None)

    async def run(self, uow: UnitOfWork, actor: Actor, handle: service.Handler) -> JSONResponse:
        vingerafdruk = ""
        if self.key is not None:
            raw = await self.request.body()
            vingerafdruk = hashlib.sha256(
                self.request.method.encode() + b" " + self.request.url.path.encode() + b"\n" + raw
            ).hexdigest()
        antwoord = await service.eenmalig(
            uow, actor, self.key, vingerafdruk, handle, versleuteling=self.versleuteling
        )
        return JSONResponse(antwoord.body, status_code=antwoord.status, headers=antwoord.headers)


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
