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
from app.services.errors import InvalidInput
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
    assert "leerling:lezen" in read.json()["detail"]  # a missing scope is named
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
    assert wrong.json()["error"] == "invalid_client"  # RFC 6749 §5.2
    assert wrong.headers["www-authenticate"].startswith("Basic")
    grant = await jwt_client.post(
        "/v1/tokens", data={"grant_type": "password"}, headers=basic(cid, nieuw.geheim)
    )
    assert grant.status_code == 400
    assert grant.json()["error"] == "unsupported_grant_type"
    scope = await jwt_client.post(
        "/v1/tokens",
        data={"grant_type": "client_credentials", "scope": "audit:lezen"},
        headers=basic(cid, nieuw.geheim),
    )
    assert scope.status_code == 400
    assert scope.json()["error"] == "invalid_scope"
    as_json = await jwt_client.post(
        "/v1/tokens", json={"grant_type": "client_credentials"}, headers=basic(cid, nieuw.geheim)
    )
    assert as_json.status_code == 400
    assert {"error", "error_description", "title", "detail"} <= set(as_json.json())
    assert as_json.json()["error"] == "invalid_request"
    assert as_json.headers["cache-control"] == "no-store"

    too_many = await jwt_client.post(
        "/v1/tokens",
        data={"grant_type": "client_credentials", **{f"veld{i}": "x" for i in range(12)}},
        headers=basic(cid, nieuw.geheim),
    )
    assert too_many.status_code == 400  # more than 10 fields: refused, never a 500


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


@pytest.mark.parametrize(
    "rol",
    [
        "functionaris-gegevensbescherming",
        "inspectie-export",
        "beheerder",
        "regisseur-thuiszitters",
    ],
)
async def test_a_beheerder_cannot_create_fg_export_beheerder_or_child_reading_accounts(
    jwt_client: AsyncClient,
    jwt_application: Application,
    sessionmaker: async_sessionmaker[AsyncSession],
    swv_a: Swv,
    rol: str,
) -> None:
    """Separation of duties: such accounts only through `thuiszitters create-user`."""
    beheerder = await maak_persoon(jwt_application, sessionmaker, swv_a, Rol.BEHEERDER)
    headers = bearer((await login(jwt_client, beheerder)).json()["toegangstoken"])
    body = {"gebruikersnaam": "nieuwe.collega", "wachtwoord": WACHTWOORD, "rol": rol}
    refused = await jwt_client.post("/v1/gebruikers", json=body, headers=headers)
    assert refused.status_code == 403
    assert "thuiszitters create-user" in refused.json()["detail"]
    assert "totp" not in refused.text.lower()
    listed = await jwt_client.get("/v1/gebruikers", headers=headers)
    assert "nieuwe.collega" not in listed.text


async def _nieuw_account(
    application: Application, sessionmaker: async_sessionmaker[AsyncSession], swv: Swv
) -> str:
    """An account as the operator creates it: a start password, no second factor yet."""
    naam = f"fg-{uuid.uuid4().hex[:8]}"
    await beheer.maak_gebruiker(
        UnitOfWork(sessionmaker),
        application.api.state.versleuteling,
        swv_id=swv.id,
        gebruikersnaam=naam,
        wachtwoord=WACHTWOORD,
        rol=Rol.FUNCTIONARIS_GEGEVENSBESCHERMING,
    )
    return naam


async def test_only_the_owner_sees_the_second_factor_enrolled_at_first_sign_in(
    jwt_client: AsyncClient,
    jwt_application: Application,
    sessionmaker: async_sessionmaker[AsyncSession],
    swv_a: Swv,
) -> None:
    naam = await _nieuw_account(jwt_application, sessionmaker, swv_a)
    nieuw_wachtwoord = "mijn eigen lange zin voor dit account"
    # Not enrolled yet: a login answers as any wrong login.
    niet_ingericht = await jwt_client.post(
        "/v1/sessies", json={"gebruikersnaam": naam, "wachtwoord": WACHTWOORD, "totpCode": "123456"}
    )
    assert niet_ingericht.status_code == 401
    inschrijving = {"gebruikersnaam": naam, "wachtwoord": WACHTWOORD}
    zwak = await jwt_client.post(
        "/v1/tweede-factoren", json={**inschrijving, "nieuwWachtwoord": "Wachtwoord2026!"}
    )
    assert zwak.status_code == 400
    assert [e["code"] for e in zwak.json()["errors"]] == ["veelgebruikt"]
    assert "Wachtwoord2026!" not in zwak.text
    ingericht = await jwt_client.post(
        "/v1/tweede-factoren", json={**inschrijving, "nieuwWachtwoord": nieuw_wachtwoord}
    )
    assert ingericht.status_code == 201, ingericht.text
    uri = ingericht.json()["totpUri"]
    geheim = parse_qs(urlparse(uri).query)["secret"][0]
    assert geheim == ingericht.json()["totpGeheim"]
    persoon = Persoon(naam, geheim, uuid.uuid4())
    # The start password (known to whoever created the account) no longer works.
    assert (await login(jwt_client, persoon)).status_code == 401
    assert (await login(jwt_client, persoon, wachtwoord=nieuw_wachtwoord)).status_code == 201
    # Enrolled once: nobody can enrol again, not even with the right password.
    opnieuw = await jwt_client.post(
        "/v1/tweede-factoren",
        json={
            "gebruikersnaam": naam,
            "wachtwoord": nieuw_wachtwoord,
            "nieuwWachtwoord": "nog een heel ander wachtwoord",
        },
    )
    assert opnieuw.status_code == 401
    assert "otpauth" not in opnieuw.text


async def test_weak_and_breached_passwords_are_refused_with_every_reason(
    jwt_application: Application, sessionmaker: async_sessionmaker[AsyncSession], swv_a: Swv
) -> None:
    """NIST SP 800-63B §5.1.1.2: minimum length and a blocklist, no composition rules."""
    with pytest.raises(InvalidInput) as fout:
        await beheer.maak_gebruiker(
            UnitOfWork(sessionmaker),
            jwt_application.api.state.versleuteling,
            swv_id=swv_a.id,
            gebruikersnaam="nieuw.account",
            wachtwoord="welkom01",
            rol=Rol.FUNCTIONARIS_GEGEVENSBESCHERMING,
        )
    assert [e.code for e in fout.value.errors] == ["te_kort", "veelgebruikt"]


async def test_logging_out_with_a_system_token_ends_that_token(
    jwt_client: AsyncClient, sessionmaker: async_sessionmaker[AsyncSession], swv_a: Swv
) -> None:
    nieuw = await beheer.maak_client(
        UnitOfWork(sessionmaker),
        swv_id=swv_a.id,
        naam="Digidoor (test)",
        rol=Rol.SCHOOLSYSTEEM,
        scopes=["leerling:registreren"],
        vestigingen=["90AA00"],
    )
    form = {"grant_type": "client_credentials"}
    auth = basic(nieuw.client.client_id, nieuw.geheim)
    eerste = (await jwt_client.post("/v1/tokens", data=form, headers=auth)).json()["access_token"]
    tweede = (await jwt_client.post("/v1/tokens", data=form, headers=auth)).json()["access_token"]
    assert (
        await jwt_client.delete("/v1/sessies/huidig", headers=bearer(eerste))
    ).status_code == 204
    # The revoked token is refused everywhere, logging out again included; another one works.
    assert (await jwt_client.get("/v1/taken", headers=bearer(eerste))).status_code == 401
    assert (
        await jwt_client.delete("/v1/sessies/huidig", headers=bearer(eerste))
    ).status_code == 401
    assert (await jwt_client.get("/v1/taken", headers=bearer(tweede))).status_code != 401


async def test_twenty_failed_logins_for_one_account_do_not_lock_out_another(
    jwt_client: AsyncClient,
    jwt_application: Application,
    sessionmaker: async_sessionmaker[AsyncSession],
    swv_a: Swv,
    regisseur: Persoon,
) -> None:
    """Behind a reverse proxy everyone shares an address: failures count per account."""
    collega = await maak_persoon(jwt_application, sessionmaker, swv_a, Rol.REGISSEUR)
    for n in range(20):
        await login(jwt_client, regisseur, wachtwoord=f"fout-wachtwoord-{n}")
    assert (await login(jwt_client, regisseur)).status_code == 429
    assert (await login(jwt_client, collega)).status_code == 201


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
