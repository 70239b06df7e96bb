"""The register read from its projection equals the register folded from every child's facts
(decision 12), through the real database: same JSON bytes, same summary, on every peildatum of
two school years, also after corrections, withdrawals, new settings, a rebuild and anonymising.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.leerlingen import FeitRow
from app.db.organisaties import SwvRow
from app.db.rapportage import RegisterRijRow
from app.db.session import UnitOfWork
from app.domain.feiten import feit_naar_dict
from app.domain.rapportage import (
    InspectieRegister,
    Peildata,
    inspectie_rijen,
    register_kop,
    samenvatting,
)
from app.domain.toegang import Actor, Rol
from app.services import (
    context,
    feiten,
    instellingen,
    leerlingen,
    projectie,
    registerrijen,
    schoolvakanties,
)
from app.services.demo import DEMO_SWV_CODE, laad_demodata
from app.services.demo.synthetisch import laad_synthetische_regio
from app.services.privacy import anonimiseer_verlopen
from app.services.rapportage import (
    _met_kinderen,
    inspectie_rapport,
    register_json,
    tussen_peildata,
)
from tests.builders import Swv

VANDAAG = datetime.now(UTC).date()


async def swv_op_code(uow: UnitOfWork, code: str) -> SwvRow:
    async with uow.alle_swvs():
        swv = await uow.organisaties.swv_op_code(code)
        assert swv is not None
        return swv


def regisseur(swv_id: uuid.UUID) -> Actor:
    return Actor(id="test-regisseur", rol=Rol.REGISSEUR, swv_id=str(swv_id))


async def peildata_van(uow: UnitOfWork, actor: Actor) -> Peildata:
    async with uow.voor(actor):
        swv = await context.swv_van(uow, actor)
        await uow.commit()
    return context.peildata_van(swv)


async def gevouwen(uow: UnitOfWork, actor: Actor, peildatum: date) -> InspectieRegister:
    """The register by definition: every child of the SWV folded from its facts as known now."""
    async with uow.voor(actor):
        swv = await context.swv_van(uow, actor)
        beleid = context.beleid_van(swv)
        kalender = await schoolvakanties.kalender_voor(uow, swv.id, beleid)
        kop = register_kop(peildatum, peildata=context.peildata_van(swv))
        rijen = await _met_kinderen(
            uow,
            swv.id,
            lambda kinderen: tuple(inspectie_rijen(kinderen, beleid, kop, kalender=kalender)),
        )
        await uow.commit()
    return InspectieRegister(kop, rijen)


async def twee_schooljaren(uow: UnitOfWork, actor: Actor, eindjaar: int) -> list[date]:
    peildata = await peildata_van(uow, actor)
    return [*peildata.van_schooljaar(eindjaar), *peildata.van_schooljaar(eindjaar + 1)]


async def gelijk_op(uow: UnitOfWork, actor: Actor, peildata: list[date]) -> int:
    """Assert the report from the projection equals the folded one on each peildatum (register
    bytes and summary against the previous peildatum); returns how many rows it compared."""
    eigen = await peildata_van(uow, actor)
    async with uow.voor(actor):
        beleid = context.beleid_van(await context.swv_van(uow, actor))
        await uow.commit()
    rijen = 0
    for peildatum in peildata:
        assert registerrijen.beantwoordt(beleid, eigen, peildatum, None), peildatum
        rapport = await inspectie_rapport(uow, actor, peildatum=peildatum, bekend_op=None)
        huidig = await gevouwen(uow, actor, peildatum)
        vorig = await gevouwen(uow, actor, eigen.vorige(peildatum))
        assert register_json(rapport.register) == register_json(huidig), peildatum
        assert rapport.samenvatting == samenvatting(huidig, vorig), peildatum
        rijen += len(huidig.rijen)
    return rijen


async def opgeslagen(
    sessionmaker: async_sessionmaker[AsyncSession], swv_id: uuid.UUID
) -> list[tuple[object, ...]]:
    async with sessionmaker(info={"swv_id": "*"}) as session:
        rows = await session.execute(
            select(RegisterRijRow)
            .where(RegisterRijRow.swv_id == swv_id)
            .order_by(RegisterRijRow.leerling_id, RegisterRijRow.peildatum)
        )
        kolommen = [c.name for c in RegisterRijRow.__table__.columns]
        return [tuple(getattr(r, k) for k in kolommen) for (r,) in rows]


async def test_projected_register_equals_the_folded_one_on_the_demo_data(
    uow: UnitOfWork,
) -> None:
    await laad_demodata(uow)
    actor = regisseur((await swv_op_code(uow, DEMO_SWV_CODE)).id)
    eindjaar = (await peildata_van(uow, actor)).schooljaar(VANDAAG)
    assert await gelijk_op(uow, actor, await twee_schooljaren(uow, actor, eindjaar - 1)) > 0


async def test_projected_register_equals_the_folded_one_on_a_generated_region_also_after_rebuild(
    uow: UnitOfWork, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await laad_synthetische_regio(uow, swv_code="GEN-P", aantal=300, seed=17, schooljaar=2026)
    swv = await swv_op_code(uow, "GEN-P")
    actor = regisseur(swv.id)
    peildata = await twee_schooljaren(uow, actor, 2026)
    assert await gelijk_op(uow, actor, peildata) > 20
    stored = await opgeslagen(sessionmaker, swv.id)
    assert await projectie.herbouw_projecties(uow, swv.id) == 300
    assert await opgeslagen(sessionmaker, swv.id) == stored, "rebuild-projections reproduces it"
    verschillen = await tussen_peildata(
        uow, actor, van=date(2026, 3, 1), tot=date(2026, 6, 1), bekend_op=None
    )
    assert verschillen, "the registers of two peildata differ (read from the projection)"


async def test_projected_register_follows_corrections_and_withdrawals(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    actor = swv_a.actor(Rol.REGISSEUR)
    school = swv_a.scholen[0]
    verzuim: dict[str, FeitRow] = {}
    for naam in ("corr01", "intr01", "blijf1"):
        leerling = await leerlingen.registreer_leerling(
            uow,
            actor,
            leerlingen.NieuweLeerling(
                pseudoniem=naam,
                geboortejaar=VANDAAG.year - 12,
                geboortemaand=3,
                regio="midden",
                school_id=school,
            ),
        )
        await feiten.meld_feit(
            uow,
            actor,
            leerling.id,
            feiten.NieuwFeit("inschrijving", VANDAAG - timedelta(days=500), school_id=school),
        )
        gemeld = await feiten.meld_feit(
            uow,
            actor,
            leerling.id,
            feiten.NieuwFeit("verzuim-gestart", VANDAAG - timedelta(days=60)),
        )
        verzuim[naam] = gemeld.feit
    eindjaar = (await peildata_van(uow, actor)).schooljaar(VANDAAG)
    peildata = await twee_schooljaren(uow, actor, eindjaar)
    voor = await gelijk_op(uow, actor, peildata)

    eerder = verzuim["corr01"]
    await feiten.meld_feit(
        uow,
        actor,
        eerder.leerling_id,
        feiten.NieuwFeit(
            "correctie",
            VANDAAG - timedelta(days=200),
            {
                "betreft": str(eerder.id),
                "reden": "de melding was verkeerd gedaan",
                "vervanging": {
                    "soort": "verzuim-gestart",
                    **feit_naar_dict(projectie.feit_van(eerder)),
                    "geldig_vanaf": (VANDAAG - timedelta(days=200)).isoformat(),
                },
            },
        ),
    )
    ingetrokken = verzuim["intr01"]
    await feiten.meld_feit(
        uow,
        actor,
        ingetrokken.leerling_id,
        feiten.NieuwFeit(
            "intrekking",
            ingetrokken.geldig_vanaf,
            {"betreft": str(ingetrokken.id), "reden": "de melding was verkeerd gedaan"},
        ),
    )
    na = await gelijk_op(uow, actor, [*await twee_schooljaren(uow, actor, eindjaar - 1)])
    assert na > 0
    assert await gelijk_op(uow, actor, peildata) < voor, "the withdrawn absence is gone"


async def test_projected_register_follows_new_peildata_and_beleid(
    uow: UnitOfWork, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await laad_synthetische_regio(uow, swv_code="GEN-I", aantal=200, seed=5, schooljaar=2026)
    swv = await swv_op_code(uow, "GEN-I")
    actor = regisseur(swv.id)
    beheerder = Actor(id="test-beheerder", rol=Rol.BEHEERDER, swv_id=str(swv.id))
    voor = await opgeslagen(sessionmaker, swv.id)
    gewijzigd = await instellingen.wijzig(
        uow,
        beheerder,
        versie=swv.versie,
        wijziging=instellingen.Wijziging(
            beleid={
                "peildata": ["10-01", "01-15", "07-01"],
                "b2_na_dagen": 21,
                "pact_na_maanden": 2,
                "thuiswerkplan_telt_als_aanbod": False,
            }
        ),
    )
    assert {r[1] for r in await opgeslagen(sessionmaker, swv.id)} != {r[1] for r in voor}
    nieuw = await twee_schooljaren(uow, actor, 2026)
    assert nieuw[:3] == [date(2025, 10, 1), date(2026, 1, 15), date(2026, 7, 1)]
    assert await gelijk_op(uow, actor, nieuw) > 0
    # A peildatum of the default is no longer one of this SWV: folded from the facts.
    oud = await inspectie_rapport(uow, actor, peildatum=date(2026, 3, 1), bekend_op=None)
    assert register_json(oud.register) == register_json(
        await gevouwen(uow, actor, date(2026, 3, 1))
    )
    # Lesweken and back: the report is folded meanwhile, the projection rebuilt each time.
    lesweken = await instellingen.wijzig(
        uow,
        beheerder,
        versie=gewijzigd.versie,
        wijziging=instellingen.Wijziging(beleid={"weektelling": "lesweken"}),
    )
    les = await inspectie_rapport(uow, actor, peildatum=nieuw[1], bekend_op=None)
    assert register_json(les.register) == register_json(await gevouwen(uow, actor, nieuw[1]))
    await instellingen.wijzig(
        uow,
        beheerder,
        versie=lesweken.versie,
        wijziging=instellingen.Wijziging(beleid={"weektelling": "kalenderdagen"}),
    )
    assert await gelijk_op(uow, actor, nieuw) > 0


async def test_projected_register_carries_the_pseudonym_of_an_anonymised_child(
    uow: UnitOfWork, swv_a: Swv, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    actor = swv_a.actor(Rol.REGISSEUR)
    school = swv_a.scholen[0]
    leerling = await leerlingen.registreer_leerling(
        uow,
        actor,
        leerlingen.NieuweLeerling(
            pseudoniem="anon01",
            geboortejaar=VANDAAG.year - 10,
            geboortemaand=9,
            regio="zuid",
            school_id=school,
        ),
    )
    for melding in (
        feiten.NieuwFeit("inschrijving", VANDAAG - timedelta(days=400), school_id=school),
        feiten.NieuwFeit("verzuim-gestart", VANDAAG - timedelta(days=200)),
        feiten.NieuwFeit(
            "verzuim-beeindigd", VANDAAG - timedelta(days=100), {"reden": "schoolgang-hersteld"}
        ),
    ):
        await feiten.meld_feit(uow, actor, leerling.id, melding)
    voor = await opgeslagen(sessionmaker, swv_a.id)
    assert voor
    assert {r[3] for r in voor} == {"anon01"}

    later = datetime.now(UTC) + timedelta(days=3 * 366)
    assert await anonimiseer_verlopen(uow, bewaarjaren=2, nu=later) >= 1
    na = await opgeslagen(sessionmaker, swv_a.id)
    assert [r[:3] for r in na] == [r[:3] for r in voor]
    assert {r[3] for r in na} == {"anon-" + hashlib.sha256(leerling.id.bytes).hexdigest()[:12]}
    eindjaar = (await peildata_van(uow, actor)).schooljaar(VANDAAG - timedelta(days=200))
    assert await gelijk_op(uow, actor, await twee_schooljaren(uow, actor, eindjaar)) > 0


async def test_a_child_never_listed_has_no_register_rows(uow: UnitOfWork, swv_a: Swv) -> None:
    actor = swv_a.actor(Rol.REGISSEUR)
    leerling = await leerlingen.registreer_leerling(
        uow,
        actor,
        leerlingen.NieuweLeerling(
            pseudoniem="kort01",
            geboortejaar=VANDAAG.year - 9,
            geboortemaand=1,
            regio="noord",
            school_id=swv_a.scholen[0],
        ),
    )
    for melding in (
        feiten.NieuwFeit("inschrijving", VANDAAG - timedelta(days=300), school_id=swv_a.scholen[0]),
        feiten.NieuwFeit("ziekmelding", VANDAAG - timedelta(days=3), {"door_ouders": True}),
    ):
        await feiten.meld_feit(uow, actor, leerling.id, melding)
    async with uow.voor(actor):
        aantal = await uow.session.scalar(
            select(func.count()).where(RegisterRijRow.leerling_id == leerling.id)
        )
        await uow.commit()
    assert aantal == 0
