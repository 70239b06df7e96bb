"""The synthetic demo data set of `make run` (no real person, school or number in it)."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import date, timedelta

from app.db.organisaties import GemeenteRow, SwvRow
from app.db.scholen import SchoolRow
from app.db.session import UnitOfWork
from app.domain.toegang import Actor, Namens, Rol
from app.services import feiten, leerlingen
from app.services.synthetisch import laad_synthetische_regio
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
]


DEMO_GEGENEREERD = 400
"""Generated children in the demo SWV (app/services/generator.py)."""
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
]


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
        swv_id, school_id = str(swv.id), scholen[0].id

    systeem = Actor(id="demo-loader", rol=Rol.REGISSEUR, swv_id=swv_id, is_systeem=True)
    vandaag = await _vandaag(uow)
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
        meldingen = [
            feiten.NieuwFeit("inschrijving", vandaag - timedelta(days=700), school_id=school_id)
        ]
        if situatie == "verzuim-lang":
            start = vandaag - timedelta(days=120)
            meldingen.append(feiten.NieuwFeit("verzuim-gestart", start))
            # The SWV monitor's kenmerken (docs/domain.md regel 18).
            for soort, gegevens in (
                ("klas", {"klas": "2"}),
                ("niveau", {"niveau": "vmbo-kader"}),
                ("woonplaats", {"gemeente": DEMO_GEMEENTEN[0][1]}),
                ("soort-thuiszitter", {"thuiszitter": ["medisch", "schoolweigeraar"]}),
                ("jeugdhulp", {"organisatie": DEMO_JEUGDHULP[0]}),
                ("gemeld-bij-loket", {}),
            ):
                meldingen.append(feiten.NieuwFeit(soort, start + timedelta(days=21), gegevens))
        elif situatie == "verzuim-kort":
            meldingen.append(feiten.NieuwFeit("verzuim-gestart", vandaag - timedelta(days=20)))
        elif situatie == "ziek":
            meldingen.append(
                feiten.NieuwFeit("ziekmelding", vandaag - timedelta(days=45), {"door_ouders": True})
            )
        elif situatie == "vrijstelling":
            meldingen.append(
                feiten.NieuwFeit(
                    "uitschrijving", vandaag - timedelta(days=200), school_id=school_id
                )
            )
            meldingen.append(
                feiten.NieuwFeit(
                    "vrijstelling-verleend",
                    vandaag - timedelta(days=200),
                    {"grond": "art-5-a"},
                    namens=Namens.LEERPLICHT,
                )
            )
        elif situatie == "wacht-op-plek":
            meldingen.append(feiten.NieuwFeit("tlv-afgegeven", vandaag - timedelta(days=70)))
            meldingen.append(feiten.NieuwFeit("wacht-op-plek", vandaag - timedelta(days=60)))
        for melding in meldingen:
            await feiten.meld_feit(uow, systeem, leerling.id, melding)
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


async def _vandaag(uow: UnitOfWork) -> date:
    async with uow:
        return (await uow.klok()).date()
