"""The typed period resources through HTTP: open, read, end (If-Match), correct, withdraw."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient, Response

from app.domain.toegang import Rol
from tests.builders import FakeAuthenticator, Swv

VANDAAG = datetime.now(UTC).date()


def dag(offset: int) -> str:
    return (VANDAAG + timedelta(days=offset)).isoformat()


@dataclass(frozen=True)
class Soort:
    """One resource as a client sees it: path, fact kinds and example fields."""

    pad: str
    start: str
    einde: str | None
    velden: dict[str, Any] = field(default_factory=dict)
    gecorrigeerd: dict[str, Any] = field(default_factory=dict)
    bron: dict[str, Any] = field(default_factory=dict)
    """`namens` for a kind the regisseur states on its source's behalf (docs/domain.md)."""
    ingeschreven: bool = True
    in_status: bool = True

    def __str__(self) -> str:
        return self.pad


def soorten(swv: Swv) -> list[Soort]:
    """The resources; an inschrijving names the school of the test SWV."""
    return [
        Soort(
            "inschrijvingen",
            "inschrijving",
            "uitschrijving",
            {"schoolId": str(swv.scholen[0])},
            {"schoolId": str(swv.scholen[0])},
            ingeschreven=False,
        ),
        Soort("verzuimperiodes", "verzuim-gestart", "verzuim-beeindigd"),
        Soort(
            "ziekmeldingen",
            "ziekmelding",
            "ziekmelding-beeindigd",
            {"doorOuders": True},
            {"doorOuders": False},
        ),
        Soort(
            "vrijstellingen",
            "vrijstelling-verleend",
            "vrijstelling-beeindigd",
            {"grond": "art-5-a"},
            {"grond": "art-5-b"},
            bron={"namens": "leerplicht"},
        ),
        Soort("schorsingen", "schorsing-gestart", "schorsing-beeindigd"),
        Soort(
            "aanbod",
            "aanbod-gestart",
            "aanbod-beeindigd",
            {"aanbod": "thuiswerkplan"},
            {"aanbod": "passend-aanbod"},
            in_status=False,
        ),
        Soort(
            "jeugdarts-oordelen",
            "jeugdarts-oordeel",
            None,
            {"belastbaarheid": "volledig"},
            {"belastbaarheid": "gedeeltelijk"},
            in_status=False,
            bron={"namens": "jeugdarts"},
        ),
    ]


PADEN = [
    "inschrijvingen",
    "verzuimperiodes",
    "ziekmeldingen",
    "vrijstellingen",
    "schorsingen",
    "aanbod",
    "jeugdarts-oordelen",
]
BEEINDIGBAAR = PADEN[:-1]


@pytest.fixture
def regisseur(auth: FakeAuthenticator, swv_a: Swv) -> dict[str, str]:
    return auth.headers(swv_a.actor(Rol.REGISSEUR))


def soort_van(swv: Swv, pad: str) -> Soort:
    return next(s for s in soorten(swv) if s.pad == pad)


async def leerling(
    client: AsyncClient, headers: dict[str, str], swv: Swv, *, ingeschreven: bool = True
) -> str:
    body = {
        "pseudoniem": f"{uuid.uuid4().int % 10**6:06d}",
        "geboortejaar": VANDAAG.year - 12,
        "geboortemaand": 3,
        "regio": "midden",
        "schoolId": str(swv.scholen[0]),
    }
    response = await client.post("/v1/leerlingen", json=body, headers=headers)
    assert response.status_code == 201, response.text
    leerling_id = str(response.json()["id"])
    if ingeschreven:
        melding = {"soort": "inschrijving", "geldigVanaf": dag(-400), "schoolId": body["schoolId"]}
        gemeld = await client.post(
            f"/v1/leerlingen/{leerling_id}/feiten", json=melding, headers=headers
        )
        assert gemeld.status_code == 201, gemeld.text
    return leerling_id


async def open_periode(
    client: AsyncClient,
    headers: dict[str, str],
    leerling_id: str,
    soort: Soort,
    start: int,
    **extra: Any,
) -> Response:
    body = {"startdatum": dag(start), **soort.velden, **soort.bron, **extra}
    return await client.post(
        f"/v1/leerlingen/{leerling_id}/{soort.pad}", json=body, headers=headers
    )


async def opgezet(
    client: AsyncClient, headers: dict[str, str], swv: Swv, pad: str, start: int = -100
) -> tuple[Soort, str, dict[str, Any], str]:
    """A child with one open period of this kind: (kind, child id, period, its ETag)."""
    soort = soort_van(swv, pad)
    leerling_id = await leerling(client, headers, swv, ingeschreven=soort.ingeschreven)
    response = await open_periode(client, headers, leerling_id, soort, start)
    assert response.status_code == 201, response.text
    return soort, leerling_id, dict(response.json()), response.headers["etag"]


def url(leerling_id: str, soort: Soort, periode_id: str | None = None, *rest: str) -> str:
    parts = [f"/v1/leerlingen/{leerling_id}/{soort.pad}"]
    if periode_id is not None:
        parts.append(periode_id)
    return "/".join([*parts, *rest])


async def soorten_in_geschiedenis(
    client: AsyncClient, headers: dict[str, str], leerling_id: str
) -> list[str]:
    history = await client.get(f"/v1/leerlingen/{leerling_id}/feiten", headers=headers)
    assert history.status_code == 200
    return [g["soort"] for g in history.json()["data"]]


def assert_problem(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = dict(response.json())
    assert body["status"] == status
    return body


# -- open, read, end -------------------------------------------------------------------------


@pytest.mark.parametrize("pad", PADEN)
async def test_open_list_and_get_with_etag(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv, pad: str
) -> None:
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, pad)
    assert periode["startdatum"] == dag(-100)
    for naam, waarde in soort.velden.items():
        assert periode[naam] == waarde
    if soort.einde is not None:
        assert periode["totEnMet"] is None
        assert periode["status"] == "lopend"
    else:
        assert "totEnMet" not in periode
    assert etag.startswith('"')
    assert etag.endswith('"')
    listed = await client.get(url(leerling_id, soort), headers=regisseur)
    assert listed.status_code == 200
    assert listed.json()["data"] == [periode]
    fetched = await client.get(url(leerling_id, soort, periode["id"]), headers=regisseur)
    assert fetched.status_code == 200
    assert fetched.json() == periode
    assert fetched.headers["etag"] == etag
    # A conditional read of the version the caller has: 304 without a body (RFC 9110 §13.1.2).
    same = await client.get(
        url(leerling_id, soort, periode["id"]), headers={**regisseur, "If-None-Match": etag}
    )
    assert same.status_code == 304
    assert same.content == b""
    assert same.headers["etag"] == etag
    other = await client.get(
        url(leerling_id, soort, periode["id"]), headers={**regisseur, "If-None-Match": '"oud"'}
    )
    assert other.status_code == 200
    history = await soorten_in_geschiedenis(client, regisseur, leerling_id)
    assert history[-1] == soort.start
    missing = await client.get(url(leerling_id, soort, str(uuid.uuid4())), headers=regisseur)
    assert_problem(missing, 404)


@pytest.mark.parametrize("pad", BEEINDIGBAAR)
async def test_end_with_if_match_shows_in_list_and_status(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv, pad: str
) -> None:
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, pad)
    item = url(leerling_id, soort, periode["id"])
    status_url = f"/v1/leerlingen/{leerling_id}/status"
    during = await client.get(status_url, params={"peildatum": dag(-50)}, headers=regisseur)
    if soort.in_status:
        assert periode["id"] in during.json()["verklaring"]["feitIds"]

    ended = await client.patch(
        item, json={"totEnMet": dag(-11), **soort.bron}, headers={**regisseur, "If-Match": etag}
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["totEnMet"] == dag(-11)
    assert ended.json()["status"] == "beeindigd"
    assert ended.json()["id"] == periode["id"]
    assert ended.headers["etag"] != etag
    listed = await client.get(url(leerling_id, soort), headers=regisseur)
    assert listed.json()["data"] == [ended.json()]
    history = await client.get(f"/v1/leerlingen/{leerling_id}/feiten", headers=regisseur)
    einde = history.json()["data"][-1]
    assert einde["soort"] == soort.einde
    assert einde["geldigVanaf"] == dag(-10), "the end fact names the first day it no longer held"
    after = await client.get(status_url, params={"peildatum": dag(-5)}, headers=regisseur)
    assert periode["id"] not in after.json()["verklaring"]["feitIds"]
    if soort.in_status:
        assert after.json() != during.json()


async def test_the_timeline_names_the_same_last_day_tot_en_met(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    """The timeline's `totEnMet` is a last day too (decision 52): the absence period ended with
    `totEnMet` on day -11 ends on day -11 there, and the next period starts on day -10."""
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, "verzuimperiodes")
    item = url(leerling_id, soort, periode["id"])
    ended = await client.patch(
        item, json={"totEnMet": dag(-11)}, headers={**regisseur, "If-Match": etag}
    )
    assert ended.status_code == 200, ended.text
    tijdlijn = await client.get(f"/v1/leerlingen/{leerling_id}/tijdlijn", headers=regisseur)
    perioden = tijdlijn.json()["perioden"]
    assert all("einde" not in p for p in perioden)
    grens = [i for i, p in enumerate(perioden) if p["totEnMet"] == dag(-11)]
    assert grens, perioden
    assert perioden[grens[0] + 1]["start"] == dag(-10)

    again = await client.patch(
        item,
        json={"totEnMet": dag(-5), **soort.bron},
        headers={**regisseur, "If-Match": ended.headers["etag"]},
    )
    assert_problem(again, 409)


@pytest.mark.parametrize("pad", BEEINDIGBAAR)
async def test_end_needs_if_match_and_a_fresh_etag(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv, pad: str
) -> None:
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, pad)
    item = url(leerling_id, soort, periode["id"])
    body = {"totEnMet": dag(-11), **soort.bron}
    assert_problem(await client.patch(item, json=body, headers=regisseur), 428)
    # `*` matches any version: it would not protect against a lost update (RFC 9110 §13.1.1).
    star = await client.patch(item, json=body, headers={**regisseur, "If-Match": "*"})
    assert_problem(star, 428)
    stale = await client.patch(item, json=body, headers={**regisseur, "If-Match": '"0000"'})
    assert_problem(stale, 412)
    weak = await client.patch(item, json=body, headers={**regisseur, "If-Match": f"W/{etag}"})
    assert_problem(weak, 412)
    assert await soorten_in_geschiedenis(client, regisseur, leerling_id) == (
        ["inschrijving", soort.start] if soort.ingeschreven else [soort.start]
    )
    listed = await client.get(url(leerling_id, soort), headers=regisseur)
    assert listed.json()["data"][0]["status"] == "lopend"
    some = await client.patch(item, json=body, headers={**regisseur, "If-Match": f'"x", {etag}'})
    assert some.status_code == 200, some.text
    assert_problem(
        await client.patch(item, json=body, headers={**regisseur, "If-Match": etag}), 412
    )


async def test_end_after_a_change_by_someone_else_is_412(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, "verzuimperiodes")
    correctie = await client.post(
        url(leerling_id, soort, periode["id"], "correcties"),
        json={"startdatum": dag(-90), "reden": "datum verkeerd overgenomen", **soort.bron},
        headers={**regisseur, "If-Match": etag},
    )
    assert correctie.status_code == 201, correctie.text
    lost = await client.patch(
        url(leerling_id, soort, periode["id"]),
        json={"totEnMet": dag(-11), **soort.bron},
        headers={**regisseur, "If-Match": etag},
    )
    assert_problem(lost, 412)


@pytest.mark.parametrize("pad", BEEINDIGBAAR)
async def test_end_before_start_is_400_naming_the_field(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv, pad: str
) -> None:
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, pad)
    item = url(leerling_id, soort, periode["id"])
    headers = {**regisseur, "If-Match": etag}
    before = await client.patch(item, json={"totEnMet": dag(-101), **soort.bron}, headers=headers)
    body = assert_problem(before, 400)
    assert [e["name"] for e in body["errors"]] == ["totEnMet"]
    assert dag(-101) not in before.text
    invalid = await client.patch(
        item, json={"totEnMet": "gisteren", "geheim": "123456782", **soort.bron}, headers=headers
    )
    body = assert_problem(invalid, 400)
    # An unknown field is named by where it is (the body), never by its own name.
    assert {e["name"] for e in body["errors"]} == {"totEnMet", "body"}
    assert "geheim" not in invalid.text
    assert "gisteren" not in invalid.text
    assert "123456782" not in invalid.text
    far = await client.patch(item, json={"totEnMet": dag(400), **soort.bron}, headers=headers)
    assert [e["name"] for e in assert_problem(far, 400)["errors"]] == ["totEnMet"]


@pytest.mark.parametrize("pad", ["verzuimperiodes", "inschrijvingen"])
async def test_the_old_name_einddatum_is_a_400_naming_tot_en_met(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv, pad: str
) -> None:
    """`einddatum` always means the first day no longer; the period's last day is `totEnMet`:
    a client still sending `einddatum` learns the new name, and nothing is appended."""
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, pad)
    item = url(leerling_id, soort, periode["id"])
    headers = {**regisseur, "If-Match": etag}
    oud = await client.patch(item, json={"einddatum": dag(-11), **soort.bron}, headers=headers)
    body = assert_problem(oud, 400)
    fouten = {e["name"]: e for e in body["errors"]}
    assert set(fouten) == {"einddatum", "totEnMet"}, "the old name, and the new one missing"
    assert fouten["einddatum"]["code"] == "extra_forbidden"
    assert "`totEnMet`" in fouten["einddatum"]["reason"]
    assert dag(-11) not in oud.text
    correctie = await client.post(
        f"{item}/correcties",
        json={"startdatum": dag(-100), "reden": "r", "einddatum": dag(-11), **soort.velden},
        headers=headers,
    )
    fouten = {e["name"]: e for e in assert_problem(correctie, 400)["errors"]}
    assert set(fouten) == {"einddatum"}
    assert "`totEnMet`" in fouten["einddatum"]["reason"]
    nog = await client.get(item, headers=regisseur)
    assert nog.headers["etag"] == etag, "nothing was appended"
    assert nog.json()["status"] == "lopend"


async def test_an_unknown_field_elsewhere_is_still_not_named(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    """The hint is for the period routes only: another route's unknown key is input and is
    never named, not even when it is `einddatum`."""
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, "verzuimperiodes")
    item = url(leerling_id, soort, periode["id"])
    ingetrokken = await client.post(
        f"{item}/intrekkingen",
        json={"reden": "r", "einddatum": dag(-1)},
        headers={**regisseur, "If-Match": etag},
    )
    [fout] = assert_problem(ingetrokken, 400)["errors"]
    assert (fout["name"], fout["code"]) == ("body", "extra_forbidden")
    assert "einddatum" not in ingetrokken.text


async def test_end_reason_is_kept(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, "verzuimperiodes")
    ended = await client.patch(
        url(leerling_id, soort, periode["id"]),
        json={"totEnMet": dag(-1), "reden": "schoolgang-hersteld", **soort.bron},
        headers={**regisseur, "If-Match": etag},
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["eindreden"] == "schoolgang-hersteld"
    wrong = await client.patch(
        url(leerling_id, soort_van(swv_a, "schorsingen"), periode["id"]),
        json={"totEnMet": dag(-1), "reden": "verhuizing", **soort.bron},
        headers={**regisseur, "If-Match": etag},
    )
    assert_problem(wrong, 400)


async def test_jeugdarts_oordeel_cannot_be_ended(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    soort, leerling_id, periode, etag = await opgezet(
        client, regisseur, swv_a, "jeugdarts-oordelen"
    )
    response = await client.patch(
        url(leerling_id, soort, periode["id"]),
        json={"totEnMet": dag(-1), **soort.bron},
        headers={**regisseur, "If-Match": etag},
    )
    assert_problem(response, 405)


async def test_invalid_start_lists_every_error_without_echo(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    leerling_id = await leerling(client, regisseur, swv_a)
    response = await client.post(
        f"/v1/leerlingen/{leerling_id}/vrijstellingen",
        json={"startdatum": "31-12-2020", "grond": "art-99", "bsn": "123456782"},
        headers=regisseur,
    )
    body = assert_problem(response, 400)
    # The unknown field `bsn` is named by where it is (the body), never by the caller's key.
    assert {e["name"] for e in body["errors"]} == {"startdatum", "grond", "body"}
    for geheim in ("31-12-2020", "art-99", "123456782"):
        assert geheim not in response.text
    far = await client.post(
        f"/v1/leerlingen/{leerling_id}/verzuimperiodes",
        json={"startdatum": dag(400)},
        headers=regisseur,
    )
    assert [e["name"] for e in assert_problem(far, 400)["errors"]] == ["startdatum"]
    unknown_school = await client.post(
        f"/v1/leerlingen/{leerling_id}/inschrijvingen",
        json={"startdatum": dag(-1), "schoolId": str(uuid.uuid4())},
        headers=regisseur,
    )
    assert [e["name"] for e in assert_problem(unknown_school, 400)["errors"]] == ["schoolId"]


# -- corrections and withdrawals -------------------------------------------------------------


@pytest.mark.parametrize("pad", PADEN)
async def test_correction_replaces_the_start_and_keeps_history(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv, pad: str
) -> None:
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, pad)
    status_url = f"/v1/leerlingen/{leerling_id}/status"
    peildatum = {"peildatum": dag(-50)}
    before = await client.get(status_url, params=peildatum, headers=regisseur)
    history = await client.get(f"/v1/leerlingen/{leerling_id}/feiten", headers=regisseur)
    known_then = history.json()["data"][-1]["geregistreerdOp"]
    item = url(leerling_id, soort, periode["id"])

    body = {
        "startdatum": dag(-40),
        "reden": "startdatum verkeerd ingevoerd",
        **soort.gecorrigeerd,
        **soort.bron,
    }
    no_reason = {k: v for k, v in body.items() if k != "reden"}
    missing = await client.post(
        f"{item}/correcties", json=no_reason, headers={**regisseur, "If-Match": etag}
    )
    assert [e["name"] for e in assert_problem(missing, 400)["errors"]] == ["reden"]
    assert_problem(await client.post(f"{item}/correcties", json=body, headers=regisseur), 428)

    corrected = await client.post(
        f"{item}/correcties", json=body, headers={**regisseur, "If-Match": etag}
    )
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()["id"] == periode["id"]
    assert corrected.json()["startdatum"] == dag(-40)
    for naam, waarde in soort.gecorrigeerd.items():
        assert corrected.json()[naam] == waarde
    assert corrected.headers["etag"] != etag
    assert corrected.headers["content-location"].endswith(f"/{soort.pad}/{periode['id']}")
    assert "/feiten/" in corrected.headers["location"]
    fetched = await client.get(item, headers=regisseur)
    assert fetched.json() == corrected.json()
    assert fetched.headers["etag"] == corrected.headers["etag"]

    soorten_nu = await soorten_in_geschiedenis(client, regisseur, leerling_id)
    assert soorten_nu[-2:] == [soort.start, "correctie"]
    then = await client.get(
        status_url, params={**peildatum, "bekendOp": known_then}, headers=regisseur
    )
    assert then.status_code == 200
    assert {**then.json(), "bekendOp": None} == {**before.json(), "bekendOp": None}
    if soort.in_status:
        now = await client.get(status_url, params=peildatum, headers=regisseur)
        assert now.json() != before.json()
    as_known = await client.get(
        url(leerling_id, soort), params={"bekendOp": known_then}, headers=regisseur
    )
    assert as_known.json()["data"] == [periode]


async def test_correction_of_verzuim_changes_the_category_but_not_what_was_known(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    soort, leerling_id, periode, etag = await opgezet(
        client, regisseur, swv_a, "verzuimperiodes", start=-60
    )
    status_url = f"/v1/leerlingen/{leerling_id}/status"
    assert (await client.get(status_url, headers=regisseur)).json()["categorie"] == "B2a"
    history = await client.get(f"/v1/leerlingen/{leerling_id}/feiten", headers=regisseur)
    known_then = history.json()["data"][-1]["geregistreerdOp"]
    corrected = await client.post(
        url(leerling_id, soort, periode["id"], "correcties"),
        json={"startdatum": dag(-10), "reden": "verkeerde maand"},
        headers={**regisseur, "If-Match": etag},
    )
    assert corrected.status_code == 201, corrected.text
    assert (await client.get(status_url, headers=regisseur)).json()["categorie"] == "B1"
    then = await client.get(status_url, params={"bekendOp": known_then}, headers=regisseur)
    assert then.json()["categorie"] == "B2a"


async def test_correction_of_an_ended_period_moves_its_end_too(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, "inschrijvingen")
    item = url(leerling_id, soort, periode["id"])
    ended = await client.patch(
        item,
        json={"totEnMet": dag(-20), "reden": "verhuizing"},
        headers={**regisseur, "If-Match": etag},
    )
    assert ended.status_code == 200, ended.text
    etag = ended.headers["etag"]
    after_end = {"startdatum": dag(-10), "reden": "r", "schoolId": str(swv_a.scholen[0])}
    wrong = await client.post(
        f"{item}/correcties", json=after_end, headers={**regisseur, "If-Match": etag}
    )
    assert [e["name"] for e in assert_problem(wrong, 400)["errors"]] == ["startdatum"]
    body = {
        "startdatum": dag(-90),
        "totEnMet": dag(-30),
        "schoolId": str(swv_a.scholen[1]),
        "reden": "andere vestiging en einddatum",
    }
    corrected = await client.post(
        f"{item}/correcties", json=body, headers={**regisseur, "If-Match": etag}
    )
    assert corrected.status_code == 201, corrected.text
    assert corrected.json() | {"id": None} == {
        "id": None,
        "startdatum": dag(-90),
        "totEnMet": dag(-30),
        "status": "beeindigd",
        "schoolId": str(swv_a.scholen[1]),
        "eindreden": "verhuizing",
    }
    soorten_nu = await soorten_in_geschiedenis(client, regisseur, leerling_id)
    assert soorten_nu == ["inschrijving", "uitschrijving", "correctie", "correctie"]
    tijdlijn = await client.get(f"/v1/leerlingen/{leerling_id}/tijdlijn", headers=regisseur)
    assert not tijdlijn.json()["dataproblemen"]


async def test_correction_that_would_take_another_periods_end_is_409(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    soort, leerling_id, eerste, etag = await opgezet(
        client, regisseur, swv_a, "verzuimperiodes", start=-200
    )
    headers = {**regisseur, "If-Match": etag}
    ended = await client.patch(
        url(leerling_id, soort, eerste["id"]), json={"totEnMet": dag(-150)}, headers=headers
    )
    assert ended.status_code == 200, ended.text
    tweede = await open_periode(client, regisseur, leerling_id, soort, -100)
    item = url(leerling_id, soort, tweede.json()["id"])
    ended = await client.patch(
        item,
        json={"totEnMet": dag(-20)},
        headers={**regisseur, "If-Match": tweede.headers["etag"]},
    )
    assert ended.status_code == 200, ended.text
    response = await client.post(
        f"{item}/correcties",
        json={"startdatum": dag(-180), "reden": "r"},
        headers={**regisseur, "If-Match": ended.headers["etag"]},
    )
    assert_problem(response, 409)
    listed = (await client.get(url(leerling_id, soort), headers=regisseur)).json()["data"]
    assert [(p["startdatum"], p["totEnMet"]) for p in listed] == [
        (dag(-200), dag(-150)),
        (dag(-100), dag(-20)),
    ]


async def test_correcting_the_end_of_an_open_period_is_409(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, "schorsingen")
    response = await client.post(
        url(leerling_id, soort, periode["id"], "correcties"),
        json={"startdatum": dag(-100), "totEnMet": dag(-50), "reden": "r"},
        headers={**regisseur, "If-Match": etag},
    )
    assert_problem(response, 409)


@pytest.mark.parametrize("pad", PADEN)
async def test_withdrawal_removes_the_period_and_keeps_history(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv, pad: str
) -> None:
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, pad)
    item = url(leerling_id, soort, periode["id"])
    expected = [soort.start, "intrekking"]
    if soort.einde is not None:
        ended = await client.patch(
            item, json={"totEnMet": dag(-2), **soort.bron}, headers={**regisseur, "If-Match": etag}
        )
        etag = ended.headers["etag"]
        expected = [soort.start, soort.einde, "intrekking", "intrekking"]
    body = {"reden": "melding was verkeerd", **soort.bron}
    assert_problem(await client.post(f"{item}/intrekkingen", json=body, headers=regisseur), 428)
    stale = await client.post(
        f"{item}/intrekkingen", json=body, headers={**regisseur, "If-Match": '"oud"'}
    )
    assert_problem(stale, 412)
    withdrawn = await client.post(
        f"{item}/intrekkingen", json=body, headers={**regisseur, "If-Match": etag}
    )
    assert withdrawn.status_code == 201, withdrawn.text
    assert withdrawn.json()["periodeId"] == periode["id"]
    assert [g["soort"] for g in withdrawn.json()["data"]] == ["intrekking"] * (len(expected) // 2)
    assert_problem(await client.get(item, headers=regisseur), 404)
    assert (await client.get(url(leerling_id, soort), headers=regisseur)).json()["data"] == []
    history = await soorten_in_geschiedenis(client, regisseur, leerling_id)
    assert history[-len(expected) :] == expected
    again = await client.post(
        f"{item}/intrekkingen", json=body, headers={**regisseur, "If-Match": etag}
    )
    assert_problem(again, 404)


async def test_overlapping_starts_share_their_end(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv
) -> None:
    soort, leerling_id, eerste, etag = await opgezet(client, regisseur, swv_a, "ziekmeldingen")
    tweede = await open_periode(client, regisseur, leerling_id, soort, -50)
    assert tweede.status_code == 201
    ended = await client.patch(
        url(leerling_id, soort, tweede.json()["id"]),
        json={"totEnMet": dag(-20)},
        headers={**regisseur, "If-Match": tweede.headers["etag"]},
    )
    assert ended.status_code == 200, ended.text
    listed = (await client.get(url(leerling_id, soort), headers=regisseur)).json()["data"]
    assert [p["totEnMet"] for p in listed] == [dag(-20), dag(-20)]
    current = await client.get(url(leerling_id, soort, eerste["id"]), headers=regisseur)
    assert current.headers["etag"] != etag
    withdrawn = await client.post(
        url(leerling_id, soort, tweede.json()["id"], "intrekkingen"),
        json={"reden": "dubbel gemeld"},
        headers={**regisseur, "If-Match": ended.headers["etag"]},
    )
    assert withdrawn.status_code == 201, withdrawn.text
    assert len(withdrawn.json()["data"]) == 1
    listed = (await client.get(url(leerling_id, soort), headers=regisseur)).json()["data"]
    assert [(p["id"], p["totEnMet"]) for p in listed] == [(eerste["id"], dag(-20))]


# -- safe retries ----------------------------------------------------------------------------


@pytest.mark.parametrize("pad", ["verzuimperiodes", "vrijstellingen"])
async def test_retry_with_the_same_idempotency_key_returns_the_same_response(
    client: AsyncClient, regisseur: dict[str, str], swv_a: Swv, pad: str
) -> None:
    soort = soort_van(swv_a, pad)
    leerling_id = await leerling(client, regisseur, swv_a)
    headers = {**regisseur, "Idempotency-Key": f"retry-{pad}"}
    first = await open_periode(client, headers, leerling_id, soort, -5)
    retry = await open_periode(client, headers, leerling_id, soort, -5)
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    assert first.headers["etag"] == retry.headers["etag"]
    assert first.headers["location"] == retry.headers["location"]
    other = await open_periode(client, headers, leerling_id, soort, -6)
    assert_problem(other, 422)
    listed = await client.get(url(leerling_id, soort), headers=regisseur)
    assert len(listed.json()["data"]) == 1

    item = url(leerling_id, soort, first.json()["id"])
    withdraw = {**regisseur, "Idempotency-Key": f"in-{pad}", "If-Match": first.headers["etag"]}
    body = {"reden": "verkeerd kind", **soort.bron}
    one = await client.post(f"{item}/intrekkingen", json=body, headers=withdraw)
    two = await client.post(f"{item}/intrekkingen", json=body, headers=withdraw)
    assert one.status_code == two.status_code == 201
    assert one.json() == two.json()
    history = await soorten_in_geschiedenis(client, regisseur, leerling_id)
    assert history.count("intrekking") == 1


async def test_same_bron_referentie_is_the_same_period(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    systeem = auth.headers(swv_a.actor(Rol.SCHOOLSYSTEEM, school=0))
    soort = soort_van(swv_a, "ziekmeldingen")
    leerling_id = await leerling(client, systeem, swv_a)
    first = await open_periode(client, systeem, leerling_id, soort, -3, bronReferentie="DD-7")
    second = await open_periode(client, systeem, leerling_id, soort, -3, bronReferentie="DD-7")
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json() == second.json()
    assert (await soorten_in_geschiedenis(client, systeem, leerling_id)).count("ziekmelding") == 1
    other_kind = await open_periode(
        client, systeem, leerling_id, soort_van(swv_a, "schorsingen"), -3, bronReferentie="DD-7"
    )
    assert_problem(other_kind, 409)


# -- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("pad", ["inschrijvingen", "verzuimperiodes", "jeugdarts-oordelen"])
async def test_out_of_scope_child_is_404_like_a_missing_one(
    client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv, swv_b: Swv, pad: str
) -> None:
    eigen = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=0))
    soort, leerling_id, periode, etag = await opgezet(client, eigen, swv_a, pad)
    andere_school = auth.headers(swv_a.actor(Rol.SCHOOLMEDEWERKER, school=1))
    ander_swv = auth.headers(swv_b.actor(Rol.REGISSEUR))
    item = url(leerling_id, soort, periode["id"])
    for headers in (andere_school, ander_swv):
        changing = {**headers, "If-Match": etag}
        responses = [
            await client.get(url(leerling_id, soort), headers=headers),
            await client.get(item, headers=headers),
            await open_periode(client, headers, leerling_id, soort, -1),
            await client.post(
                f"{item}/correcties",
                json={"startdatum": dag(-1), "reden": "r", **soort.gecorrigeerd},
                headers=changing,
            ),
            await client.post(f"{item}/intrekkingen", json={"reden": "r"}, headers=changing),
        ]
        if soort.einde is not None:
            responses.append(await client.patch(item, json={"totEnMet": dag(-1)}, headers=changing))
        for response in responses:
            assert_problem(response, 404)
    missing = await client.get(url(str(uuid.uuid4()), soort), headers=andere_school)
    out_of_scope = await client.get(url(leerling_id, soort), headers=andere_school)
    assert missing.json()["detail"] == out_of_scope.json()["detail"]
    assert await soorten_in_geschiedenis(client, eigen, leerling_id) == (
        ["inschrijving", soort.start] if soort.ingeschreven else [soort.start]
    )


async def test_no_token_is_401(client: AsyncClient, swv_a: Swv) -> None:
    base = f"/v1/leerlingen/{uuid.uuid4()}/verzuimperiodes"
    item = f"{base}/{uuid.uuid4()}"
    responses = [
        await client.get(base),
        await client.post(base, json={"startdatum": dag(0)}),
        await client.get(item),
        await client.patch(item, json={"totEnMet": dag(0)}, headers={"If-Match": '"x"'}),
        await client.post(f"{item}/correcties", json={"startdatum": dag(0), "reden": "r"}),
        await client.post(f"{item}/intrekkingen", json={"reden": "r"}),
    ]
    for response in responses:
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_wrong_role_is_403(
    client: AsyncClient, auth: FakeAuthenticator, regisseur: dict[str, str], swv_a: Swv
) -> None:
    soort, leerling_id, periode, etag = await opgezet(client, regisseur, swv_a, "schorsingen")
    item = url(leerling_id, soort, periode["id"])
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    assert_problem(await client.get(url(leerling_id, soort), headers=beheerder), 403)
    assert_problem(await client.get(item, headers=beheerder), 403)
    directeur = {**auth.headers(swv_a.actor(Rol.DIRECTEUR)), "If-Match": etag}
    assert (await client.get(item, headers=directeur)).status_code == 200
    assert_problem(await open_periode(client, directeur, leerling_id, soort, -1), 403)
    assert_problem(await client.patch(item, json={"totEnMet": dag(-1)}, headers=directeur), 403)
    # The secretariaat corrects facts (docs/domain.md, Wie meldt welk feit); the directeur not.
    secretariaat = {**auth.headers(swv_a.actor(Rol.SECRETARIAAT)), "If-Match": etag}
    correctie = {"startdatum": dag(-1), "reden": "r"}
    assert_problem(await client.post(f"{item}/correcties", json=correctie, headers=directeur), 403)
    assert_problem(
        await client.post(f"{item}/intrekkingen", json={"reden": "r"}, headers=directeur), 403
    )
    ended = await client.patch(item, json={"totEnMet": dag(-1)}, headers=secretariaat)
    assert ended.status_code == 200, ended.text
