"""What the database layer tells the services, in its own terms (no driver types leak out)."""

from __future__ import annotations

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import exc as sa_exc


class DubbeleBronReferentie(Exception):
    """Another fact of this SWV was just stored under the same source and reference."""


class VerbindingVerloren(Exception):
    """A pooled connection could not even begin a transaction: the server dropped it."""


def is_onbereikbaar(fout: BaseException) -> bool:
    """Whether an error means the database could not be reached or the connection was lost
    (the request may be retried), rather than a fault in the request or in our code."""
    if isinstance(fout, sa_exc.TimeoutError | VerbindingVerloren):  # or none came free in time
        return True
    if isinstance(fout, sa_exc.DBAPIError) and fout.connection_invalidated:
        return True
    oorzaak = fout.orig if isinstance(fout, sa_exc.DBAPIError) else fout
    return isinstance(
        oorzaak,
        asyncpg.PostgresConnectionError
        | asyncpg.InterfaceError
        | asyncpg.exceptions.CannotConnectNowError
        | asyncpg.exceptions.AdminShutdownError
        | ConnectionError
        | TimeoutError,
    )
