"""Safe retries of creates: one answer per (caller, Idempotency-Key), stored with the work.

Same key and same request: the original answer again. Same key with another request: 422. The
key still being processed by another request: 409. The answer is written in the same transaction
as the work it answers, so a retry after a crash finds either the answer or nothing done. It
may hold identifying details (identified mode), so it is kept encrypted with the application's
key, bound to its caller and key.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from app.db.idempotentie import IdempotentieRow
from app.db.session import UnitOfWork
from app.domain.toegang import Actor
from app.services.errors import Conflict, ServiceError
from app.services.toegang.versleuteling import Versleuteling


@dataclass(frozen=True, slots=True)
class Antwoord:
    """The answer to a create: status, JSON body and headers, as sent or replayed."""

    status: int
    body: Any
    headers: dict[str, str]


Handler = Callable[[], Awaitable[tuple[int, Any, dict[str, str]]]]


class KeyReused(ServiceError):
    """The key was used before for a different request (422)."""

    slug = "idempotentie-sleutel-hergebruikt"
    status = 422


def _versleutel(versleuteling: Versleuteling | None, body: Any, context: str) -> Any:
    if versleuteling is None:
        return body
    tekst = json.dumps(body, separators=(",", ":"))
    return {"versleuteld": base64.b64encode(versleuteling.versleutel(tekst, context)).decode()}


def _ontsleutel(versleuteling: Versleuteling | None, body: Any, context: str) -> Any:
    if versleuteling is None or not (isinstance(body, dict) and "versleuteld" in body):
        return body
    data = base64.b64decode(body["versleuteld"])
    return json.loads(versleuteling.ontsleutel(data, context))


async def eenmalig(
    uow: UnitOfWork,
    actor: Actor,
    sleutel: str | None,
    vingerafdruk: str,
    handle: Handler,
    *,
    versleuteling: Versleuteling | None,
) -> Antwoord:
    """Run the create at most once per (caller, key); a replay is audited as an access."""
    if sleutel is None:
        return Antwoord(*await handle())
    async with uow.voor(actor):
        if not await uow.idempotentie.claim(actor.id, sleutel):
            raise Conflict("Een verzoek met deze Idempotency-Key wordt nog verwerkt.")
        bewaard = await uow.idempotentie.get(actor.id, sleutel)
        context = f"idempotentie:{actor.id}:{sleutel}"
        if bewaard is not None:
            if bewaard.vingerafdruk != vingerafdruk:
                raise KeyReused("Deze Idempotency-Key is al gebruikt voor een ander verzoek.")
            await uow.commit()  # a replay is an access too: audited
            return Antwoord(
                bewaard.status, _ontsleutel(versleuteling, bewaard.body, context), bewaard.headers
            )
        status, body, headers = await handle()
        await uow.idempotentie.bewaar(
            IdempotentieRow(
                eigenaar=actor.id,
                sleutel=sleutel,
                vingerafdruk=vingerafdruk,
                status=status,
                headers=headers,
                body=_versleutel(versleuteling, body, context),
            )
        )
        await uow.commit()
    return Antwoord(status, body, headers)
