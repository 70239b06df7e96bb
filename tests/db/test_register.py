"""Storage guarantees of the register: facts are append-only; projections equal the fold."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.db.fouten import DubbeleBronReferentie
from app.db.leerlingen import FeitRow, LeerlingRow, TijdvakRow
from app.db.rapportage import RegisterRijRow
from app.db.session import UnitOfWork
from app.domain.toegang import Rol
from app.services import feiten, leerlingen, projectie
from tests.builders import Swv

VANDAAG = datetime.now(UTC).date()


async def leerling_met_verzuim(uow: UnitOfWork, swv: Swv) -> uuid.UUID:
    actor = swv.actor(Rol.REGISSEUR)
    row = await leerlingen.registreer_leerling(
        uow,
        actor,
        leerlingen.NieuweLeerling(
            pseudoniem=f"{uuid.uuid4().int % 10**6:06d}",
            geboortejaar=VANDAAG.year - 11,
            geboortemaand=5,
            regio="noord",
            school_id=swv.scholen[0],
        ),
    )
    await feiten.meld_feit(
        uow,
        actor,
        row.id,
        feiten.NieuwFeit("inschrijving", VANDAAG - timedelta(days=300), school_id=swv.scholen[0]),
    )
    await feiten.meld_feit(
        uow, actor, row.id, feiten.NieuwFeit("verzuim-gestart", VANDAAG - timedelta(days=100))
    )
    return row.id


async def test_rule_15_facts_cannot_be_updated_or_deleted(
    uow: UnitOfWork, swv_a: Swv, connection: AsyncConnection
) -> None:
    await leerling_met_verzuim(uow, swv_a)
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    for statement in ("UPDATE feiten SET soort = 'x'", "DELETE FROM feiten", "TRUNCATE feiten"):
        savepoint = await connection.begin_nested()
        with pytest.raises(DBAPIError, match=r"nooit gewijzigd|permission denied"):
            await connection.execute(text(statement))
        await savepoint.rollback()


async def test_rebuilt_projections_equal_the_stored_ones(
    uow: UnitOfWork, swv_a: Swv, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """`rebuild-projections` reproduces exactly what the appends stored: the timeline and the
    rows of the Inspectie register."""
    ids = [await leerling_met_verzuim(uow, swv_a) for _ in range(3)]

    async def snapshot() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        async with sessionmaker(info={"swv_id": "*"}) as session:
            rows = await session.scalars(
                select(TijdvakRow)
                .where(TijdvakRow.leerling_id.in_(ids))
                .order_by(TijdvakRow.leerling_id, TijdvakRow.volgnummer)
            )
            perioden: list[tuple[object, ...]] = [
                (r.leerling_id, r.volgnummer, r.categorie, r.start, r.einde, r.regel, r.feit_ids)
                for r in rows
            ]
            tabel = RegisterRijRow.__table__
            rijen = await session.execute(
                select(tabel)
                .where(tabel.c.leerling_id.in_(ids))
                .order_by(tabel.c.leerling_id, tabel.c.peildatum)
            )
            return perioden, [tuple(r) for r in rijen]

    stored = await snapshot()
    assert {row[2] for row in stored[0]} >= {"B1", "B2a", "B2b"}
    assert len(stored[1]) >= 3, "each thuiszitter is in the register of coming peildata"
    assert await projectie.herbouw_projecties(uow) >= 3
    assert await snapshot() == stored


async def test_an_append_for_a_child_never_listed_costs_no_extra_statement(
    uow: UnitOfWork, swv_a: Swv, connection: AsyncConnection
) -> None:
    """The register rows go with the timeline's statements: deleted in the same statement, and
    inserted only for a child in some register."""
    actor = swv_a.actor(Rol.REGISSEUR)
    leerling = await leerlingen.registreer_leerling(
        uow,
        actor,
        leerlingen.NieuweLeerling(
            pseudoniem="ziek01",
            geboortejaar=VANDAAG.year - 11,
            geboortemaand=5,
            regio="noord",
            school_id=swv_a.scholen[0],
        ),
    )
    await feiten.meld_feit(
        uow,
        actor,
        leerling.id,
        feiten.NieuwFeit("inschrijving", VANDAAG - timedelta(days=300), school_id=swv_a.scholen[0]),
    )
    statements: list[str] = []

    def vastleggen(*args: Any) -> None:  # SQL through SQLAlchemy
        statements.append(str(args[2]))

    def vastleggen_driver(vraag: Any) -> None:  # the hot paths' plain SQL on the driver
        if not vraag.query.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):  # the test's nesting
            statements.append(vraag.query)

    driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None
    event.listen(connection.sync_connection, "before_cursor_execute", vastleggen)
    driver.add_query_logger(vastleggen_driver)
    try:
        await feiten.meld_feit(
            uow, actor, leerling.id, feiten.NieuwFeit("ziekmelding", VANDAAG - timedelta(days=2))
        )
        zonder = list(statements)
        statements.clear()
        await feiten.meld_feit(
            uow,
            actor,
            leerling.id,
            feiten.NieuwFeit("verzuim-gestart", VANDAAG - timedelta(days=90)),
        )
        met = list(statements)
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", vastleggen)
        driver.remove_query_logger(vastleggen_driver)
    assert any(s.startswith("INSERT INTO feiten") for s in zonder)
    register_statements = [s for s in zonder if "register_rijen" in s]
    assert len(register_statements) == 1
    assert "DELETE FROM tijdlijn_perioden" in register_statements[0]
    # The events of what changed (app/services/notificaties.py) cost one statement, if any.
    zonder_events = [s for s in zonder if "INTO notificaties" not in s]
    met_events = [s for s in met if "INTO notificaties" not in s]
    assert len(met) - len(met_events) <= 1
    assert len(met_events) == len(zonder_events) + 1
    assert any(s.startswith("INSERT INTO register_rijen") for s in met)


async def test_row_level_security_hides_other_swvs_even_from_a_faulty_query(
    uow: UnitOfWork, swv_a: Swv, swv_b: Swv, connection: AsyncConnection
) -> None:
    """The application's database role cannot read another SWV's rows."""
    await leerling_met_verzuim(uow, swv_a)
    await leerling_met_verzuim(uow, swv_b)
    role = (
        await connection.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        )
    ).one()
    assert tuple(role) == (False, False)

    async def count(table: str, swv: str) -> int:
        await connection.execute(text("SELECT set_config('app.swv_id', :s, true)"), {"s": swv})
        query = text(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed table names)
        return int((await connection.execute(query)).scalar_one())

    tables = (
        "leerlingen",
        "feiten",
        "tijdlijn_perioden",
        "register_rijen",
        "leerling_vestigingen",
        "scholen",
    )
    for table in tables:
        only_a = await count(table, str(swv_a.id))
        everything = await count(table, "*")
        assert 0 < only_a < everything, table
        assert await count(table, "") == 0, table
    await connection.execute(
        text("SELECT set_config('app.swv_id', :s, true)"), {"s": str(swv_a.id)}
    )
    savepoint = await connection.begin_nested()
    with pytest.raises(DBAPIError, match="row-level security"):
        await connection.execute(text("UPDATE scholen SET swv_id = :b"), {"b": swv_b.id})
    await savepoint.rollback()


async def test_hot_path_scope_equals_leesbaar_for_every_role_and_scope(
    uow: UnitOfWork, swv_a: Swv, swv_b: Swv
) -> None:
    """The plain-SQL scope of the hot paths (`kind`) finds exactly the children `leesbaar`
    finds, for every role with every kind of vestiging or gemeente scope."""
    regisseur = swv_a.actor(Rol.REGISSEUR)
    kinderen: list[uuid.UUID] = []
    for school, gemeente in ((0, 0), (1, 1), (0, None), (None, 1), (None, None)):
        row = await leerlingen.registreer_leerling(
            uow,
            regisseur,
            leerlingen.NieuweLeerling(
                pseudoniem=f"{uuid.uuid4().int % 10**6:06d}",
                geboortejaar=VANDAAG.year - 10,
                geboortemaand=3,
                regio="zuid",
                school_id=swv_a.scholen[school] if school is not None else None,
                woongemeente=swv_a.gemeente_codes[gemeente] if gemeente is not None else None,
            ),
        )
        kinderen.append(row.id)
    anders = await leerling_met_verzuim(uow, swv_b)
    vergeleken = 0
    for rol in Rol:
        for school in (None, 0, 1):
            for gemeente in (None, 0, 1):
                actor = swv_a.actor(rol, school=school, gemeente=gemeente)
                async with uow.voor(actor):
                    verwacht = set(
                        await uow.session.scalars(
                            uow.leerlingen.leesbaar(actor)
                            .with_only_columns(LeerlingRow.id)
                            .where(LeerlingRow.id.in_([*kinderen, anders]))
                        )
                    )
                    gevonden = {
                        k for k in [*kinderen, anders] if await uow.leerlingen.kind(actor, k)
                    }
                    await uow.commit()
                assert gevonden == verwacht, (rol, school, gemeente)
                vergeleken += 1
    assert vergeleken == len(Rol) * 9


async def test_a_reference_taken_by_another_child_at_the_same_moment_is_a_conflict(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    """The unique index catches what the check before the insert could not see (a report
    with the same bronReferentie for another child, committed in between): 409, not 500."""
    actor = swv_a.actor(Rol.REGISSEUR)
    eerste = await leerling_met_verzuim(uow, swv_a)
    tweede = await leerling_met_verzuim(uow, swv_a)
    async with uow.voor(actor):
        for leerling_id in (eerste, tweede):
            row = FeitRow(
                id=uuid.uuid4(),
                leerling_id=leerling_id,
                swv_id=swv_a.id,
                soort="ziekmelding",
                geldig_vanaf=VANDAAG,
                geregistreerd_op=datetime.now(UTC),
                payload={"door_ouders": True},
                bron="bron-x",
                bron_referentie="ref-1",
                gemeld_door=actor.id,
                school_id=None,
            )
            if leerling_id == eerste:
                await uow.leerlingen.schrijf_feit(row)
            else:
                with pytest.raises(DubbeleBronReferentie):
                    await uow.leerlingen.schrijf_feit(row)


async def test_a_register_row_is_refused_for_a_child_of_another_swv_or_no_child(
    uow: UnitOfWork, swv_a: Swv, swv_b: Swv, connection: AsyncConnection
) -> None:
    """One composite foreign key per register row (docs/decisions/0049): the child exists and
    is of the row's SWV, whatever the tenant setting lets through."""
    kind_a = await leerling_met_verzuim(uow, swv_a)
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    kopie = (
        "INSERT INTO register_rijen SELECT {kolommen} FROM register_rijen "
        "WHERE leerling_id = :a LIMIT 1"
    )
    kolommen = [
        str(c)
        for c in (
            await connection.execute(
                text(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = 'register_rijen' ORDER BY ordinal_position"
                )
            )
        ).scalars()
    ]
    assert (
        await connection.execute(
            text("SELECT count(*) FROM register_rijen WHERE leerling_id = :a"), {"a": kind_a}
        )
    ).scalar_one() > 0
    for vervang, waarde in (("swv_id", swv_b.id), ("leerling_id", uuid.uuid4())):
        lijst = ", ".join(
            f":w AS {c}" if c == vervang else ("peildatum + 1" if c == "peildatum" else c)
            for c in kolommen
        )
        savepoint = await connection.begin_nested()
        with pytest.raises(DBAPIError, match="foreign key"):
            await connection.execute(text(kopie.format(kolommen=lijst)), {"a": kind_a, "w": waarde})
        await savepoint.rollback()
    # The same row for its own child and SWV on another day is accepted.
    lijst = ", ".join("peildatum + 1" if c == "peildatum" else c for c in kolommen)
    await connection.execute(text(kopie.format(kolommen=lijst)), {"a": kind_a})


async def test_plain_sql_list_equals_the_orm_list_for_every_scope_sort_and_filter(
    uow: UnitOfWork, swv_a: Swv, swv_b: Swv
) -> None:
    """The list's plain-SQL page (`lijst_op_peildatum`, decision 0047) answers the same
    children, in the same order, with the same period and total as the ORM list (`lijst` +
    `perioden_op`), and the same totals per category (`totalen_op_peildatum`): for every role
    and kind of scope, every sort order, and the filters on category, school and change since
    a moment, on pages inside and beyond the end; filtered on categories without `geen` it
    starts from the periods, with `geen` or without a filter from the children."""
    regisseur = swv_a.actor(Rol.REGISSEUR)
    for n, (school, gemeente, feitsoorten) in enumerate(
        (
            (0, 0, ("inschrijving", "verzuim-gestart")),
            (1, 1, ("inschrijving",)),
            (0, None, ("inschrijving", "verzuim-gestart")),
            (None, 1, ()),
            (1, None, ("inschrijving", "verzuim-gestart")),
            (None, None, ("inschrijving",)),
            (0, 1, ()),
        )
    ):
        row = await leerlingen.registreer_leerling(
            uow,
            regisseur,
            leerlingen.NieuweLeerling(
                pseudoniem=f"{uuid.uuid4().int % 10**6:06d}",
                geboortejaar=VANDAAG.year - 8 - n % 3,
                geboortemaand=1 + n % 2,
                regio="zuid",
                school_id=swv_a.scholen[school] if school is not None else None,
                woongemeente=swv_a.gemeente_codes[gemeente] if gemeente is not None else None,
            ),
        )
        for dagen, soort in zip((300 - n, 100 + n), feitsoorten, strict=False):
            nieuw = feiten.NieuwFeit(
                soort,
                VANDAAG - timedelta(days=dagen),
                school_id=swv_a.scholen[school or 0] if soort == "inschrijving" else None,
            )
            await feiten.meld_feit(uow, regisseur, row.id, nieuw)
    await leerling_met_verzuim(uow, swv_b)
    async with uow.voor(regisseur):
        moment = (await uow.klok()) - timedelta(minutes=5)
        await uow.commit()

    async def vergelijk(actor: Any, **filters: Any) -> int:
        async with uow.voor(actor):
            rows, totaal = await uow.leerlingen.lijst(actor, **filters)
            perioden = await uow.leerlingen.perioden_op([r.id for r in rows], filters["peildatum"])
            verwacht = [
                (r.id, r.pseudoniem, r.geboortejaar, r.geboortemaand, r.regio)
                + (
                    (perioden[r.id].categorie, perioden[r.id].start)
                    if r.id in perioden
                    else (None, None)
                )
                for r in rows
            ]
            regels, plain_totaal = await uow.leerlingen.lijst_op_peildatum(actor, **filters)
            per_categorie: dict[str, Any] = {
                k: filters.get(k) for k in ("peildatum", "school_id", "categorieen")
            }
            totalen = await uow.leerlingen.totalen_per_categorie(actor, **per_categorie)
            plain_totalen = await uow.leerlingen.totalen_op_peildatum(actor, **per_categorie)
            await uow.commit()
        assert plain_totalen == totalen, (actor.rol, filters)
        gevonden = [
            (r.id, r.pseudoniem, r.geboortejaar, r.geboortemaand, r.regio, r.categorie, r.start)
            for r in regels
        ]
        assert (gevonden, plain_totaal) == (verwacht, totaal), (actor.rol, filters)
        gezien.update(r.categorie for r in regels)
        return len(regels)

    gezien: set[str | None] = set()

    for rol in Rol:
        for school in (None, 0, 1):
            for gemeente in (None, 0, 1):
                actor = swv_a.actor(rol, school=school, gemeente=gemeente)
                await vergelijk(actor, peildatum=VANDAAG, offset=0, limit=20)
                await vergelijk(actor, peildatum=VANDAAG, offset=0, limit=20, categorieen=["B2b"])
    getoond = 0
    uit_perioden = 0
    for peildatum in (VANDAAG, VANDAAG - timedelta(days=150)):
        for sorteer in ("pseudoniem", "geboortejaar", "categorie", "categorieSinds"):
            for aflopend in (False, True):
                for categorieen in (None, ["B2b", "geen"], ["B2b", "A1"], []):
                    for school_id in (None, swv_a.scholen[0]):
                        for gewijzigd_sinds in (None, moment):
                            for offset, limit in ((0, 4), (4, 4), (50, 4)):
                                aantal = await vergelijk(
                                    regisseur,
                                    peildatum=peildatum,
                                    offset=offset,
                                    limit=limit,
                                    school_id=school_id,
                                    categorieen=categorieen,
                                    sorteer=sorteer,
                                    aflopend=aflopend,
                                    gewijzigd_sinds=gewijzigd_sinds,
                                )
                                getoond += aantal
                                if categorieen == ["B2b", "A1"]:
                                    uit_perioden += aantal
    assert getoond > 0
    assert uit_perioden > 0  # the form that starts from the periods showed children
    assert {"B2b", "geen", None} <= gezien, (
        gezien
    )  # children with and without a period on the peildatum
