"""Escalations through HTTP against real PostgreSQL: doorzettingskracht → doorzettingsmacht
(docs/escalaties.md)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient, Response

from app.domain.toegang import Rol
from tests.api.test_leerlingen import dag, ingeschreven, meld, registreer
from tests.builders import FakeAuthenticator, Swv

VIER = [
    {"rol": "ouders", "aanwezig": True},
    {"rol": "school-van-inschrijving", "aanwezig": True, "organisatie": "Testschool"},
    {"rol": "leerplichtambtenaar", "aanwezig": False},
    {"rol": "swv", "aanwezig": True},
]


@pytest.fixture
def begeleider(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.BEGELEIDER))


@pytest.fixture
def directeur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.DIRECTEUR))


@pytest.fixture
def regisseur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.REGISSEUR))


async def open_escalatie(
    client: AsyncClient, headers: dict[str, str], leerling_id: str, **extra: Any
) -> Response:
    body = {"leerlingId": leerling_id, "aanleiding": "melding-begeleider", **extra}
    response = await client.post("/v1/escalaties", json=body, headers=headers)
    assert response.status_code in {200, 201}, response.text
    return response


async def stap(
    client: AsyncClient, headers: dict[str, str], vorige: Response, pad: str, body: Any
) -> Response:
    escalatie_id = vorige.json()["id"]
    return await client.post(
        f"/v1/escalaties/{escalatie_id}/{pad}",
        json=body,
        headers={**headers, "If-Match": vorige.headers["etag"]},
    )


async def tot_afspraak(
    client: AsyncClient,
    headers: dict[str, str],
    leerling_id: str,
    *,
    deadline: str,
    deelnemers: list[dict[str, Any]] = VIER,
) -> Response:
    """An escalation reported 60 days ago, an overleg held 50 days ago, one agreement."""
    geopend = await open_escalatie(client, headers, leerling_id, gemeldOp=dag(-60))
    overleg = await stap(
        client, headers, geopend, "overleggen",
        {"datum": dag(-50), "gehouden": True, "deelnemers": deelnemers},
    )  # fmt: skip
    assert overleg.status_code == 201, overleg.text
    afspraak = await stap(
        client, headers, overleg, "afspraken",
        {"omschrijving": "Plek zoeken", "eigenaar": "schoolbestuur", "gemaaktOp": dag(-50),
         "deadline": deadline},
    )  # fmt: skip
    assert afspraak.status_code == 201, afspraak.text
    return afspraak


async def test_regisseur_besluit_is_403_and_directeur_besluit_is_201_with_an_audit_row(  # noqa: PLR0917 (fixtures)
    client: AsyncClient,
    begeleider: dict[str, str],
    regisseur: dict[str, str],
    directeur: dict[str, str],
    auth: FakeAuthenticator,
    swv_a: Swv,
) -> None:
    """Doorzettingsmacht lies with the directeur of the SWV (regel E5)."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    afspraak = await tot_afspraak(client, begeleider, leerling["id"], deadline=dag(-10))
    body = {
        "schoolId": str(swv_a.scholen[1]),
        "kader": "Toelaatbaar tot het SBO",
        "motivering": "Afspraken niet nagekomen",
        "plaatsenUiterlijk": dag(14),
    }
    geweigerd = await stap(client, regisseur, afspraak, "besluiten", body)
    assert geweigerd.status_code == 403
    genomen = await stap(client, directeur, afspraak, "besluiten", body)
    assert genomen.status_code == 201, genomen.text
    assert genomen.json()["status"] == "besluit-genomen"
    assert genomen.json()["besluit"]["schoolId"] == str(swv_a.scholen[1])

    fg = auth.headers(swv_a.actor(Rol.FUNCTIONARIS_GEGEVENSBESCHERMING))
    audit = await client.get(
        "/v1/auditregels",
        params={"leerlingId": leerling["id"], "handeling": "doorzettingsmacht:besluiten"},
        headers=fg,
    )
    regels = audit.json()["data"]
    assert [r["resultaat"] for r in regels if r["route"].endswith("/besluiten")].count(
        "toegestaan"
    ) == 1


async def test_overleg_without_the_leerplichtambtenaar_is_400_naming_the_role(
    client: AsyncClient, begeleider: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    """Regel E1: at least ouders, school, leerplichtambtenaar and SWV take part."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    geopend = await open_escalatie(client, begeleider, leerling["id"], gemeldOp=dag(-5))
    zonder = [d for d in VIER if d["rol"] != "leerplichtambtenaar"]
    response = await stap(
        client, begeleider, geopend, "overleggen",
        {"datum": dag(-1), "gehouden": True, "deelnemers": zonder},
    )  # fmt: skip
    assert response.status_code == 400
    fouten = response.json()["errors"]
    assert [f["code"] for f in fouten] == ["ontbreekt_leerplichtambtenaar"]
    assert "leerplichtambtenaar" in fouten[0]["reason"]
    gepland = await stap(
        client, begeleider, geopend, "overleggen",
        {"datum": dag(3), "gehouden": False, "deelnemers": zonder},
    )  # fmt: skip
    assert gepland.status_code == 201, "planning an overleg needs no full table yet"
    assert gepland.json()["status"] == "overleg-georganiseerd"


async def test_execution_needs_an_agreement_with_a_deadline(
    client: AsyncClient, begeleider: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    """Regel E2: the overleg does not stop before concrete agreements exist."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    geopend = await open_escalatie(client, begeleider, leerling["id"], gemeldOp=dag(-5))
    overleg = await stap(
        client, begeleider, geopend, "overleggen",
        {"datum": dag(-1), "gehouden": True, "deelnemers": VIER},
    )  # fmt: skip
    te_vroeg = await stap(
        client, begeleider, overleg, "statuswijzigingen", {"status": "in-uitvoering"}
    )
    assert te_vroeg.status_code == 409
    afspraak = await stap(
        client, begeleider, overleg, "afspraken",
        {"omschrijving": "Intake", "eigenaar": "school-van-inschrijving"},
    )  # fmt: skip
    assert afspraak.status_code == 201
    assert afspraak.json()["afspraken"][0]["deadline"] == dag(28), "the SWV's default term"
    uitvoering = await stap(
        client, begeleider, afspraak, "statuswijzigingen", {"status": "in-uitvoering"}
    )
    assert uitvoering.status_code == 201, uitvoering.text
    assert uitvoering.json()["status"] == "in-uitvoering"


async def test_a_passed_deadline_puts_it_on_the_directeurs_overview(
    client: AsyncClient,
    begeleider: dict[str, str],
    regisseur: dict[str, str],
    directeur: dict[str, str],
    swv_a: Swv,
) -> None:
    """An agreement not carried out within its deadline: doorzettingsmacht (regel E3)."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    verlopen = await tot_afspraak(client, begeleider, leerling["id"], deadline=dag(-1))
    ander = await ingeschreven(client, regisseur, swv_a)
    lopend = await tot_afspraak(client, begeleider, ander["id"], deadline=dag(10))
    overzicht = await client.get("/v1/escalaties", params={"verlopen": "true"}, headers=directeur)
    assert overzicht.status_code == 200
    data = overzicht.json()["data"]
    assert [e["id"] for e in data] == [verlopen.json()["id"]]
    assert data[0]["status"] == "doorzettingsmacht"
    assert data[0]["signalen"] == ["escalatie-termijn-verstreken"]
    assert data[0]["verlopenAfspraken"] == [verlopen.json()["afspraken"][0]["id"]]
    per_status = await client.get(
        "/v1/escalaties", params={"status": "afspraken-gemaakt"}, headers=directeur
    )
    assert [e["id"] for e in per_status.json()["data"]] == [lopend.json()["id"]]
    later = await client.get(
        "/v1/escalaties", params={"verlopen": "true", "peildatum": dag(11)}, headers=directeur
    )
    assert len(later.json()["data"]) == 2, "as of a later day both deadlines passed"


async def test_escalation_for_a_b3_child_without_enrolment(
    client: AsyncClient, begeleider: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    """Doorzettingsmacht applies to children enrolled nowhere too (regel E1); their
    overleg needs no school van inschrijving."""
    leerling = await registreer(client, regisseur, swv_a, schoolId=None)
    gemeld = await meld(
        client, regisseur, leerling["id"], "niet-ingeschreven", dag(-90), namens="leerplicht"
    )
    assert gemeld.status_code == 201, gemeld.text
    status = await client.get(f"/v1/leerlingen/{leerling['id']}/status", headers=regisseur)
    assert status.json()["categorie"] == "B3"
    zonder_school = [d for d in VIER if d["rol"] != "school-van-inschrijving"]
    afspraak = await tot_afspraak(
        client, begeleider, leerling["id"], deadline=dag(-1), deelnemers=zonder_school
    )
    assert afspraak.json()["overleggen"][0]["ontbrekend"] == []
    assert afspraak.json()["status"] == "doorzettingsmacht"


async def test_a_plaatsing_at_the_designated_school_carries_the_decision_out(
    client: AsyncClient,
    begeleider: dict[str, str],
    regisseur: dict[str, str],
    directeur: dict[str, str],
    swv_a: Swv,
) -> None:
    """The decision is carried out when the designated school reports the placement; until
    then, past the place-by date, `besluit-niet-uitgevoerd` (regel E6)."""
    leerling = await registreer(client, regisseur, swv_a, schoolId=None)
    await meld(
        client, regisseur, leerling["id"], "niet-ingeschreven", dag(-90), namens="leerplicht"
    )
    zonder_school = [d for d in VIER if d["rol"] != "school-van-inschrijving"]
    afspraak = await tot_afspraak(
        client, begeleider, leerling["id"], deadline=dag(-1), deelnemers=zonder_school
    )
    besluit = await stap(
        client, directeur, afspraak, "besluiten",
        {"schoolId": str(swv_a.scholen[1]), "kader": "Passend aanbod", "motivering": "Nodig",
         "plaatsenUiterlijk": dag(7)},
    )  # fmt: skip
    assert besluit.status_code == 201, besluit.text
    escalatie_id = besluit.json()["id"]
    later = await client.get(
        f"/v1/escalaties/{escalatie_id}", params={"peildatum": dag(8)}, headers=directeur
    )
    assert later.json()["signalen"] == ["besluit-niet-uitgevoerd"]
    elders = await meld(
        client, regisseur, leerling["id"], "plaatsing", dag(0), schoolId=str(swv_a.scholen[0])
    )
    assert elders.status_code == 201
    nog_niet = await client.get(f"/v1/escalaties/{escalatie_id}", headers=directeur)
    assert nog_niet.json()["status"] == "besluit-genomen", "another school does not count"
    geplaatst = await meld(
        client, regisseur, leerling["id"], "plaatsing", dag(1), schoolId=str(swv_a.scholen[1])
    )
    assert geplaatst.status_code == 201, geplaatst.text
    uitgevoerd = await client.get(f"/v1/escalaties/{escalatie_id}", headers=directeur)
    assert uitgevoerd.json()["status"] == "besluit-uitgevoerd"
    assert uitgevoerd.json()["besluit"]["uitgevoerdMet"] == {"soort": "plaatsing", "datum": dag(1)}
    afgesloten = await stap(
        client, begeleider, uitgevoerd, "statuswijzigingen",
        {"status": "afgesloten", "reden": "Geplaatst"},
    )  # fmt: skip
    assert afgesloten.status_code == 201
    assert afgesloten.json()["status"] == "afgesloten"


async def test_a_decision_before_any_deadline_passed_needs_a_reason(
    client: AsyncClient,
    begeleider: dict[str, str],
    regisseur: dict[str, str],
    directeur: dict[str, str],
    swv_a: Swv,
) -> None:
    """Doorzettingsmacht only when doorzettingskracht fails (regel E5): early, with a
    recorded reason."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    afspraak = await tot_afspraak(client, begeleider, leerling["id"], deadline=dag(10))
    body = {
        "instelling": "Zorginstelling De Test",
        "kader": "Onderwijs-zorgarrangement",
        "motivering": "Stagnatie",
        "plaatsenUiterlijk": dag(14),
    }
    zonder = await stap(client, directeur, afspraak, "besluiten", body)
    assert zonder.status_code == 400
    assert [f["name"] for f in zonder.json()["errors"]] == ["redenVoorTermijn"]
    assert "Stagnatie" not in zonder.text, "submitted values are never echoed"
    met = await stap(
        client, directeur, afspraak, "besluiten", {**body, "redenVoorTermijn": "Partijen weigeren"}
    )
    assert met.status_code == 201, met.text
    assert met.json()["besluit"]["instelling"] == "Zorginstelling De Test"
    uitgevoerd = await stap(
        client, begeleider, met, "statuswijzigingen", {"status": "besluit-uitgevoerd"}
    )
    assert uitgevoerd.json()["status"] == "besluit-uitgevoerd"


async def test_agreements_are_marked_once_and_the_history_is_append_only(
    client: AsyncClient, begeleider: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    """Every step is a history row; nothing is editable after the fact."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    afspraak = await tot_afspraak(client, begeleider, leerling["id"], deadline=dag(-1))
    afspraak_id = afspraak.json()["afspraken"][0]["id"]
    zonder_reden = await stap(
        client, begeleider, afspraak, f"afspraken/{afspraak_id}/beoordelingen",
        {"nagekomen": False},
    )  # fmt: skip
    assert zonder_reden.status_code == 400
    nagekomen = await stap(
        client, begeleider, afspraak, f"afspraken/{afspraak_id}/beoordelingen",
        {"nagekomen": True},
    )  # fmt: skip
    assert nagekomen.status_code == 201, nagekomen.text
    assert nagekomen.json()["status"] == "afspraken-gemaakt", "a kept agreement is not overdue"
    opnieuw = await stap(
        client, begeleider, nagekomen, f"afspraken/{afspraak_id}/beoordelingen",
        {"nagekomen": False, "reden": "Toch niet"},
    )  # fmt: skip
    assert opnieuw.status_code == 409
    onbekend = await stap(
        client, begeleider, nagekomen, f"afspraken/{uuid.uuid4()}/beoordelingen",
        {"nagekomen": True},
    )  # fmt: skip
    assert onbekend.status_code == 404
    stappen = await client.get(
        f"/v1/escalaties/{afspraak.json()['id']}/stappen", headers=begeleider
    )
    assert [s["soort"] for s in stappen.json()["data"]] == [
        "gemeld",
        "overleg",
        "afspraak-gemaakt",
        "afspraak-beoordeeld",
    ]
    assert stappen.json()["data"][1]["vanStatus"] == "gemeld-bij-directeur"
    assert stappen.json()["data"][1]["naarStatus"] == "overleg-gehouden"


async def test_changes_need_the_current_etag(
    client: AsyncClient, begeleider: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling = await ingeschreven(client, regisseur, swv_a)
    geopend = await open_escalatie(client, begeleider, leerling["id"])
    pad = f"/v1/escalaties/{geopend.json()['id']}/overleggen"
    body = {"datum": dag(0), "gehouden": True, "deelnemers": VIER}
    zonder = await client.post(pad, json=body, headers=begeleider)
    assert zonder.status_code == 428
    eerste = await stap(client, begeleider, geopend, "overleggen", body)
    assert eerste.status_code == 201
    verouderd = await stap(client, begeleider, geopend, "overleggen", body)
    assert verouderd.status_code == 412


async def test_creates_are_idempotent(
    client: AsyncClient, begeleider: dict[str, str], regisseur: dict[str, str], swv_a: Swv
) -> None:
    """The same `bronReferentie` or `Idempotency-Key` is the same escalation or step."""
    leerling = await ingeschreven(client, regisseur, swv_a)
    eerste = await open_escalatie(client, begeleider, leerling["id"], bronReferentie="E-1")
    tweede = await open_escalatie(client, begeleider, leerling["id"], bronReferentie="E-1")
    assert (eerste.status_code, tweede.status_code) == (201, 200)
    assert eerste.json()["id"] == tweede.json()["id"]
    body = {"datum": dag(0), "gehouden": True, "deelnemers": VIER, "bronReferentie": "O-1"}
    overleg = await stap(client, begeleider, eerste, "overleggen", body)
    herhaald = await stap(client, begeleider, eerste, "overleggen", body)
    assert (overleg.status_code, herhaald.status_code) == (201, 200)
    assert len(herhaald.json()["overleggen"]) == 1
    sleutel = {**begeleider, "Idempotency-Key": "sleutel-1"}
    ander = await ingeschreven(client, regisseur, swv_a)
    body2 = {"leerlingId": ander["id"], "aanleiding": "verzoek-leerplicht"}
    a = await client.post("/v1/escalaties", json=body2, headers=sleutel)
    b = await client.post("/v1/escalaties", json=body2, headers=sleutel)
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] == b.json()["id"]


async def test_scope_tokens_and_problems(  # noqa: PLR0917 (fixtures)
    client: AsyncClient,
    auth: FakeAuthenticator,
    begeleider: dict[str, str],
    regisseur: dict[str, str],
    swv_a: Swv,
    swv_b: Swv,
) -> None:
    """No token 401; another school, gemeente or SWV 404 like a missing one; invalid input 400."""
    leerling = await ingeschreven(
        client,
        regisseur,
        swv_a,
        schoolId=str(swv_a.scholen[0]),
        woongemeente=swv_a.gemeente_codes[0],
    )
    geopend = await open_escalatie(client, begeleider, leerling["id"])
    pad = f"/v1/escalaties/{geopend.json()['id']}"
    assert (await client.get(pad)).status_code == 401
    assert (await client.get("/v1/escalaties")).status_code == 401
    eigen_school = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    assert (await client.get(pad, headers=eigen_school)).status_code == 200
    eigen_gemeente = auth.headers(swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=0))
    assert (await client.get(pad, headers=eigen_gemeente)).status_code == 200
    missing = await client.get(f"/v1/escalaties/{uuid.uuid4()}", headers=begeleider)
    for buiten in (
        swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1),
        swv_a.actor(Rol.LEERPLICHTAMBTENAAR, gemeente=1),
        swv_b.actor(Rol.BEGELEIDER),
    ):
        response = await client.get(pad, headers=auth.headers(buiten))
        assert response.status_code == 404
        assert response.json()["detail"] == missing.json()["detail"]
        lijst = await client.get("/v1/escalaties", headers=auth.headers(buiten))
        assert lijst.json()["data"] == []
    andere_swv = await client.post(
        "/v1/escalaties",
        json={"leerlingId": leerling["id"], "aanleiding": "melding-begeleider"},
        headers=auth.headers(swv_b.actor(Rol.BEGELEIDER)),
    )
    assert andere_swv.status_code == 404
    school_opent = await client.post(
        "/v1/escalaties",
        json={"leerlingId": leerling["id"], "aanleiding": "melding-begeleider"},
        headers=eigen_school,
    )
    assert school_opent.status_code == 403
    ongeldig = await client.post(
        "/v1/escalaties",
        json={"leerlingId": "geen-id", "aanleiding": "onbekend", "extra": 1},
        headers=begeleider,
    )
    assert ongeldig.status_code == 400
    assert len(ongeldig.json()["errors"]) == 3
