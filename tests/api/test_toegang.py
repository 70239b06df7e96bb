"""Identity: people log in with password and TOTP; systems with OAuth2
client credentials; tokens are short-lived, sessions revocable, deactivation immediate."""

from __future__ import annotations

import base64
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.api.app import Application
from app.db.session import UnitOfWork
from app.domain.toegang import Rol
from app.services.toegang import beheer
from app.services.toegang.tokens import Sleutelring, TokenSoort, genereer_sleutelpaar, maak_token
from app.services.toegang.totp import code_op, genereer_geheim
from tests.builders import Swv

WACHTWOORD = "correct-paard-batterij-niet"


class Persoon:
    def __init__(self, naam: str, geheim: str, gebruiker_id: uuid.UUID) -> None:
        self.naam = naam
        self.geheim = geheim
        self.id = gebruiker_id

    def code(self, offset_steps: int = 0) -> str:
        return code_op(self.geheim, int(time.time()) + 30 * offset_steps)


async def maak_persoon(
    application: Application, sessionmaker: async_sessionmaker[AsyncSession], swv: Swv, rol: Rol
) -> Persoon:
    geheim = genereer_geheim()
    naam = f"test-{uuid.uuid4().hex[:10]}"
    nieuw = await beheer.maak_gebruiker(
        UnitOfWork(sessionmaker),
        application.api.state.versleuteling,
        swv_id=swv.id,
        gebruikersnaam=naam,
        wachtwoord=WACHTWOORD,
        rol=rol,
        totp_geheim=geheim,
    )
    return Persoon(naam, geheim, nieuw.gebruiker.id)


@pytest.fixture
async def regisseur(
    jwt_application: Application, sessionmaker: async_sessionmaker[AsyncSession], swv_a: Swv
) -> Persoon:
    return await maak_persoon(jwt_application, sessionmaker, swv_a, Rol.REGISSEUR)


async def login(client: AsyncClient, persoon: Persoon, **override: str) -> Any:
    body = {"gebruikersnaam": persoon.naam, "wachtwoord": WACHTWOORD, "totpCode": persoon.code()}
    return await client.post("/v1/sessies", json={**body, **override})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_login_with_password_and_totp_gives_working_tokens(
    jwt_client: AsyncClient, regisseur: Persoon
) -> None:
    response = await login(jwt_client, regisseur)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["tokenType"] == "Bearer"
    assert body["geldigSeconden"] == 600
    listed = await jwt_client.get("/v1/leerlingen", headers=bearer(body["toegangstoken"]))
    assert listed.status_code == 200


async def test_unknown_user_wrong_password_and_wrong_code_answer_alike(
    jwt_client: AsyncClient, regisseur: Persoon
) -> None:
    wrong_code = "000000" if regisseur.code() != "000000" else "111111"
    answers = [
        await login(jwt_client, regisseur, wachtwoord="verkeerd-wachtwoord-123"),
        await login(jwt_client, regisseur, gebruikersnaam="bestaat-niet"),
        await login(jwt_client, regisseur, totpCode=wrong_code),
    ]
    assert {a.status_code for a in answers} == {401}
    assert len({a.json()["detail"] for a in answers}) == 1
    assert all(WACHTWOORD not in a.text for a in answers)


async def test_a_totp_code_works_once(jwt_client: AsyncClient, regisseur: Persoon) -> None:
    code = regisseur.code()
    assert (await login(jwt_client, regisseur, totpCode=code)).status_code == 201
    assert (await login(jwt_client, regisseur, totpCode=code)).status_code == 401


async def test_refresh_rotates_and_reuse_ends_the_session(
    jwt_client: AsyncClient, regisseur: Persoon
) -> None:
    first = (await login(jwt_client, regisseur)).json()
    rotated = await jwt_client.post(
        "/v1/sessies/vernieuwingen", json={"vernieuwingstoken": first["vernieuwingstoken"]}
    )
    assert rotated.status_code == 201
    second = rotated.json()
    assert second["vernieuwingstoken"] != first["vernieuwingstoken"]
    assert (
        await jwt_client.get("/v1/leerlingen", headers=bearer(second["toegangstoken"]))
    ).status_code == 200
    stolen = await jwt_client.post(
        "/v1/sessies/vernieuwingen", json={"vernieuwingstoken": first["vernieuwingstoken"]}
    )
    assert stolen.status_code == 401
    after = await jwt_client.get("/v1/leerlingen", headers=bearer(second["toegangstoken"]))
    assert after.status_code == 401
    again = await jwt_client.post(
        "/v1/sessies/vernieuwingen", json={"vernieuwingstoken": second["vernieuwingstoken"]}
    )
    assert again.status_code == 401


async def test_logout_ends_access_at_once(jwt_client: AsyncClient, regisseur: Persoon) -> None:
    tokens = (await login(jwt_client, regisseur)).json()
    out = await jwt_client.delete("/v1/sessies/huidig", headers=bearer(tokens["toegangstoken"]))
    assert out.status_code == 204
    after = await jwt_client.get("/v1/leerlingen", headers=bearer(tokens["toegangstoken"]))
    assert after.status_code == 401


async def test_deactivating_a_user_ends_their_access_at_the_next_request(
    jwt_client: AsyncClient,
    jwt_application: Application,
    sessionmaker: async_sessionmaker[AsyncSession],
    regisseur: Persoon,
    swv_a: Swv,
) -> None:
    tokens = (await login(jwt_client, regisseur)).json()
    beheerder = await maak_persoon(jwt_application, sessionmaker, swv_a, Rol.BEHEERDER)
    beheer_tokens = (await login(jwt_client, beheerder)).json()
    response = await jwt_client.patch(
        f"/v1/gebruikers/{regisseur.id}",
        json={"actief": False},
        headers=bearer(beheer_tokens["toegangstoken"]),
    )
    assert response.status_code == 200
    assert response.json()["actief"] is False
    after = await jwt_client.get("/v1/leerlingen", headers=bearer(tokens["toegangstoken"]))
    assert after.status_code == 401


async def test_repeated_failures_are_throttled(jwt_client: AsyncClient, regisseur: Persoon) -> None:
    statuses = [
        (await login(jwt_client, regisseur, wachtwoord=f"fout-wachtwoord-{n}")).status_code
        for n in range(7)
    ]
    assert statuses[:5] == [401] * 5
    blocked = await login(jwt_client, regisseur)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1


async def test_token_signed_with_another_key_is_refused(
    jwt_client: AsyncClient, regisseur: Persoon
) -> None:
    other = genereer_sleutelpaar()
    ring = Sleutelring.uit_pem(actieve_kid=other.kid, actieve_sleutel_pem=other.prive_pem)
    forged = maak_token(
        ring,
        onderwerp=f"gebruiker:{regisseur.id}",
        typ=TokenSoort.TOEGANG,
        publiek="thuiszitters-api",
        uitgever="thuiszitters",
        geldig_seconden=600,
        nu=int(time.time()),
        extra_claims={"sid": str(uuid.uuid4())},
    )
    assert (await jwt_client.get("/v1/leerlingen", headers=bearer(forged))).status_code == 401


async def test_client_credentials_token_is_bound_to_organisation_and_scopes(
    jwt_client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], swv_a: Swv
) -> None:
    nieuw = await beheer.maak_client(
        UnitOfWork(sessionmaker),
        swv_id=swv_a.id,
        naam="Digidoor (test)",
        rol=Rol.SCHOOLSYSTEEM,
        scopes=["feit:melden", "leerling:registreren", "leerling:lezen"],
        vestigingen=["90AA00"],
    )
    form = {"grant_type": "client_credentials", "scope": "leerling:registreren feit:melden"}
    response = await jwt_client.post(
        "/v1/tokens", data=form, headers=basic(nieuw.client.client_id, nieuw.geheim)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "feit:melden leerling:registreren"
    headers = bearer(body["access_token"])
    created = await jwt_client.post(
        "/v1/leerlingen",
        json={"pseudoniem": "661901", "geboortejaar": 2014, "geboortemaand": 2, "regio": "midden"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    read = await jwt_client.get(f"/v1/leerlingen/{created.json()['id']}", headers=headers)
    assert read.status_code == 403
    in_form = await jwt_client.post(
        "/v1/tokens",
        data={**form, "client_id": nieuw.client.client_id, "client_secret": nieuw.geheim},
    )
    assert in_form.status_code == 200


async def test_client_credentials_refusals(
    jwt_client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], swv_a: Swv
) -> None:
    nieuw = await beheer.maak_client(
        UnitOfWork(sessionmaker),
        swv_id=swv_a.id,
        naam="Leerplichtsoftware (test)",
        rol=Rol.LEERPLICHTSYSTEEM,
        scopes=["feit:melden"],
        gemeenten=[swv_a.gemeente_codes[0]],
    )
    cid = nieuw.client.client_id
    wrong = await jwt_client.post(
        "/v1/tokens", data={"grant_type": "client_credentials"}, headers=basic(cid, "nope")
    )
    assert wrong.status_code == 401
    assert nieuw.geheim not in wrong.text
    grant = await jwt_client.post(
        "/v1/tokens", data={"grant_type": "password"}, headers=basic(cid, nieuw.geheim)
    )
    assert grant.status_code == 400
    scope = await jwt_client.post(
        "/v1/tokens",
        data={"grant_type": "client_credentials", "scope": "audit:lezen"},
        headers=basic(cid, nieuw.geheim),
    )
    assert scope.status_code == 400
    as_json = await jwt_client.post(
        "/v1/tokens", json={"grant_type": "client_credentials"}, headers=basic(cid, nieuw.geheim)
    )
    assert as_json.status_code == 400
    too_many = await jwt_client.post(
        "/v1/tokens",
        data={"grant_type": "client_credentials", **{f"veld{i}": "x" for i in range(12)}},
        headers=basic(cid, nieuw.geheim),
    )
    assert too_many.status_code == 400  # more than 10 fields: refused, never a 500


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


async def test_a_beheerder_cannot_create_an_account_that_reads_children(
    jwt_client: AsyncClient,
    jwt_application: Application,
    sessionmaker: async_sessionmaker[AsyncSession],
    swv_a: Swv,
) -> None:
    beheerder = await maak_persoon(jwt_application, sessionmaker, swv_a, Rol.BEHEERDER)
    headers = bearer((await login(jwt_client, beheerder)).json()["toegangstoken"])
    body = {"gebruikersnaam": "nieuwe.collega", "wachtwoord": WACHTWOORD}
    refused = await jwt_client.post(
        "/v1/gebruikers", json={**body, "rol": "regisseur-thuiszitters"}, headers=headers
    )
    assert refused.status_code == 403
    allowed = await jwt_client.post(
        "/v1/gebruikers", json={**body, "rol": "functionaris-gegevensbescherming"}, headers=headers
    )
    assert allowed.status_code == 201, allowed.text
    uri = allowed.json()["totpUri"]
    assert uri.startswith("otpauth://totp/")
    geheim = parse_qs(urlparse(uri).query)["secret"][0]
    nieuw = Persoon("nieuwe.collega", geheim, uuid.UUID(allowed.json()["id"]))
    assert (await login(jwt_client, nieuw)).status_code == 201, "the new account was stored"


async def test_a_wrong_refresh_secret_does_not_end_someone_elses_session(
    jwt_client: AsyncClient, regisseur: Persoon
) -> None:
    tokens = (await login(jwt_client, regisseur)).json()
    sessie_id = tokens["vernieuwingstoken"].split(".")[0]
    guess = await jwt_client.post(
        "/v1/sessies/vernieuwingen", json={"vernieuwingstoken": f"{sessie_id}.geraden-geheim"}
    )
    assert guess.status_code == 401
    still = await jwt_client.get("/v1/leerlingen", headers=bearer(tokens["toegangstoken"]))
    assert still.status_code == 200
    rotated = await jwt_client.post(
        "/v1/sessies/vernieuwingen", json={"vernieuwingstoken": tokens["vernieuwingstoken"]}
    )
    assert rotated.status_code == 201
