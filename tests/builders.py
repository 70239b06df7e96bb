"""Small typed builders for test data (synthetic organisations; no real schools or people)."""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.organisaties import GemeenteRow, SwvRow, swv_gemeenten
from app.db.scholen import SchoolRow
from app.domain.toegang import Actor, Rol


class FakeAuthenticator:
    """Opaque test tokens for chosen actors (a fake, not a mock: it behaves like the real one)."""

    def __init__(self) -> None:
        self._tokens: dict[str, Actor] = {}

    def token(self, actor: Actor) -> str:
        token = secrets.token_urlsafe(16)
        self._tokens[token] = actor
        return token

    def headers(self, actor: Actor) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(actor)}"}

    async def authenticate(self, token: str) -> Actor | None:
        return self._tokens.get(token)


# Unique within a test run (random codes collided now and then), and never GM99xx: the demo
# data's and the generator's codes, which tests load too.
_GEMEENTECODES = iter(random.Random().sample(range(1000, 9900), 8900))  # noqa: S311 (not a secret)


@dataclass(frozen=True)
class Swv:
    id: uuid.UUID
    scholen: tuple[uuid.UUID, ...]
    gemeenten: tuple[uuid.UUID, ...]
    gemeente_codes: tuple[str, ...]

    def actor(self, rol: Rol, *, school: int | None = None, gemeente: int | None = None) -> Actor:
        return Actor(
            id=f"test-{rol}-{uuid.uuid4().hex[:8]}",
            rol=rol,
            swv_id=str(self.id),
            vestiging_ids=frozenset({str(self.scholen[school])})
            if school is not None
            else frozenset(),
            gemeente_ids=frozenset({str(self.gemeenten[gemeente])})
            if gemeente is not None
            else frozenset(),
            is_systeem=rol in {Rol.SCHOOLSYSTEEM, Rol.LEERPLICHTSYSTEEM},
        )


async def maak_swv(
    sessionmaker: async_sessionmaker[AsyncSession], code: str, *, scholen: int = 2
) -> Swv:
    """An SWV with `scholen` vestigingen and two gemeenten of its own."""
    async with sessionmaker(info={"swv_id": "*"}) as session:
        swv = SwvRow(code=code, naam=f"Test-SWV {code}", beleid={})
        session.add(swv)
        await session.flush()
        school_ids = []
        for n in range(scholen):
            school = SchoolRow(
                swv_id=swv.id,
                brin=f"9{n}{code[:2].upper()}",
                vestigingsnummer="00",
                naam=f"Testschool {code}-{n}",
                plaats="Teststad",
                regio="midden",
            )
            session.add(school)
            await session.flush()
            school_ids.append(school.id)
        gemeente_ids, codes = [], []
        for _ in range(2):
            gemeente_code = f"GM{next(_GEMEENTECODES)}"
            gemeente = GemeenteRow(code=gemeente_code, naam=f"Testgemeente {gemeente_code}")
            session.add(gemeente)
            await session.flush()
            await session.execute(
                swv_gemeenten.insert().values(swv_id=swv.id, gemeente_id=gemeente.id)
            )
            gemeente_ids.append(gemeente.id)
            codes.append(gemeente_code)
        await session.commit()
        return Swv(swv.id, tuple(school_ids), tuple(gemeente_ids), tuple(codes))
