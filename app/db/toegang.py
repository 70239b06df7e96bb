"""People, their sessions, and the systems that call the API (OAuth2 clients).

These tables carry no row-level security: logging in looks a user up before its SWV is known.
They are only ever read by the services in app/services/toegang.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Uuid,
    case,
    delete,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class GebruikerRow(Base):
    """A person who logs in with a password and a TOTP second factor."""

    __tablename__ = "gebruikers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    gebruikersnaam: Mapped[str] = mapped_column(String(100), unique=True)
    wachtwoord_hash: Mapped[str] = mapped_column(String(200))
    totp_geheim: Mapped[bytes] = mapped_column(LargeBinary)
    totp_laatste_stap: Mapped[int | None] = mapped_column(BigInteger)
    rol: Mapped[str] = mapped_column(String(40))
    vestiging_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()), default=list)
    gemeente_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()), default=list)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class SessieRow(Base):
    """A login: its refresh token rotates; a reused old token ends the whole session."""

    __tablename__ = "sessies"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    gebruiker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gebruikers.id"), index=True)
    vernieuwing_hash: Mapped[bytes] = mapped_column(LargeBinary)
    vorige_hash: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The refresh token this one replaced: presenting it again means it was stolen."""
    generatie: Mapped[int] = mapped_column(Integer, default=1)
    aangemaakt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    verloopt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    beeindigd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ClientRow(Base):
    """A system (Digidoor, TOP-dossier, leerplicht software): OAuth2 client credentials."""

    __tablename__ = "api_clients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    swv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samenwerkingsverbanden.id"))
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    geheim_hash: Mapped[str] = mapped_column(String(200))
    naam: Mapped[str] = mapped_column(String(200))
    rol: Mapped[str] = mapped_column(String(40))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    vestiging_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()), default=list)
    gemeente_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()), default=list)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class IngetrokkenTokenRow(Base):
    """A system token ended by logging out, kept until it would have expired anyway."""

    __tablename__ = "ingetrokken_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    verloopt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class InlogpogingRow(Base):
    """Failed logins per key (a hash of account, address or both), shared by every worker."""

    __tablename__ = "inlogpogingen"

    sleutel: Mapped[str] = mapped_column(String(64), primary_key=True)
    mislukt: Mapped[int] = mapped_column(Integer)
    laatste: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ToegangRepository:
    """Every query on users, sessions and clients."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def gebruiker_op_naam(self, naam: str, *, lock: bool = False) -> GebruikerRow | None:
        stmt = select(GebruikerRow).where(GebruikerRow.gebruikersnaam == naam)
        if lock:
            stmt = stmt.with_for_update()
        return await self._session.scalar(stmt)

    async def gebruiker(self, gebruiker_id: uuid.UUID) -> GebruikerRow | None:
        return await self._session.get(GebruikerRow, gebruiker_id)

    async def sessie(self, sessie_id: uuid.UUID, *, lock: bool = False) -> SessieRow | None:
        return await self._session.get(SessieRow, sessie_id, with_for_update=lock)

    async def client_op_client_id(self, client_id: str) -> ClientRow | None:
        return await self._session.scalar(select(ClientRow).where(ClientRow.client_id == client_id))

    async def client(self, client_row_id: uuid.UUID) -> ClientRow | None:
        return await self._session.get(ClientRow, client_row_id)

    async def gebruikers_van(self, swv_id: uuid.UUID) -> list[GebruikerRow]:
        return list(
            await self._session.scalars(
                select(GebruikerRow)
                .where(GebruikerRow.swv_id == swv_id)
                .order_by(GebruikerRow.gebruikersnaam)
            )
        )

    async def add(self, row: GebruikerRow | SessieRow | ClientRow) -> None:
        self._session.add(row)
        await self._session.flush()

    async def trek_token_in(self, jti: str, verloopt_op: datetime) -> None:
        await self._session.execute(
            insert(IngetrokkenTokenRow)
            .values(jti=jti, verloopt_op=verloopt_op)
            .on_conflict_do_nothing(index_elements=["jti"])
        )

    async def is_ingetrokken(self, jti: str) -> bool:
        return await self._session.get(IngetrokkenTokenRow, jti) is not None

    async def vergeet_verlopen_intrekkingen(self, nu: datetime) -> None:
        await self._session.execute(
            delete(IngetrokkenTokenRow).where(IngetrokkenTokenRow.verloopt_op <= nu)
        )

    async def mislukte_pogingen(
        self, sleutels: list[str], grens: datetime
    ) -> dict[str, InlogpogingRow]:
        rows = await self._session.scalars(
            select(InlogpogingRow).where(
                InlogpogingRow.sleutel.in_(sleutels), InlogpogingRow.laatste > grens
            )
        )
        return {row.sleutel: row for row in rows}

    async def tel_mislukt(self, sleutels: list[str], nu: datetime, grens: datetime) -> None:
        """Count one failure per key; a count whose last failure left the window starts over."""
        for sleutel in sleutels:
            stmt = insert(InlogpogingRow).values(sleutel=sleutel, mislukt=1, laatste=nu)
            await self._session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["sleutel"],
                    set_={
                        "mislukt": case(
                            (InlogpogingRow.laatste <= grens, 1),
                            else_=func.least(InlogpogingRow.mislukt + 1, 10_000),
                        ),
                        "laatste": stmt.excluded.laatste,
                    },
                )
            )
        await self._session.execute(delete(InlogpogingRow).where(InlogpogingRow.laatste <= grens))

    async def wis_pogingen(self, sleutels: list[str]) -> None:
        await self._session.execute(
            delete(InlogpogingRow).where(InlogpogingRow.sleutel.in_(sleutels))
        )
