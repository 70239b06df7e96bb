"""What the database layer tells the services, in its own terms (no driver types leak out)."""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import exc as sa_exc


class DubbeleBronReferentie(Exception):
    """Another fact of this SWV was just stored under the same source and reference."""


class VerbindingVerloren(Exception):
    """A pooled connection could not even begin a transaction: the server dropped it."""


_HERHAALBAAR = frozenset(
    {
        "57P01",  # admin_shutdown: the server is stopping (restart, fast shutdown)
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now: the server is starting up or shutting down
        "57P04",  # database_dropped
        "57P05",  # idle_session_timeout
        "53300",  # too_many_connections (a burst of reconnects after a restart)
        "40001",  # serialization_failure: nothing was committed, a retry may succeed
        "40P01",  # deadlock_detected: idem
    }
)
"""SQLSTATEs (besides class 08, connection exceptions) after which a retry may succeed."""

TIME_OUT = "57014"
"""query_canceled: here the statement timeout (the pool sets `statement_timeout`)."""

UNIEK = "23505"
"""unique_violation."""


def _keten(fout: BaseException) -> Iterator[BaseException]:
    """The error and every error it wraps: SQLAlchemy's `orig`, the adapter's `__cause__`."""
    gezien: set[int] = set()
    te_doen: list[BaseException] = [fout]
    while te_doen and len(gezien) < 20:
        huidige = te_doen.pop()
        if id(huidige) in gezien:
            continue
        gezien.add(id(huidige))
        yield huidige
        verpakt = getattr(huidige, "orig", None)
        context = None if huidige.__suppress_context__ else huidige.__context__
        for volgende in (verpakt, huidige.__cause__, context):
            if isinstance(volgende, BaseException):
                te_doen.append(volgende)


def _sqlstate(fout: BaseException) -> str | None:
    """The SQLSTATE a driver error carries (asyncpg's `sqlstate`, the adapter's `pgcode`)."""
    for naam in ("sqlstate", "pgcode"):
        waarde = getattr(fout, naam, None)
        if isinstance(waarde, str) and len(waarde) == 5:
            return waarde
    return None


def _verbinding_kapot(fout: BaseException) -> bool:
    if isinstance(fout, sa_exc.TimeoutError | VerbindingVerloren):  # or none came free in time
        return True
    if isinstance(fout, sa_exc.DBAPIError) and fout.connection_invalidated:
        return True
    if isinstance(fout, asyncpg.InterfaceError) and not isinstance(fout, asyncpg.DataError):
        return True  # e.g. "connection is closed", "the underlying connection is closed"
    if isinstance(fout, asyncpg.exceptions.InternalClientError):
        # A connection killed between two statements leaves the protocol mid-operation:
        # "cannot switch to state ...; another operation is in progress".
        return "cannot switch to state" in str(fout) or "not connected" in str(fout)
    if isinstance(fout, ConnectionError | TimeoutError):
        return True
    sqlstate = _sqlstate(fout)
    return sqlstate is not None and (sqlstate.startswith("08") or sqlstate in _HERHAALBAAR)


def is_onbereikbaar(fout: BaseException) -> bool:
    """Whether an error means the database could not be reached or the connection was lost
    (the request may be retried), rather than a fault in the request or in our code."""
    return any(_verbinding_kapot(f) for f in _keten(fout))


def is_time_out(fout: BaseException) -> bool:
    """Whether a statement ran past the statement timeout (57014): nothing was committed."""
    return any(_sqlstate(f) == TIME_OUT for f in _keten(fout))


def dubbele_sleutel(fout: BaseException) -> str | None:
    """The unique constraint a write ran into (23505), e.g. two identical requests at once."""
    for f in _keten(fout):
        if _sqlstate(f) == UNIEK:
            naam = getattr(f, "constraint_name", None)
            return naam if isinstance(naam, str) and naam else "onbekend"
    return None


DATABASE_FOUTEN: tuple[type[Exception], ...] = (
    sa_exc.SQLAlchemyError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.InternalClientError,
    VerbindingVerloren,
    ConnectionError,
    TimeoutError,
)
"""The errors a database fault arrives as (driver, adapter, pool, socket), for the API's
handlers: each is answered as `is_onbereikbaar`, `is_time_out` or `dubbele_sleutel` say."""
