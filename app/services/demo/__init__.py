"""The synthetic demo data set of `make run` (no real person, school or number in it)."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import date, timedelta

from app.db.casussen import CasusRow
from app.db.organisaties import GemeenteRow, SwvRow
from app.db.scholen import SchoolRow
from app.db.session import UnitOfWork
from app.domain.casussen import CasusActie, PlanActieSoort
from app.domain.escalaties import (
    VERPLICHTE_DEELNEMERS,
    Aanleiding,
    DeelnemerRol,
    EscalatieStatus,
)
from app.domain.feiten import Beeindigingsreden, TlvCategorie, TlvSoort
from app.domain.meldingen import Aard, GevraagdeActie, MeldingActie, MeldingSoort
from app.domain.tlv import TlvGebeurtenis
from app.domain.toegang import Actor, Namens, Rol
from app.services import casussen, escalaties, feiten, leerlingen, meldingen, tlv
from app.services.demo.synthetisch import laad_synthetische_regio
from app.services.toegang import beheer
from app.services.toegang.versleuteling import Versleuteling

DEMO_SWV_CODE = "DEMO-01"
# Fictitious vestigingen: BRIN codes in the 99xx range; gemeente codes GM99xx do not exist.
DEMO_SCHOLEN = [
    ("99AA", "00", "Demo Lyceum De Horizon", "Demostad", "noord"),
    ("99AA", "01", "Demo Lyceum De Horizon, locatie Oost", "Demostad", "noord"),
    ("99AB", "00", "Demo Basisschool Het Kompas", "Voorbeelddorp", "noord"),
    ("99AC", "00", "Demo SO/VSO De Brug", "Demostad", "noord"),
]
DEMO_GEMEENTEN = [("GM9901", "Demostad"), ("GM9902", "Voorbeelddorp")]

# (pseudoniem, age, situation): each a textbook case of docs/domain.md.
DEMO_LEERLINGEN = [
    ("231801", 14, "verzuim-lang"),
    ("231802", 13, "verzuim-kort"),
    ("241803", 11, "ziek"),
    ("241804", 15, "vrijstelling"),
    ("241805", 12, "naar-school"),
    ("241806", 16, "wacht-op-plek"),
    ("241807", 10, "tlv-check"),
    ("241808", 9, "tlv-geplaatst"),
]

DEMO_ESCALATIES = {"verzuim-lang": -20, "wacht-op-plek": 10}
"""Escalations of two textbook children: the deadline of their agreement in days from today."""

DEMO_GEGENEREERD = 400
"""Generated children in the demo SWV (app/services/demo/generator.py)."""
DEMO_WACHTWOORD = "demo-wachtwoord-thuiszitters"
"""The password of every demo user (synthetic; the demo SWV lives on a developer's machine)."""
DEMO_GEBRUIKERS: list[tuple[str, Rol, list[str], list[str]]] = [
    ("demo-school", Rol.SCHOOLMEDEWERKER, ["99AA00"], []),
    ("demo-leerplicht", Rol.LEERPLICHTAMBTENAAR, [], ["GM9901"]),
    ("demo-begeleider", Rol.BEGELEIDER, [], []),
    ("demo-regisseur", Rol.REGISSEUR, [], []),
    ("demo-secretariaat", Rol.SECRETARIAAT, [], []),
    ("demo-directeur", Rol.DIRECTEUR, [], []),
    ("demo-fg", Rol.FUNCTIONARIS_GEGEVENSBESCHERMING, [], []),
    ("demo-beheerder", Rol.BEHEERDER, [], []),
    ("demo-inspectie", Rol.INSPECTIE_EXPORT, [], []),
    ("demo-bestuur", Rol.BESTUUR, [], []),
    ("demo-ketenpartner", Rol.KETENPARTNER, ["99AC00"], []),
]


DEMO_MAILADRESSEN = (
    ("demo-school", "zorgcoordinator@school.demo.invalid"),
    ("demo-leerplicht", "leerplicht@gemeente.demo.invalid"),
)
"""Fictitious work addresses (the reserved `.invalid` domain) of two demo users."""


def demo_totp_geheim(gebruikersnaam: str) -> str:
    """The demo users' TOTP secrets are derived from their names, so a newcomer can log in
    (`thuiszitters demo-totp NAAM` prints the current code). Never for real users."""
    digest = hashlib.sha256(f"thuiszitters-demo:{gebruikersnaam}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


DEMO_JEUGDHULP = ("Wijkteam Demostad", "Jeugdhulp Voorbeeld")
"""The demo SWV's list of youth-care organisations (fictitious)."""


async def laad_demodata(uow: UnitOfWork, versleuteling: Versleuteling | None = None) -> None:
    """Load the demo set once: a database that already has the demo SWV is left alone."""
    async with uow.alle_swvs():
        if await uow.organisaties.swv_op_code(DEMO_SWV_CODE) is not None:
            return
        swv = SwvRow(
            code=DEMO_SWV_CODE,
            naam="Demo samenwerkingsverband Noord",
            beleid={"jeugdhulp_organisaties": list(DEMO_JEUGDHULP)},
        )
        uow.session.add(swv)
        await uow.session.flush()
        scholen = []
        for brin, vestiging, naam, plaats, regio in DEMO_SCHOLEN:
            school = SchoolRow(
                swv_id=swv.id,
                brin=brin,
                vestigingsnummer=vestiging,
                naam=naam,
                plaats=plaats,
                regio=regio,
            )
            uow.session.add(school)
            scholen.append(school)
        for code, naam in DEMO_GEMEENTEN:
            gemeente = await uow.organisaties.gemeente_op_code(code)
            if gemeente is None:
                gemeente = GemeenteRow(code=code, naam=naam)
                await uow.organisaties.add(gemeente)
            await uow.organisaties.koppel(swv.id, gemeente.id)
        await uow.session.flush()
        await uow.commit()
        swv_id, school_id, so_school_id = str(swv.id), scholen[0].id, scholen[3].id

    systeem = Actor(id="demo-loader", rol=Rol.REGISSEUR, swv_id=swv_id, is_systeem=True)
    begeleider = Actor(id="demo-loader", rol=Rol.BEGELEIDER, swv_id=swv_id, is_systeem=True)
    vandaag = await _vandaag(uow)
    kinderen: dict[str, uuid.UUID] = {}
    for pseudoniem, leeftijd, situatie in DEMO_LEERLINGEN:
        leerling = await leerlingen.registreer_leerling(
            uow,
            systeem,
            leerlingen.NieuweLeerling(
                pseudoniem=pseudoniem,
                geboortejaar=vandaag.year - leeftijd,
                geboortemaand=4,
                regio="noord",
                school_id=school_id,
                woongemeente=DEMO_GEMEENTEN[0][0],
            ),
        )
        nieuwe_feiten = [
            feiten.NieuwFeit("inschrijving", vandaag - timedelta(days=700), school_id=school_id)
        ]
        if situatie == "verzuim-lang":
            start = vandaag - timedelta(days=120)
            nieuwe_feiten.append(feiten.NieuwFeit("verzuim-gestart", start))
            # The SWV monitor's kenmerken (docs/domain.md regel 18).
            for soort, gegevens in (
                ("klas", {"klas": "2"}),
                ("niveau", {"niveau": "vmbo-kader"}),
                ("woonplaats", {"gemeente": DEMO_GEMEENTEN[0][1]}),
                ("soort-thuiszitter", {"thuiszitter": ["medisch", "schoolweigeraar"]}),
                ("jeugdhulp", {"organisatie": DEMO_JEUGDHULP[0]}),
                ("gemeld-bij-loket", {}),
            ):
                nieuwe_feiten.append(feiten.NieuwFeit(soort, start + timedelta(days=21), gegevens))
        elif situatie == "ziek":
            nieuwe_feiten.append(
                feiten.NieuwFeit("ziekmelding", vandaag - timedelta(days=45), {"door_ouders": True})
            )
        elif situatie == "vrijstelling":
            nieuwe_feiten.append(
                feiten.NieuwFeit(
                    "uitschrijving", vandaag - timedelta(days=200), school_id=school_id
                )
            )
            nieuwe_feiten.append(
                feiten.NieuwFeit(
                    "vrijstelling-verleend",
                    vandaag - timedelta(days=200),
                    {"grond": "art-5-a"},
                    namens=Namens.LEERPLICHT,
                )
            )
        for nieuw_feit in nieuwe_feiten:
            await feiten.meld_feit(uow, systeem, leerling.id, nieuw_feit)
        await _tlv_demo(
            uow,
            (systeem, begeleider),
            leerling.id,
            situatie,
            vandaag,
            scholen=(school_id, so_school_id),
        )
        if situatie in DEMO_ESCALATIES:
            await _escaleer(uow, swv_id, leerling.id, vandaag, DEMO_ESCALATIES[situatie])
        kinderen[pseudoniem] = leerling.id
    await _demo_meldingen_en_casussen(uow, swv_id, school_id, kinderen, vandaag)
    # Beside the textbook cases, a generated region of the previous school year, so that lists,
    # reports and exports have something to show.
    await laad_synthetische_regio(
        uow,
        swv_code=DEMO_SWV_CODE,
        aantal=DEMO_GEGENEREERD,
        seed=2026,
        schooljaar=vandaag.year if vandaag.month >= 8 else vandaag.year - 1,
    )
    if versleuteling is not None:
        for naam, rol, vestigingen, gemeenten in DEMO_GEBRUIKERS:
            await beheer.maak_gebruiker(
                uow,
                versleuteling,
                swv_id=uuid.UUID(swv_id),
                gebruikersnaam=naam,
                wachtwoord=DEMO_WACHTWOORD,
                rol=rol,
                vestigingen=vestigingen,
                gemeenten=gemeenten,
                totp_geheim=demo_totp_geheim(naam),
            )
        # Work addresses for the e-mail of the worker (app/services/notificaties.py).
        async with uow.alle_swvs():
            for naam, adres in DEMO_MAILADRESSEN:
                await uow.notificaties.zet_mailadres(uuid.UUID(swv_id), naam, adres)
            await uow.commit()


async def _escaleer(
    uow: UnitOfWork, swv_id: str, leerling_id: uuid.UUID, vandaag: date, deadline: int
) -> None:
    """An escalation with an overleg of the four parties and one agreement (docs/escalaties.md):
    a deadline in the past puts it on the directeur's overview (doorzettingsmacht)."""
    begeleider = Actor(id="demo-loader", rol=Rol.BEGELEIDER, swv_id=swv_id, is_systeem=True)
    beeld, _ = await escalaties.open_escalatie(
        uow,
        begeleider,
        escalaties.NieuweEscalatie(
            leerling_id, Aanleiding.MELDING_BEGELEIDER, gemeld_op=vandaag - timedelta(days=60)
        ),
    )
    gezet = await escalaties.leg_overleg_vast(
        uow,
        begeleider,
        beeld.row.id,
        escalaties.NieuwOverleg(
            datum=vandaag - timedelta(days=50),
            gehouden=True,
            deelnemers=tuple((rol, True, None) for rol in VERPLICHTE_DEELNEMERS),
        ),
        if_match=beeld.etag,
    )
    gezet = await escalaties.maak_afspraak(
        uow,
        begeleider,
        beeld.row.id,
        escalaties.NieuweAfspraak(
            datum=vandaag - timedelta(days=50),
            eigenaar=DeelnemerRol.SCHOOLBESTUUR,
            eigenaar_organisatie="Demo schoolbestuur",
            omschrijving="Een passende plek aanbieden",
            deadline=vandaag + timedelta(days=deadline),
        ),
        if_match=gezet.beeld.etag,
    )
    if deadline > 0:
        await escalaties.wijzig_status(
            uow,
            begeleider,
            beeld.row.id,
            escalaties.Overgang(EscalatieStatus.IN_UITVOERING),
            if_match=gezet.beeld.etag,
        )


async def _demo_meldingen_en_casussen(
    uow: UnitOfWork,
    swv_id: str,
    school_id: uuid.UUID,
    kinderen: dict[str, uuid.UUID],
    vandaag: date,
) -> None:
    """Textbook meldingen and cases in several states, so that the regisseur's inbox and the
    case lists show something on `make run` (synthetic text only)."""
    school = Actor(
        id="demo-digidoor",
        rol=Rol.SCHOOLSYSTEEM,
        swv_id=swv_id,
        vestiging_ids=frozenset({str(school_id)}),
        is_systeem=True,
    )
    regisseur = Actor(id="demo-regisseur", rol=Rol.REGISSEUR, swv_id=swv_id)

    async def meld(melding: meldingen.NieuweMelding) -> uuid.UUID:
        return (await meldingen.dien_in(uow, school, melding)).melding.id

    async def stap(melding_id: uuid.UUID, stap_: meldingen.Stap) -> None:
        async with uow.voor(regisseur):
            row = await uow.meldingen.get(regisseur, melding_id)
            assert row is not None  # noqa: S101
            versie = row.versie
        await meldingen.zet_stap(uow, regisseur, melding_id, versie=versie, stap=stap_)

    # ontvangen: a beperkte melding from the school's system; it appends the absence itself.
    await meld(
        meldingen.NieuweMelding(
            soort=MeldingSoort.BEPERKT,
            leerling_id=kinderen["231802"],
            aard=Aard.ONGEOORLOOFD,
            verzuim_begin=vandaag - timedelta(days=20),
            bron_referentie="DD-DEMO-1",
            toelichting={"aanleiding": "Demo: komt sinds drie weken niet meer naar school."},
        )
    )
    # geregistreerd: nature not yet known (verzuim-gemeld), taken in by the regisseur.
    kort = await meld(
        meldingen.NieuweMelding(
            soort=MeldingSoort.BEPERKT,
            leerling_id=kinderen["241805"],
            aard=Aard.ONBEPAALD,
            verzuim_begin=vandaag - timedelta(days=12),
            verzuim_einde=vandaag - timedelta(days=8),
            bron_referentie="DD-DEMO-2",
        )
    )
    await stap(kort, meldingen.Stap(MeldingActie.TOEWIJZEN, toegewezen_aan="demo-regisseur"))
    await stap(kort, meldingen.Stap(MeldingActie.REGISTREREN))
    # toegewezen: a dreigende melding, contact with the school due.
    dreigend = await meld(
        meldingen.NieuweMelding(
            soort=MeldingSoort.DREIGEND,
            leerling_id=kinderen["241806"],
            gevraagde_acties=(GevraagdeActie.ADVIES,),
            bron_referentie="DD-DEMO-3",
            toelichting={"korte_beschrijving": "Demo: wacht op een plek na de TLV."},
        )
    )
    await stap(dreigend, meldingen.Stap(MeldingActie.TOEWIJZEN, toegewezen_aan="demo-begeleider"))
    # afgesloten: the vrijstelling made the melding moot.
    vrij = await meld(
        meldingen.NieuweMelding(
            soort=MeldingSoort.DREIGEND, leerling_id=kinderen["241804"], bron_referentie="DD-DEMO-4"
        )
    )
    await stap(
        vrij,
        meldingen.Stap(
            MeldingActie.AFSLUITEN,
            reden=Beeindigingsreden.ONTHEFFING_VRIJSTELLING,
            toelichting="Demo: vrijstelling verleend.",
        ),
    )
    # casus-geopend: an uitgebreide melding, a case with a plan in execution, its weekly
    # evaluation overdue (signal evaluatie-achterstallig).
    lang = await meld(
        meldingen.NieuweMelding(
            soort=MeldingSoort.UITGEBREID,
            leerling_id=kinderen["231801"],
            gevraagde_acties=(GevraagdeActie.DOORBRAAKOVERLEG,),
            bron_referentie="DD-DEMO-5",
            toelichting={"aanleiding": "Demo: langdurig verzuim, school en ouders staan stil."},
        )
    )
    await stap(lang, meldingen.Stap(MeldingActie.TOEWIJZEN, toegewezen_aan="demo-regisseur"))
    await stap(lang, meldingen.Stap(MeldingActie.CASUS_OPENEN))
    async with uow.voor(regisseur):
        row = await uow.meldingen.get(regisseur, lang)
        assert row is not None  # noqa: S101
        casus_id = row.casus_id
    assert casus_id is not None  # noqa: S101
    detail = await casussen.stel_plan_vast(
        uow,
        regisseur,
        casus_id,
        versie=1,
        doel="Demo: binnen zes weken weer halve dagen op school.",
        acties=[
            casussen.PlanActie(
                wat="Demo: thuiswerkplan met dagelijkse opdrachten",
                soort=PlanActieSoort.THUISWERKPLAN,
                rol="mentor",
                organisatie="Demo Lyceum De Horizon",
                uiterlijk=vandaag + timedelta(days=14),
                start=vandaag - timedelta(days=20),
            )
        ],
    )
    await casussen.zet_stap(
        uow,
        regisseur,
        casus_id,
        versie=detail.casus.versie,
        stap=casussen.CasusStap(CasusActie.STARTEN),
    )
    # The case's history as if it ran for a month (the demo's clock starts today).
    async with uow.alle_swvs():
        casus = await uow.session.get(CasusRow, casus_id)
        assert casus is not None  # noqa: S101
        casus.plan_sinds = vandaag - timedelta(days=20)
        casus.laatste_evaluatie = vandaag - timedelta(days=9)
        casus.laatste_contact_ouders = vandaag - timedelta(days=3)
        await uow.flush()
        await uow.commit()


async def _vandaag(uow: UnitOfWork) -> date:
    async with uow:
        return (await uow.klok()).date()


async def _tlv_demo(
    uow: UnitOfWork,
    actors: tuple[Actor, Actor],
    leerling_id: uuid.UUID,
    situatie: str,
    vandaag: date,
    *,
    scholen: tuple[uuid.UUID, uuid.UUID],
) -> None:
    """The TLV workflow (docs/tlv.md): waiting without education, a check due, a placement."""
    systeem, begeleider = actors
    school_id, so_school_id = scholen
    uitkomst: tlv.NieuweCheck | None = None
    afgegeven_op: date | None = None
    if situatie == "wacht-op-plek":
        afgegeven_op = vandaag - timedelta(days=70)
        uitkomst = tlv.NieuweCheck(
            TlvGebeurtenis.GEEN_ONDERWIJS, datum=vandaag - timedelta(days=60)
        )
    elif situatie == "tlv-check":
        afgegeven_op = vandaag - timedelta(days=30)
    elif situatie == "tlv-geplaatst":
        afgegeven_op = vandaag - timedelta(days=60)
        uitkomst = tlv.NieuweCheck(
            TlvGebeurtenis.GEPLAATST, datum=vandaag - timedelta(days=25), school_id=so_school_id
        )
    if afgegeven_op is None:
        return
    afgegeven = await tlv.geef_af(
        uow,
        systeem,
        leerling_id,
        tlv.NieuweTlv(
            afgegeven_op=afgegeven_op,
            onderwijssoort=TlvSoort.SO,
            categorie=TlvCategorie.LAAG,
            school_herkomst_id=school_id,
            school_beoogd_id=so_school_id,
        ),
    )
    if uitkomst is not None:
        await tlv.leg_check_vast(uow, begeleider, afgegeven.tlv.tlv.id, uitkomst)
