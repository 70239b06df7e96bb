"""The engine, the session factory, and the unit of work that owns a transaction."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, cast

from sqlalchemy import event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry
from sqlalchemy.util.concurrency import await_

from app.db.audit import AuditRegel, AuditRepository
from app.db.casussen import CasussenRepository
from app.db.escalaties import EscalatiesRepository
from app.db.fouten import VerbindingVerloren
from app.db.idempotentie import IdempotentieRepository
from app.db.leerlingen import LeerlingenRepository
from app.db.leerplichtleveringen import LeerplichtleveringenRepository
from app.db.meldingen import MeldingenRepository
from app.db.monitor import MonitorRepository
from app.db.notificaties import NotificatiesRepository
from app.db.organisaties import OrganisatiesRepository
from app.db.rapportage import RapportageRepository
from app.db.scholen import ScholenRepository
from app.db.schoolvakanties import SchoolvakantiesRepository
from app.db.sso import SsoRepository
from app.db.taken import TakenRepository
from app.db.tlv import TlvRepository
from app.db.toegang import ToegangRepository
from app.domain.toegang import Actor

ALLE_SWVS = "*"
"""Tenant value of maintenance work that spans every SWV (projection rebuilds, demo data)."""


_BEGIN = "SELECT set_config('app.swv_id', $1, true), clock_timestamp()"
"""Sets the tenant for row-level security and reads the clock, as a transaction begins."""


@event.listens_for(Session, "after_begin")
def _zet_swv(session: Session, transaction: SessionTransaction, connection: Connection) -> None:
    """Row-level security: tell PostgreSQL which SWV this transaction works for (an empty
    value sees nothing). The policies in the migrations do the rest."""
    begin = connection.exec_driver_sql(_BEGIN, (str(session.info.get("swv_id") or ""),)).one()
    # The moment the transaction began, for "today" without another round trip.
    session.info["begonnen_op"] = begin[1]


def async_url(url: str) -> str:
    """The SQLAlchemy URL for asyncpg, whatever driver the given PostgreSQL URL names."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError("only PostgreSQL is supported")
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


class EerlijkePool(AsyncAdaptedQueuePool):
    """The connection pool, first come first served.

    Under SQLAlchemy's async pool, asyncio's queue lets a request that arrives just as a
    connection comes free take it from the waiter it was handed to, and that waiter goes back
    to the end of the line. Under load a few requests waited many times longer than the rest
    (p99 four times the median). A fair semaphore in front, with a permit per connection, serves
    the requests in order of arrival, and the queue behind it never has to wait.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._poort = asyncio.Semaphore(self.size())

    def _do_get(self) -> ConnectionPoolEntry:
        try:
            if self._poort.locked():  # others are waiting, or every connection is in use
                await_(asyncio.wait_for(self._poort.acquire(), self._timeout))
            else:
                await_(self._poort.acquire())  # free: no waiting, so no timer either
        except TimeoutError:
            raise sa_exc.TimeoutError(
                f"no database connection came free within {self._timeout:.0f} s"
            ) from None
        try:
            return super()._do_get()
        except BaseException:
            self._poort.release()
            raise

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        try:
            super()._do_return_conn(record)
        finally:
            self._poort.release()


class Database:
    """One engine and its session factory for the life of a process."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        statement_timeout_ms: int = 15_000,
        pre_ping: bool = False,
        recycle_seconds: int = 1800,
    ):
        self.engine: AsyncEngine = create_async_engine(
            async_url(url),
            pool_size=pool_size,
            # A fixed set of connections: overflow connections would be opened and closed
            # again under every burst (a server process each time), which costs more than
            # waiting a moment for a pooled one.
            max_overflow=0,
            poolclass=EerlijkePool,
            # Off by default: a ping is a round trip on every request. A connection the server
            # dropped fails one request (503) and the pool replaces it (docs/decisions/0014).
            pool_pre_ping=pre_ping,
            pool_recycle=recycle_seconds,
            connect_args={
                "server_settings": {
                    "statement_timeout": str(statement_timeout_ms),
                    "application_name": "thuiszitters",
                    "timezone": "UTC",
                },
            },
        )
        self.sessionmaker: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False, autoflush=False
        )

    async def ping(self) -> None:
        """Run a trivial query; raises when the database cannot be reached."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def te_veel_rechten(self) -> list[str]:
        """What the connecting role may do beyond rows (least privilege); empty when nothing."""
        async with self.engine.connect() as conn:
            rij = (
                await conn.execute(
                    text(
                        "SELECT r.rolsuper, r.rolbypassrls, (SELECT count(*) FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                        "AND c.relowner = r.oid) FROM pg_roles r WHERE r.rolname = current_user"
                    )
                )
            ).one()
        return [
            naam
            for naam, waar in (("superuser", rij[0]), ("bypassrls", rij[1]), ("eigenaar", rij[2]))
            if waar
        ]

    async def dispose(self) -> None:
        await self.engine.dispose()


@dataclass(frozen=True, slots=True)
class AuditContext:
    """Who does what to which child: written with the transaction that does it."""

    actor: Actor
    handeling: str
    route: str
    leerling_id: uuid.UUID | None
    request_id: str | None
    getoond: tuple[uuid.UUID, ...] = ()

    def row(self, resultaat: str) -> AuditRegel:
        return AuditRegel(
            swv_id=uuid.UUID(self.actor.swv_id),
            actor_id=self.actor.id,
            actor_rol=str(self.actor.rol),
            handeling=self.handeling,
            route=self.route,
            leerling_id=self.leerling_id,
            getoonde_leerlingen=list(self.getoond) or None,
            resultaat=resultaat,
            request_id=self.request_id,
        )


class _Sessie:
    """Stands in for the unit of work's ORM session until something uses it: the session is
    opened on first use, so a request that only runs plain SQL never pays for one."""

    __slots__ = ("_uow",)

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __getattr__(self, naam: str) -> Any:
        return getattr(self._uow._open_sessie(), naam)


class UnitOfWork:
    """One transaction. Leaving the outermost block without `commit()` rolls everything back.

    Blocks nest: an inner `async with uow` joins the outer transaction and its `commit()` only
    marks the work as ready; the outermost block commits. The API uses this to store the
    response of an idempotent request in the same transaction as the write it answers.

    The transaction begins with whatever needs it first. The ORM session (`session`, opened on
    first use) begins its own, tenant set by `_zet_swv`. Plain SQL (`driver()`, the hot paths)
    begins one directly on a pooled connection, with the tenant set in the same statement that
    reads the clock; a session opened after that joins it, as a savepoint. Either way it is one
    transaction on one connection, and the ORM machinery costs nothing where it is not used
    (docs/decisions/0014).
    """

    session: AsyncSession
    scholen: ScholenRepository
    leerlingen: LeerlingenRepository
    organisaties: OrganisatiesRepository
    idempotentie: IdempotentieRepository
    audit: AuditRepository
    toegang: ToegangRepository
    sso: SsoRepository
    rapportage: RapportageRepository
    schoolvakanties: SchoolvakantiesRepository
    escalaties: EscalatiesRepository
    tlv: TlvRepository
    meldingen: MeldingenRepository
    casussen: CasussenRepository
    taken: TakenRepository
    notificaties: NotificatiesRepository
    leerplichtleveringen: LeerplichtleveringenRepository
    monitor: MonitorRepository

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        audit: Callable[[], AuditContext | None] | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._audit_context = audit
        self._audited = False
        self.betreft: uuid.UUID | None = None
        """The child a new record is about, for the audit row of a request without one."""
        self.getoond: list[uuid.UUID] = []
        """The children a list or search showed, for the audit row."""
        self._swv_id = ""
        self._depth = 0
        self._commit_requested = False
        self._sessie: AsyncSession | None = None
        self._driver: Any = None
        self._verbinding: AsyncConnection | None = None  # of a transaction begun by driver()
        self._eigen_verbinding = False
        self._tx: Any = None  # the driver's transaction (begun by driver())
        self._begonnen_op: datetime | None = None
        self._kapot = False

    async def __aenter__(self) -> UnitOfWork:
        self._depth += 1
        if self._depth == 1:
            self._commit_requested = False
            self._sessie = None
            self._driver = self._verbinding = self._tx = self._begonnen_op = None
            self.session = cast(AsyncSession, _Sessie(self))
            self.scholen = ScholenRepository(self.session)
            self.leerlingen = LeerlingenRepository(self.session, self.driver)
            self.organisaties = OrganisatiesRepository(self.session, self.driver)
            self.idempotentie = IdempotentieRepository(self.session)
            self.audit = AuditRepository(self.session, self.driver)
            self.toegang = ToegangRepository(self.session)
            self.sso = SsoRepository(self.session)
            self.rapportage = RapportageRepository(self.session, self.driver)
            self.schoolvakanties = SchoolvakantiesRepository(self.session)
            self.escalaties = EscalatiesRepository(self.session)
            self.tlv = TlvRepository(self.session, self.driver)
            self.meldingen = MeldingenRepository(self.session)
            self.casussen = CasussenRepository(self.session)
            self.taken = TakenRepository(self.driver)
            self.notificaties = NotificatiesRepository(self.driver)
            self.leerplichtleveringen = LeerplichtleveringenRepository(self.session, self.driver)
            self.monitor = MonitorRepository(self.session)
            self._audited = False
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            if exc_type is not None:
                self._commit_requested = False
            return
        try:
            if exc_type is None and self._commit_requested:
                await self._commit()
        finally:
            self._swv_id = ""
            await self._sluit()

    async def _sluit(self) -> None:
        """Roll back whatever was not committed and give the connection back to the pool (a
        connection the server dropped is discarded, so the next request gets a sound one)."""
        driver, self._driver = self._driver, None
        tx, self._tx = self._tx, None
        verbinding, self._verbinding = self._verbinding, None
        kapot, self._kapot = self._kapot, False
        try:
            if self._sessie is not None:
                # close() rolls back what was not committed, and (unlike rollback()) leaves the
                # loaded objects readable for the response.
                await self._sessie.close()
            if tx is not None and driver is not None and not driver.is_closed():
                try:
                    await tx.rollback()
                except Exception:
                    kapot = True
        finally:
            if verbinding is not None and self._eigen_verbinding:
                if driver is not None and (kapot or driver.is_closed()):
                    driver.terminate()  # whatever state its protocol was left in
                    await verbinding.invalidate()
                await verbinding.close()

    def _open_sessie(self) -> AsyncSession:
        if self._sessie is None:
            info = {"swv_id": self._swv_id}
            if self._verbinding is not None:  # driver() began the transaction: join it
                self._sessie = self._sessionmaker(
                    bind=self._verbinding, join_transaction_mode="create_savepoint", info=info
                )
            else:
                self._sessie = self._sessionmaker(info=info)
        return self._sessie

    @property
    def begonnen_op(self) -> datetime | None:
        """The database's clock when the transaction began (None before it began)."""
        if self._begonnen_op is not None:
            return self._begonnen_op
        if self._sessie is not None:
            moment: datetime | None = self._sessie.info.get("begonnen_op")
            return moment
        return None

    def voor(self, actor: Actor) -> UnitOfWork:
        """Work for the actor's SWV: row-level security shows no other SWV's rows."""
        if self._depth == 0:
            self._swv_id = actor.swv_id
        return self

    def alle_swvs(self) -> UnitOfWork:
        """Maintenance across every SWV (projection rebuild, demo data); never for a request."""
        if self._depth == 0:
            self._swv_id = ALLE_SWVS
        return self

    async def commit(self) -> None:
        """Commit now, or (inside an outer block) when the outermost block ends."""
        if self._depth > 1:
            self._commit_requested = True
            return
        await self._commit()
        self._commit_requested = False

    async def _commit(self) -> None:
        """Write the request's audit row (if any) and commit: both or neither."""
        context = self._audit_context() if self._audit_context is not None else None
        if context is not None and not self._audited:
            if context.leerling_id is None and self.betreft is not None:
                context = dataclasses.replace(context, leerling_id=self.betreft)
            if self.getoond:
                context = dataclasses.replace(context, getoond=tuple(self.getoond))
            await self.audit.schrijf(context.row("toegestaan"))
            self._audited = True
        if self._sessie is not None and self._sessie.in_transaction():
            await self._sessie.commit()
        if self._tx is not None:
            tx, self._tx = self._tx, None
            await tx.commit()
        self._driver = None  # the next transaction may run on another connection

    async def driver(self) -> Any:
        """The asyncpg connection under this unit's transaction, begun (tenant set) if it was
        not yet: the hot paths (a child's status, reporting a fact, audit rows) run their plain
        SQL on it, in the same transaction as the session's work, without the ORM's cost."""
        if self._driver is None:
            if self._sessie is not None:
                verbinding = await self._sessie.connection()
                ruw = await verbinding.get_raw_connection()
                # The dialect starts the driver's transaction lazily, at its first statement:
                # the tenant's set_config (after_begin) has run by now, so this is inside it.
                self._driver = ruw.driver_connection
            else:
                await self._begin_met_driver()
        return self._driver

    async def _begin_met_driver(self) -> None:
        if self._verbinding is None:
            bind = self._sessionmaker.kw.get("bind")
            if isinstance(bind, AsyncConnection):  # the tests: a connection in a transaction
                self._verbinding, self._eigen_verbinding = bind, False
            else:
                assert isinstance(bind, AsyncEngine)  # noqa: S101
                self._verbinding, self._eigen_verbinding = await bind.connect(), True
        ruw = await self._verbinding.get_raw_connection()
        db: Any = ruw.driver_connection
        self._driver = db  # known before anything can fail: a dropped one is then discarded
        tx = db.transaction()  # nested in a transaction already running: a savepoint
        try:
            await tx.start()
            begin = await db.fetchrow(_BEGIN, str(self._swv_id or ""))
        except Exception as fout:
            # Whatever the driver says (a dropped connection can leave its protocol in any
            # state): this connection is unusable, and is discarded when the unit closes.
            self._kapot = True
            raise VerbindingVerloren(type(fout).__name__) from fout
        self._tx = tx
        self._begonnen_op = begin[1]

    async def klok(self) -> datetime:
        """The database server's clock: the one clock of the register."""
        db = await self.driver()
        moment: datetime = await db.fetchval("SELECT clock_timestamp()")
        return moment

    async def flush(self) -> None:
        await self.session.flush()
