"""Retention that keeps the past intact and leaves a trace (AVG art. 5 lid 1 sub e, art. 15):
anonymising never changes what a past peildatum said, every maintenance run is audited, a
child's inzage names every register, list and overview it was in, and the database lets
anonymisation only blank."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.cli import main
from app.config import get_settings
from app.db.organisaties import SwvRow
from app.db.session import UnitOfWork
from app.domain.rapportage import STANDAARD_PEILDATA, Peildata
from app.domain.toegang import Actor, Rol
from app.services import monitor, rapportage
from app.services.exports import samenvatting_naar_dict, schrijf_register_csv
from app.services.privacy import ANONIMISEREN, GEBOORTEDAG_BEHOUDEN, anonimiseer_verlopen
from tests.api.test_leerlingen import dag, ingeschreven, meld, registreer
from tests.builders import FakeAuthenticator, Swv

VANDAAG = datetime.now(UTC).date()
LATER = datetime.now(UTC) + timedelta(days=3 * 366)
"""A maintenance run three years on: every closed record of these tests is past retention."""


def achttiende_verjaardag() -> date:
    """A 1 March (a standard peildatum) at least 40 days ago: the child turns 18 on it."""
    kandidaat = date(VANDAAG.year, 3, 1)
    return kandidaat if kandidaat < VANDAAG - timedelta(days=40) else date(VANDAAG.year - 1, 3, 1)


ACHTTIEN = achttiende_verjaardag()
GEBOREN = date(ACHTTIEN.year - 18, 3, 1)


def achttien_op_de_zeventiende() -> date:
    """A 17 March whose next 1 June (a standard peildatum) is at least 40 days ago."""
    jaar = (
        VANDAAG.year
        if date(VANDAAG.year, 6, 1) < VANDAAG - timedelta(days=40)
        else (VANDAAG.year - 1)
    )
    return date(jaar, 3, 17)


ACHTTIEN_17 = achttien_op_de_zeventiende()
GEBOREN_17 = date(ACHTTIEN_17.year - 18, 3, 17)
JUNI_NA_17 = date(ACHTTIEN_17.year, 6, 1)
"""The first standard peildatum after that birthday: its register lists the ended episode."""


@pytest.fixture
async def identified(sessionmaker: async_sessionmaker[AsyncSession], swv_b: Swv) -> Swv:
    async with sessionmaker(info={"swv_id": "*"}) as session:
        await session.execute(
            update(SwvRow)
            .where(SwvRow.id == swv_b.id)
            .values(privacy_modus="geidentificeerd", rechtsgrond="Testgrondslag (fictief)")
        )
        await session.commit()
    return swv_b


def peildata_in_het_verleden(achttien: date, *, andere_dagen: bool = True) -> list[date]:
    """Every standard peildatum from two school years before the 18th birthday up to today,
    and unless told a few other days around the birthday (computed from the facts, not the
    projection)."""
    jaren = range(achttien.year - 2, VANDAAG.year + 2)
    data = {d for j in jaren for d in STANDAARD_PEILDATA.van_schooljaar(j) if d < VANDAAG}
    if andere_dagen:
        data |= {achttien - timedelta(days=1), achttien + timedelta(days=14)}
    return sorted(data)


async def het_verleden(
    uow: UnitOfWork,
    actor: Actor,
    bekend_op: list[datetime | None],
    achttien: date = ACHTTIEN,
    *,
    andere_dagen: bool = True,
) -> dict[str, bytes]:
    """Every past register (JSON and CSV), summary and SWV overview, as known now and on each
    moment given."""
    uit: dict[str, bytes] = {}
    for peildatum in peildata_in_het_verleden(achttien, andere_dagen=andere_dagen):
        for moment in bekend_op:
            sleutel = f"{peildatum}@{moment}"
            rapport = await rapportage.inspectie_rapport(
                uow, actor, peildatum=peildatum, bekend_op=moment
            )
            uit[f"register {sleutel}"] = rapportage.register_json(rapport.register)
            csv = io.BytesIO()  # the columns of the CSV and the XLSX's "Register" sheet
            schrijf_register_csv(rapport.register.rijen, csv)
            uit[f"csv {sleutel}"] = csv.getvalue()
            uit[f"samenvatting {sleutel}"] = json.dumps(
                samenvatting_naar_dict(rapport.samenvatting), ensure_ascii=False
            ).encode()
            overzicht = await rapportage.overzicht(
                uow, actor, peildatum=peildatum, bekend_op=moment
            )
            uit[f"overzicht {sleutel}"] = repr(overzicht).encode()
    return uit


@dataclass
class Dossier:
    leerling: dict[str, Any]
    headers: dict[str, str]
    actor: Actor


async def thuiszitter_tot_achttien(
    client: AsyncClient,
    auth: FakeAuthenticator,
    swv: Swv,
    *,
    achttien: date = ACHTTIEN,
    terug_op_school: date | None = None,
    **registratie: Any,
) -> Dossier:
    """A child enrolled long ago, absent from some months before its 18th birthday on (or back
    at school on `terug_op_school`)."""
    actor = swv.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0)
    headers = auth.headers(actor)
    beheer = auth.headers(swv.actor(Rol.REGISSEUR))
    leerling = await registreer(
        client,
        beheer,
        swv,
        geboortejaar=achttien.year - 18,
        geboortemaand=achttien.month,
        woongemeente=swv.gemeente_codes[0],
        **registratie,
    )
    inschrijving = await meld(
        client,
        beheer,
        leerling["id"],
        "inschrijving",
        (achttien - timedelta(days=700)).isoformat(),
        schoolId=str(swv.scholen[0]),
    )
    assert inschrijving.status_code == 201, inschrijving.text
    verzuim = await meld(
        client,
        beheer,
        leerling["id"],
        "verzuim-gestart",
        (achttien - timedelta(days=150)).isoformat(),
    )
    assert verzuim.status_code == 201, verzuim.text
    if terug_op_school is not None:
        terug = await meld(
            client, beheer, leerling["id"], "verzuim-beeindigd", terug_op_school.isoformat()
        )
        assert terug.status_code == 201, terug.text
    ziek = await meld(
        client, beheer, leerling["id"], "ziekmelding", (achttien - timedelta(days=300)).isoformat()
    )
    ingetrokken = await meld(
        client,
        beheer,
        leerling["id"],
        "intrekking",
        (achttien - timedelta(days=300)).isoformat(),
        gegevens={"betreft": ziek.json()["id"], "reden": "Gesproken met Fictieve Ouder"},
        bronReferentie=f"dossier-{leerling['id']}",
    )
    assert ingetrokken.status_code == 201, ingetrokken.text
    return Dossier(leerling, headers, swv.actor(Rol.REGISSEUR))


async def dien_in(
    client: AsyncClient, auth: FakeAuthenticator, swv: Swv, peildatum: date = ACHTTIEN
) -> dict[str, Any]:
    headers = auth.headers(swv.actor(Rol.REGISSEUR))
    ingediend = await client.post(
        "/v1/inspectie-indieningen", json={"peildatum": peildatum.isoformat()}, headers=headers
    )
    assert ingediend.status_code == 201, ingediend.text
    return dict(ingediend.json())


async def pseudoniem_van(connection: AsyncConnection, leerling_id: str) -> str:
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    return str(
        await connection.scalar(
            text("SELECT pseudoniem FROM leerlingen WHERE id = :id"), {"id": leerling_id}
        )
    )


async def geboortedag_van(connection: AsyncConnection, leerling_id: str) -> int | None:
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    dag = await connection.scalar(
        text("SELECT geboortedag FROM leerlingen WHERE id = :id"), {"id": leerling_id}
    )
    return None if dag is None else int(dag)


async def vergelijk_voor_en_na(
    client: AsyncClient,
    *,
    auth: FakeAuthenticator,
    swv: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
    dossier: Dossier,
    achttien: date = ACHTTIEN,
    ingediend: date = ACHTTIEN,
    andere_dagen: bool = True,
) -> None:
    """Anonymise the child and compare every past register, summary, overview and the submitted
    snapshot (of peildatum `ingediend`) byte for byte; only the pseudonym, which anonymisation
    replaces, may differ. `andere_dagen`: also days that are no peildatum of the SWV."""
    indiening = await dien_in(client, auth, swv, ingediend)
    ingediend_op = datetime.fromisoformat(indiening["bekendOp"])
    snapshot_url = f"/v1/inspectie-indieningen/{indiening['id']}/register"
    regisseur = auth.headers(swv.actor(Rol.REGISSEUR))
    snapshot = (await client.get(snapshot_url, headers=regisseur)).content
    assert dossier.leerling["pseudoniem"].encode() in snapshot, "the child is in the submission"
    voor = await het_verleden(
        uow, dossier.actor, [None, ingediend_op], achttien, andere_dagen=andere_dagen
    )
    assert voor[f"register {ingediend}@{ingediend_op}"] == snapshot

    assert await anonimiseer_verlopen(uow, bewaarjaren=2, nu=LATER) >= 1
    nieuw = await pseudoniem_van(connection, dossier.leerling["id"])
    assert nieuw.startswith("anon-")

    na = await het_verleden(
        uow, dossier.actor, [None, ingediend_op], achttien, andere_dagen=andere_dagen
    )
    oud = dossier.leerling["pseudoniem"].encode()
    assert na.keys() == voor.keys()
    for sleutel in voor:
        assert na[sleutel] == voor[sleutel].replace(oud, nieuw.encode()), sleutel
    assert (await client.get(snapshot_url, headers=regisseur)).content == snapshot
    assert na[f"register {ingediend}@{ingediend_op}"] == snapshot.replace(oud, nieuw.encode())


async def test_anonymising_an_identified_child_born_on_the_first_keeps_every_past_peildatum(
    client: AsyncClient,
    auth: FakeAuthenticator,
    identified: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
) -> None:
    """Regel: anonymising never changes what a past peildatum said (docs/privacy.md). Born on
    1 March, the child turns 18 on the peildatum itself: not counted that day, before and after."""
    dossier = await thuiszitter_tot_achttien(
        client,
        auth,
        identified,
        identiteit={"naam": "Fictief Testkind", "geboortedatum": GEBOREN.isoformat()},
    )
    register = await rapportage.inspectie_rapport(
        uow, dossier.actor, peildatum=ACHTTIEN, bekend_op=None
    )
    (rij,) = register.register.rijen
    assert rij.einddatum == ACHTTIEN, "18 on the peildatum: the episode ended that day"
    await vergelijk_voor_en_na(
        client, auth=auth, swv=identified, uow=uow, connection=connection, dossier=dossier
    )
    regisseur = auth.headers(identified.actor(Rol.REGISSEUR))
    inzage = await client.get(f"/v1/leerlingen/{dossier.leerling['id']}/inzage", headers=regisseur)
    assert inzage.json()["leerling"]["identiteit"] is None, "no birth date shown after"


async def test_an_identified_child_born_on_the_17th_whose_episode_ended_at_18_keeps_its_day(
    client: AsyncClient,
    auth: FakeAuthenticator,
    identified: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
) -> None:
    """Regel: anonymising never changes what a past peildatum said (decision 0046). Born on
    17 March, absent until its 18th birthday: the register of 1 June shows the episode ending on
    that birthday, so the exact day stays; every past register, summary, overview and the
    submitted snapshot are the same bytes, and the run's audit row names the child (id only)."""
    dossier = await thuiszitter_tot_achttien(
        client,
        auth,
        identified,
        achttien=ACHTTIEN_17,
        identiteit={"naam": "Fictief Testkind", "geboortedatum": GEBOREN_17.isoformat()},
    )
    register = await rapportage.inspectie_rapport(
        uow, dossier.actor, peildatum=JUNI_NA_17, bekend_op=None
    )
    (rij,) = register.register.rijen
    assert rij.einddatum == ACHTTIEN_17, "the episode ended on the 18th birthday"
    await vergelijk_voor_en_na(
        client,
        auth=auth,
        swv=identified,
        uow=uow,
        connection=connection,
        dossier=dossier,
        achttien=ACHTTIEN_17,
        ingediend=JUNI_NA_17,
    )
    assert await geboortedag_van(connection, dossier.leerling["id"]) == 17
    fg = auth.headers(identified.actor(Rol.FUNCTIONARIS_GEGEVENSBESCHERMING))
    behouden = await client.get(
        "/v1/auditregels", params={"handeling": GEBOORTEDAG_BEHOUDEN}, headers=fg
    )
    assert behouden.status_code == 200
    (regel,) = behouden.json()["data"]
    assert regel["getoondeLeerlingen"] == [dossier.leerling["id"]]
    regisseur = auth.headers(identified.actor(Rol.REGISSEUR))
    inzage = await client.get(f"/v1/leerlingen/{dossier.leerling['id']}/inzage", headers=regisseur)
    assert inzage.json()["leerling"]["identiteit"] is None, "no birth date shown after"
    assert GEBOORTEDAG_BEHOUDEN in {t["handeling"] for t in inzage.json()["toegang"]}


async def test_an_identified_child_born_on_the_17th_whose_past_needs_no_day_loses_it(
    client: AsyncClient,
    auth: FakeAuthenticator,
    identified: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
) -> None:
    """Regel: anonymisation keeps the birth day only where the past needs it (decision 0046).
    Back at school two months before its 18th birthday on 17 March: no register, summary or
    overview of a peildatum of the SWV reads differently without the day, so it goes, and those
    stay the same bytes. A register asked for on 31 March, no peildatum, now gives the age as
    month precision does (17, not 18): the limit decision 0046 accepts."""
    dossier = await thuiszitter_tot_achttien(
        client,
        auth,
        identified,
        achttien=ACHTTIEN_17,
        terug_op_school=ACHTTIEN_17 - timedelta(days=60),
        identiteit={"naam": "Fictief Testkind", "geboortedatum": GEBOREN_17.isoformat()},
    )
    await vergelijk_voor_en_na(
        client,
        auth=auth,
        swv=identified,
        uow=uow,
        connection=connection,
        dossier=dossier,
        achttien=ACHTTIEN_17,
        ingediend=JUNI_NA_17,
        andere_dagen=False,
    )
    assert await geboortedag_van(connection, dossier.leerling["id"]) is None
    eind_maart = await rapportage.inspectie_rapport(
        uow, dossier.actor, peildatum=ACHTTIEN_17 + timedelta(days=14), bekend_op=None
    )
    assert [r.leeftijd for r in eind_maart.register.rijen] == [17], "no peildatum: month precision"
    fg = auth.headers(identified.actor(Rol.FUNCTIONARIS_GEGEVENSBESCHERMING))
    behouden = await client.get(
        "/v1/auditregels", params={"handeling": GEBOORTEDAG_BEHOUDEN}, headers=fg
    )
    assert behouden.json()["data"] == [], "nobody kept a day: no row"


EIGEN_PEILDATA = ["12-01", "03-20", "06-01", "09-01"]
"""An SWV that counts on 20 March: a peildatum in the birth month after the birthday (17th)."""


async def het_monitorverleden(uow: UnitOfWork, actor: Actor) -> list[str]:
    """The SWV's own monitor on every peildatum of the SWV from three school years before the
    18th birthday (17 March) up to today."""
    jaren = range(ACHTTIEN_17.year - 2, VANDAAG.year + 2)
    eigen = Peildata(dagen=((12, 1), (3, 20), (6, 1), (9, 1)))
    uit = []
    for peildatum in sorted(p for j in jaren for p in eigen.van_schooljaar(j) if p < VANDAAG):
        gegeven = await monitor.monitor(uow, actor, peildatum=peildatum, bekend_op=None)
        uit.append(f"{peildatum} {gegeven.rijen!r}")
    return uit


async def test_a_child_only_in_the_own_monitor_keeps_its_day_for_its_age_there(
    client: AsyncClient,
    auth: FakeAuthenticator,
    identified: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
) -> None:
    """Regel 18 and decision 0046: born on 17 March and home under an LPW art. 11 onder g
    decision a year before its 18th birthday, the child is in no register, only in the SWV's own
    monitor (home with a valid reason). The SWV counts on 20 March, so that monitor lists it
    aged 17; anonymising keeps the day, and the monitor on every peildatum of the SWV reads the
    same before and after, apart from the pseudonym."""
    beheerder = auth.headers(identified.actor(Rol.BEHEERDER))
    etag = (await client.get("/v1/instellingen", headers=beheerder)).headers["etag"]
    eigen = await client.patch(
        "/v1/instellingen",
        json={"peildata": EIGEN_PEILDATA},
        headers={**beheerder, "If-Match": etag},
    )
    assert eigen.status_code == 200, eigen.text
    regisseur = identified.actor(Rol.REGISSEUR)
    leerling = await registreer(
        client,
        auth.headers(regisseur),
        identified,
        geboortejaar=GEBOREN_17.year,
        geboortemaand=3,
        woongemeente=identified.gemeente_codes[0],
        identiteit={"naam": "Fictief Testkind", "geboortedatum": GEBOREN_17.isoformat()},
    )
    twintig_maart = date(ACHTTIEN_17.year - 1, 3, 20)
    leerplicht = auth.headers(identified.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0))
    for soort, datum, headers, extra in [
        (
            "inschrijving",
            ACHTTIEN_17 - timedelta(days=700),
            auth.headers(regisseur),
            {"schoolId": str(identified.scholen[0])},
        ),
        ("besluit-11g", twintig_maart - timedelta(days=100), leerplicht, {}),
        ("besluit-11g-beeindigd", twintig_maart + timedelta(days=30), leerplicht, {}),
    ]:
        feit = await meld(client, headers, leerling["id"], soort, datum.isoformat(), **extra)
        assert feit.status_code == 201, feit.text
    register = await rapportage.inspectie_rapport(
        uow, regisseur, peildatum=twintig_maart, bekend_op=None
    )
    assert register.register.rijen == (), "in no register: only the monitor needs the day"
    op_twintig = await monitor.monitor(uow, regisseur, peildatum=twintig_maart, bekend_op=None)
    assert [(r.typering, r.leeftijd) for r in op_twintig.rijen] == [("geoorloofd", 17)]

    oud = leerling["pseudoniem"]
    voor = await het_monitorverleden(uow, regisseur)
    assert any(oud in regel for regel in voor)
    assert await anonimiseer_verlopen(uow, bewaarjaren=2, nu=LATER) >= 1
    nieuw = await pseudoniem_van(connection, leerling["id"])
    assert nieuw.startswith("anon-")
    assert await geboortedag_van(connection, leerling["id"]) == 17
    assert await het_monitorverleden(uow, regisseur) == [
        regel.replace(oud, nieuw) for regel in voor
    ]


async def test_anonymising_a_pseudonymous_child_keeps_every_past_peildatum(
    client: AsyncClient,
    auth: FakeAuthenticator,
    swv_a: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
) -> None:
    """Regel: anonymising never changes what a past peildatum said, with month precision too."""
    dossier = await thuiszitter_tot_achttien(client, auth, swv_a)
    await vergelijk_voor_en_na(
        client, auth=auth, swv=swv_a, uow=uow, connection=connection, dossier=dossier
    )


JEUGDHULP = "Wijkteam Fictief"


async def test_anonymising_keeps_betrokken_jeugdhulp_in_every_past_register(
    client: AsyncClient,
    auth: FakeAuthenticator,
    swv_a: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
) -> None:
    """Regel 18 and decision 0046: the youth-care organisation comes from the SWV's own list and
    fills the Inspectie register's "Betrokken jeugdhulp", so anonymising keeps it: every past
    register (JSON, CSV), summary, overview and the submitted snapshot are the same bytes apart
    from the pseudonym, and the stored fact keeps `organisatie`; klas (only in the SWV's monitor)
    is blanked, and the facts table refuses to blank or change the organisation."""
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    etag = (await client.get("/v1/instellingen", headers=beheerder)).headers["etag"]
    lijst = await client.patch(
        "/v1/instellingen",
        json={"jeugdhulpOrganisaties": [JEUGDHULP]},
        headers={**beheerder, "If-Match": etag},
    )
    assert lijst.status_code == 200, lijst.text
    dossier = await thuiszitter_tot_achttien(client, auth, swv_a)
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    vanaf = (ACHTTIEN - timedelta(days=150)).isoformat()
    for soort, gegevens in [("jeugdhulp", {"organisatie": JEUGDHULP}), ("klas", {"klas": "2b"})]:
        kenmerk = await meld(
            client, regisseur, dossier.leerling["id"], soort, vanaf, gegevens=gegevens
        )
        assert kenmerk.status_code == 201, kenmerk.text
    register = await rapportage.inspectie_rapport(
        uow, dossier.actor, peildatum=ACHTTIEN, bekend_op=None
    )
    assert [r.jeugdhulp for r in register.register.rijen] == [JEUGDHULP]

    await vergelijk_voor_en_na(
        client, auth=auth, swv=swv_a, uow=uow, connection=connection, dossier=dossier
    )

    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    rijen = await connection.execute(
        text(
            "SELECT soort, payload FROM feiten WHERE leerling_id = :id "
            "AND soort IN ('jeugdhulp', 'klas')"
        ),
        {"id": dossier.leerling["id"]},
    )
    payloads: dict[str, dict[str, object]] = dict(rijen.all())
    assert payloads["jeugdhulp"]["organisatie"] == JEUGDHULP
    assert payloads["klas"]["klas"] == "", "klas only feeds the SWV's monitor: blanked"

    await connection.execute(text("SELECT set_config('app.anonimiseren', 'aan', true)"))
    for waarde in ("", "Ander wijkteam"):
        savepoint = await connection.begin_nested()
        with pytest.raises(DBAPIError, match="nooit gewijzigd"):
            await connection.execute(
                text(
                    "UPDATE feiten SET payload = jsonb_set(payload, '{organisatie}', "
                    "to_jsonb(CAST(:waarde AS text))) WHERE leerling_id = :id "
                    "AND soort = 'jeugdhulp'"
                ),
                {"id": dossier.leerling["id"], "waarde": waarde},
            )
        await savepoint.rollback()


async def test_a_maintenance_run_leaves_audit_rows_the_fg_can_query_and_inzage_shows_it(
    client: AsyncClient,
    auth: FakeAuthenticator,
    swv_a: Swv,
    uow: UnitOfWork,
) -> None:
    """AVG art. 5 lid 2: every run writes, per SWV, the kind of change and the children."""
    dossier = await thuiszitter_tot_achttien(client, auth, swv_a)
    fg = auth.headers(swv_a.actor(Rol.FUNCTIONARIS_GEGEVENSBESCHERMING))
    assert await anonimiseer_verlopen(uow, bewaarjaren=2) == 0
    leeg = await client.get("/v1/auditregels", params={"handeling": ANONIMISEREN}, headers=fg)
    assert leeg.status_code == 200
    (eerste,) = leeg.json()["data"]
    assert eerste["getoondeLeerlingen"] is None, "a run that changed nothing is recorded too"

    assert await anonimiseer_verlopen(uow, bewaarjaren=2, nu=LATER) >= 1
    runs = await client.get("/v1/auditregels", params={"handeling": ANONIMISEREN}, headers=fg)
    laatste = runs.json()["data"][0]
    assert dossier.leerling["id"] in laatste["getoondeLeerlingen"]
    assert laatste["route"] == "thuiszitters maintenance"
    per_kind = await client.get(
        "/v1/auditregels", params={"leerlingId": dossier.leerling["id"]}, headers=fg
    )
    assert ANONIMISEREN in {r["handeling"] for r in per_kind.json()["data"]}

    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    inzage = await client.get(f"/v1/leerlingen/{dossier.leerling['id']}/inzage", headers=regisseur)
    assert inzage.status_code == 200
    body = inzage.json()
    assert body["geanonimiseerdOp"] is not None
    assert ANONIMISEREN in {t["handeling"] for t in body["toegang"]}


async def test_inzage_names_every_register_list_and_overview_the_child_was_in(
    client: AsyncClient,
    auth: FakeAuthenticator,
    swv_a: Swv,
) -> None:
    """AVG art. 15 lid 1 sub c: to whom the data were provided, by id (never the data)."""
    dossier = await thuiszitter_tot_achttien(client, auth, swv_a)
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    uit = await meld(
        client,
        regisseur,
        dossier.leerling["id"],
        "uitschrijving",
        (ACHTTIEN - timedelta(days=30)).isoformat(),
        schoolId=str(swv_a.scholen[0]),
    )
    assert uit.status_code == 201, "absoluut verzuim: also on leerplicht's list"
    peildatum = {"peildatum": ACHTTIEN.isoformat()}
    await dien_in(client, auth, swv_a)
    for pad in ("inspectie", "inspectie/samenvatting", "swv-overzicht"):
        antwoord = await client.get(f"/v1/rapportages/{pad}", params=peildatum, headers=regisseur)
        assert antwoord.status_code == 200, pad
    overleg = await client.get(
        "/v1/rapportages/leerplichtoverleg",
        params={"peildatum": (ACHTTIEN - timedelta(days=1)).isoformat()},
        headers=dossier.headers,
    )
    assert overleg.status_code == 200
    assert dossier.leerling["id"] in {r["leerlingId"] for r in overleg.json()["data"]}

    inzage = await client.get(f"/v1/leerlingen/{dossier.leerling['id']}/inzage", headers=regisseur)
    ontvangers = {v["ontvanger"] for v in inzage.json()["verstrekkingen"]}
    assert ontvangers == {
        "Inspectie van het Onderwijs (ingediend register)",
        "Inspectieregister (export)",
        "Samenvatting van het Inspectieregister",
        "SWV-overzicht (alleen aantallen)",
        "Lijst voor het leerplichtoverleg",
    }
    assert inzage.json()["geanonimiseerdOp"] is None


async def test_the_facts_table_lets_anonymisation_only_blank(
    client: AsyncClient,
    auth: FakeAuthenticator,
    swv_a: Swv,
    uow: UnitOfWork,
    connection: AsyncConnection,
) -> None:
    """Regel 15 (facts are never changed): an anonymising transaction may empty the free text
    and the source reference of an anonymised child's facts, nothing else; the runtime role
    cannot switch the trigger off."""
    open_ = await thuiszitter_tot_achttien(client, auth, swv_a)
    gesloten = await thuiszitter_tot_achttien(client, auth, swv_a)
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    await connection.execute(
        text("UPDATE leerlingen SET geanonimiseerd_op = now() WHERE id = :id"),
        {"id": gesloten.leerling["id"]},
    )
    await connection.execute(text("SELECT set_config('app.anonimiseren', 'aan', true)"))

    async def weigert(sql: str, leerling_id: str) -> None:
        savepoint = await connection.begin_nested()
        with pytest.raises(DBAPIError, match="nooit gewijzigd"):
            await connection.execute(text(sql), {"id": leerling_id})
        await savepoint.rollback()

    reden_leeg = (
        "UPDATE feiten SET payload = jsonb_set(payload, '{reden}', '\"\"') "
        "WHERE leerling_id = :id AND soort = 'intrekking'"
    )
    await weigert(reden_leeg, open_.leerling["id"])  # not anonymised: never
    await weigert(
        "UPDATE feiten SET payload = jsonb_set(payload, '{reden}', '\"iets anders\"') "
        "WHERE leerling_id = :id AND soort = 'intrekking'",
        gesloten.leerling["id"],
    )
    await weigert(
        "UPDATE feiten SET payload = payload || '{\"nieuw\": 1}' WHERE leerling_id = :id",
        gesloten.leerling["id"],
    )
    await weigert(
        "UPDATE feiten SET payload = jsonb_set(payload, '{betreft}', '\"\"') "
        "WHERE leerling_id = :id AND soort = 'intrekking'",
        gesloten.leerling["id"],
    )
    await weigert(
        "UPDATE feiten SET geldig_vanaf = geldig_vanaf - 1 WHERE leerling_id = :id",
        gesloten.leerling["id"],
    )
    await weigert(
        "UPDATE feiten SET bron_referentie = 'ander' WHERE leerling_id = :id "
        "AND bron_referentie IS NOT NULL",
        gesloten.leerling["id"],
    )
    await weigert("DELETE FROM feiten WHERE leerling_id = :id", gesloten.leerling["id"])
    blanked = await connection.execute(text(reden_leeg), {"id": gesloten.leerling["id"]})
    assert blanked.rowcount == 1, "blanking the free text of an anonymised child is allowed"
    await connection.execute(
        text("UPDATE feiten SET bron_referentie = NULL WHERE leerling_id = :id"),
        {"id": gesloten.leerling["id"]},
    )
    savepoint = await connection.begin_nested()
    with pytest.raises(DBAPIError, match="permission denied"):
        await connection.execute(text("SET LOCAL session_replication_role = replica"))
    await savepoint.rollback()


async def test_a_correction_with_an_overlong_replacement_id_is_a_400(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    leerling = await ingeschreven(client, regisseur, swv_a)
    ziek = await meld(client, regisseur, leerling["id"], "ziekmelding", dag(-5))
    assert ziek.status_code == 201
    correctie = {
        "betreft": ziek.json()["id"],
        "reden": "verkeerde datum",
        "vervanging": {
            "soort": "ziekmelding",
            "id": "x" * 37,
            "geldigVanaf": dag(-4),
            "geregistreerdOp": ziek.json()["geregistreerdOp"],
        },
    }
    response = await meld(
        client, regisseur, leerling["id"], "correctie", dag(-4), gegevens=correctie
    )
    assert response.status_code == 400, response.text
    assert "x" * 37 not in response.text, "the submitted value is never echoed"
    assert [e["name"] for e in response.json()["errors"]] == ["gegevens.vervanging.id"]


def test_a_retention_of_zero_is_a_clear_configuration_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """THUISZITTERS_RETENTION_YEARS is 1 to 30 (docs/privacy.md): 0 stops every command with
    a message naming the variable, not a traceback."""
    monkeypatch.setenv("THUISZITTERS_RETENTION_YEARS", "0")
    get_settings.cache_clear()
    try:
        assert main(["maintenance"]) == 2
    finally:
        get_settings.cache_clear()
    fout = capsys.readouterr().err
    assert "THUISZITTERS_RETENTION_YEARS" in fout
    assert "greater than or equal to 1" in fout
    assert "toegestaan: 1 tot en met 30" in fout
    assert "Traceback" not in fout
