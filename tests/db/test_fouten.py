"""How the database layer names a fault, whatever wraps it (asyncpg, SQLAlchemy's adapter, the
pool): lost connection or restart (503), statement timeout (503), duplicate key (409)."""

from __future__ import annotations

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import exc as sa_exc

from app.db.fouten import VerbindingVerloren, dubbele_sleutel, is_onbereikbaar, is_time_out


def verpakt(oorzaak: BaseException) -> sa_exc.DBAPIError:
    """As SQLAlchemy's asyncpg dialect raises it: its own error, the driver's as the cause."""
    adapter = Exception(str(oorzaak))
    adapter.__cause__ = oorzaak
    return sa_exc.DBAPIError("SELECT 1", None, adapter)


def test_a_restarting_server_57p03_wrapped_is_unreachable() -> None:
    assert is_onbereikbaar(verpakt(asyncpg.exceptions.CannotConnectNowError("starting up")))
    assert is_onbereikbaar(verpakt(asyncpg.exceptions.AdminShutdownError("terminating")))


def test_a_closed_connection_08003_wrapped_is_unreachable() -> None:
    assert is_onbereikbaar(verpakt(asyncpg.exceptions.ConnectionDoesNotExistError("closed")))


def test_a_connection_killed_between_two_statements_is_unreachable() -> None:
    fout = asyncpg.exceptions.InternalClientError(
        "cannot switch to state 12; another operation (2) is in progress"
    )
    assert is_onbereikbaar(fout)
    assert is_onbereikbaar(verpakt(fout))
    assert is_onbereikbaar(VerbindingVerloren("InterfaceError"))


def test_a_statement_timeout_57014_is_a_time_out_not_a_lost_connection() -> None:
    fout = verpakt(asyncpg.exceptions.QueryCanceledError("canceling statement"))
    assert is_time_out(fout)
    assert not is_onbereikbaar(fout)


def test_a_unique_violation_names_its_constraint() -> None:
    fout = asyncpg.exceptions.UniqueViolationError("duplicate key")
    fout.constraint_name = "uq_leerlingen_swv_id_pseudoniem"
    assert dubbele_sleutel(verpakt(fout)) == "uq_leerlingen_swv_id_pseudoniem"
    assert not is_onbereikbaar(verpakt(fout))


def test_faults_in_our_own_code_are_none_of_these() -> None:
    for fout in (
        ValueError("bug"),
        asyncpg.exceptions.DataError("invalid input for query argument"),
        verpakt(asyncpg.exceptions.UndefinedColumnError("no such column")),
        asyncpg.exceptions.InternalClientError("something else"),
    ):
        assert not is_onbereikbaar(fout)
        assert not is_time_out(fout)
        assert dubbele_sleutel(fout) is None


def test_an_error_raised_from_none_hides_its_context() -> None:
    fout = ValueError("unrelated")
    fout.__context__ = asyncpg.exceptions.ConnectionDoesNotExistError("closed")
    assert is_onbereikbaar(fout)  # raised while handling a lost connection
    fout.__suppress_context__ = True  # `raise ... from None`
    assert not is_onbereikbaar(fout)
