"""Single sign-on through the SWV's OpenID Connect provider, against a real provider on loopback
(discovery + JWKS over HTTP; tokens signed with keys made here): a token mapped to a school role
reads only that school's children; a wrong audience, an expired token, a rotated-out key, an
unmapped user and a missing second factor are refused."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from httpx import ASGITransport, AsyncClient

from app.api.app import Application
from app.db.session import UnitOfWork
from app.domain.toegang import Rol
from app.services import sso
from app.services.errors import InvalidInput
from app.services.sso import Sleutelbron
from tests.api.test_leerlingen import ingeschreven
from tests.builders import FakeAuthenticator, Swv

CLIENT_ID = "thuiszitters-ui"
Sleutel = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


def _jwk(kid: str, sleutel: Sleutel) -> dict[str, Any]:
    if isinstance(sleutel, rsa.RSAPrivateKey):
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(sleutel.public_key()))
        alg = "RS256"
    elif isinstance(sleutel, ec.EllipticCurvePrivateKey):
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(sleutel.public_key()))
        alg = "ES256"
    else:
        jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(sleutel.public_key()))
        alg = "EdDSA"
    return {**jwk, "kid": kid, "alg": alg, "use": "sig"}


class Provider:
    """A tiny OpenID provider: discovery and JWKS over HTTP on 127.0.0.1, keys that rotate."""

    def __init__(self) -> None:
        self.sleutels: dict[str, Sleutel] = {"k1": rsa.generate_private_key(65537, 2048)}
        self.jwks_opgehaald = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/.well-known/openid-configuration":
                    body: dict[str, Any] = {
                        "issuer": provider.uitgever,
                        "jwks_uri": provider.uitgever + "/jwks",
                        "id_token_signing_alg_values_supported": ["RS256", "ES256", "EdDSA"],
                    }
                elif self.path == "/jwks":
                    provider.jwks_opgehaald += 1
                    body = {"keys": [_jwk(k, s) for k, s in provider.sleutels.items()]}
                else:
                    self.send_error(404)
                    return
                inhoud = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(inhoud)))
                self.end_headers()
                self.wfile.write(inhoud)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.uitgever = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def token(self, kid: str = "k1", *, sleutel: Sleutel | None = None, **claims: Any) -> str:
        nu = int(time.time())
        body = {
            "iss": self.uitgever,
            "aud": CLIENT_ID,
            "sub": "persoon-1",
            "iat": nu,
            "exp": nu + 300,
            "amr": ["pwd", "mfa"],
            **claims,
        }
        sleutel = sleutel or self.sleutels[kid]
        alg = _jwk(kid, sleutel)["alg"]
        return jwt.encode(body, sleutel, algorithm=alg, headers={"kid": kid})

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def idp() -> Iterator[Provider]:
    provider = Provider()
    yield provider
    provider.stop()


@pytest.fixture
async def ingesteld(
    jwt_application: Application, uow: UnitOfWork, swv_a: Swv, idp: Provider
) -> Swv:
    """SWV A signs in with the loopback provider; `groups` map to roles."""
    jwt_application.api.state.sleutelbron = Sleutelbron(herhaal_seconden=0)
    beheerder = swv_a.actor(Rol.BEHEERDER)
    await sso.stel_provider_in(
        uow,
        beheerder,
        sso.ProviderInvoer(idp.uitgever, CLIENT_ID, ("RS256", "ES256"), ()),
    )
    for waarde, rol, vestigingen in (
        ("school-0", Rol.SCHOOLMEDEWERKER, ["90AA00"]),
        ("opr", Rol.BESTUUR, []),
    ):
        await sso.maak_koppeling_voor(  # the operator's command (thuiszitters create-rolkoppeling)
            uow,
            swv_a.id,
            claim="groups",
            waarde=waarde,
            rol=rol,
            vestigingen=vestigingen,
            gemeenten=[],
        )
    return swv_a


@pytest.fixture
async def kinderen(client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv) -> list[str]:
    """One child at each of SWV A's two schools (written by the regisseur)."""
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    return [
        (await ingeschreven(client, regisseur, swv_a, schoolId=str(swv_a.scholen[n])))["id"]
        for n in (0, 1)
    ]


async def aanmelden(jwt_client: AsyncClient, id_token: str, **extra: Any) -> Any:
    return await jwt_client.post("/v1/sso-sessies", json={"idToken": id_token, **extra})


def bearer(response: Any) -> dict[str, str]:
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['toegangstoken']}"}


async def test_a_token_mapped_to_a_school_role_reads_only_that_schools_children(
    jwt_client: AsyncClient, ingesteld: Swv, idp: Provider, kinderen: list[str]
) -> None:
    headers = bearer(await aanmelden(jwt_client, idp.token(groups=["school-0"])))
    lijst = await jwt_client.get("/v1/leerlingen", headers=headers)
    assert lijst.status_code == 200, lijst.text
    assert {k["id"] for k in lijst.json()["data"]} == {kinderen[0]}
    assert (
        await jwt_client.get(f"/v1/leerlingen/{kinderen[0]}", headers=headers)
    ).status_code == 200
    assert (
        await jwt_client.get(f"/v1/leerlingen/{kinderen[1]}", headers=headers)
    ).status_code == 404


async def test_signing_in_again_is_the_same_account_with_the_current_mapping(
    jwt_client: AsyncClient, ingesteld: Swv, idp: Provider
) -> None:
    eerste = await aanmelden(jwt_client, idp.token(groups=["school-0"]))
    tweede = await aanmelden(jwt_client, idp.token(groups=["school-0"]))
    assert eerste.status_code == tweede.status_code == 201
    vernieuwd = await jwt_client.post(
        "/v1/sessies/vernieuwingen",
        json={"vernieuwingstoken": tweede.json()["vernieuwingstoken"]},
    )
    assert vernieuwd.status_code == 201


async def test_a_bestuur_user_gets_the_swv_overview_and_404_on_any_child(
    jwt_client: AsyncClient, ingesteld: Swv, idp: Provider, kinderen: list[str]
) -> None:
    """The aggregate role (schoolbesturen, OPR, bestuur) needs no second factor: counts only."""
    headers = bearer(await aanmelden(jwt_client, idp.token(groups=["opr"], amr=["pwd"])))
    overzicht = await jwt_client.get(
        "/v1/rapportages/swv-overzicht", params={"peildatum": "2026-12-01"}, headers=headers
    )
    assert overzicht.status_code == 200, overzicht.text
    assert "pseudoniem" not in overzicht.text
    for kind in kinderen:
        assert (await jwt_client.get(f"/v1/leerlingen/{kind}", headers=headers)).status_code == 404
    lijst = await jwt_client.get("/v1/leerlingen", headers=headers)
    assert lijst.json()["data"] == []


async def test_a_rotated_key_is_fetched_and_a_rotated_out_key_refused(
    jwt_client: AsyncClient, ingesteld: Swv, idp: Provider
) -> None:
    oud = idp.token("k1", groups=["school-0"])
    assert (await aanmelden(jwt_client, oud)).status_code == 201
    opgehaald = idp.jwks_opgehaald
    idp.sleutels = {"k2": ec.generate_private_key(ec.SECP256R1())}
    nieuw = idp.token("k2", groups=["school-0"])
    assert (await aanmelden(jwt_client, nieuw)).status_code == 201
    assert idp.jwks_opgehaald == opgehaald + 1
    refused = await aanmelden(jwt_client, oud)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"


async def test_wrong_audience_expired_and_foreign_issuer_are_refused(
    jwt_client: AsyncClient, ingesteld: Swv, idp: Provider
) -> None:
    nu = int(time.time())
    for token in (
        idp.token(groups=["school-0"], aud="een-andere-client"),
        idp.token(groups=["school-0"], iat=nu - 3600, exp=nu - 1800),
        idp.token(groups=["school-0"], iss="https://idp.elders.example"),
        idp.token(groups=["school-0"], aud=[CLIENT_ID, "ander"], azp="ander"),
        idp.token(groups=["school-0"], nonce="n-1"),
    ):
        response = await aanmelden(jwt_client, token, nonce="n-2")
        assert response.status_code == 401, response.text


async def test_only_the_accepted_asymmetric_algorithms(
    jwt_client: AsyncClient, ingesteld: Swv, idp: Provider
) -> None:
    """Never `none`, never HMAC (also not with the public key as secret); EdDSA only when the
    SWV accepts it (this one accepts RS256 and ES256)."""
    nu = int(time.time())
    claims = {"iss": idp.uitgever, "aud": CLIENT_ID, "sub": "x", "iat": nu, "exp": nu + 60}
    geen = jwt.encode({**claims, "groups": ["school-0"]}, "", algorithm="none")
    hmac = jwt.encode({**claims, "groups": ["school-0"]}, "geheim-" * 6, algorithm="HS256")
    idp.sleutels["k3"] = ed25519.Ed25519PrivateKey.generate()
    eddsa = idp.token("k3", groups=["school-0"])
    for token in (geen, hmac, eddsa, "geen.jwt.token-maar-tekst"):
        assert (await aanmelden(jwt_client, token)).status_code == 401


async def test_an_unmapped_user_and_a_missing_second_factor_are_refused(
    jwt_client: AsyncClient, ingesteld: Swv, idp: Provider
) -> None:
    ongekoppeld = await aanmelden(jwt_client, idp.token(groups=["onbekend"]))
    assert ongekoppeld.status_code == 403
    assert "geen rol" in ongekoppeld.json()["detail"]
    zonder_mfa = await aanmelden(jwt_client, idp.token(groups=["school-0"], amr=["pwd"]))
    assert zonder_mfa.status_code == 403
    assert "twee factoren" in zonder_mfa.json()["detail"]


async def test_no_provider_for_the_issuer_is_refused(
    jwt_client: AsyncClient, swv_a: Swv, idp: Provider
) -> None:
    assert (await aanmelden(jwt_client, idp.token(groups=["school-0"]))).status_code == 401


async def test_an_unreachable_provider_is_refused(
    jwt_client: AsyncClient, ingesteld: Swv, idp: Provider
) -> None:
    token = idp.token(groups=["school-0"])
    idp.stop()
    response = await aanmelden(jwt_client, token)
    assert response.status_code == 401
    assert "niet bereikbaar" in response.json()["detail"]


# -- the beheerder's API ------------------------------------------------------------------------


@pytest.fixture
async def beheer_client(application: Application) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=application, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def test_beheerder_sets_the_provider_and_the_mapping(
    beheer_client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv, swv_b: Swv
) -> None:
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    provider = {
        "uitgever": "https://login.swv-a.example",
        "clientId": CLIENT_ID,
        "algoritmen": ["RS256"],
    }
    r = await beheer_client.post("/v1/identiteitsproviders", json=provider, headers=beheerder)
    assert r.status_code == 201, r.text
    provider_id = r.json()["id"]
    again = await beheer_client.post("/v1/identiteitsproviders", json=provider, headers=beheerder)
    assert again.json()["id"] == provider_id
    lijst = await beheer_client.get("/v1/identiteitsproviders", headers=beheerder)
    assert [p["id"] for p in lijst.json()["data"]] == [provider_id]
    koppeling = {"claim": "groups", "waarde": "g-1", "rol": "bestuur"}
    r = await beheer_client.post("/v1/rolkoppelingen", json=koppeling, headers=beheerder)
    assert r.status_code == 201, r.text
    assert r.json()["rol"] == "bestuur"
    assert (
        await beheer_client.post("/v1/rolkoppelingen", json=koppeling, headers=beheerder)
    ).status_code == 409
    # Another SWV's beheerder sees nothing of it and cannot delete it (404, as missing).
    ander = auth.headers(swv_b.actor(Rol.BEHEERDER))
    assert (await beheer_client.get("/v1/rolkoppelingen", headers=ander)).json()["data"] == []
    weg = await beheer_client.delete(f"/v1/rolkoppelingen/{r.json()['id']}", headers=ander)
    assert weg.status_code == 404
    weg = await beheer_client.delete(f"/v1/identiteitsproviders/{provider_id}", headers=ander)
    assert weg.status_code == 404
    assert (
        await beheer_client.delete(f"/v1/rolkoppelingen/{r.json()['id']}", headers=beheerder)
    ).status_code == 204
    assert (
        await beheer_client.delete(f"/v1/identiteitsproviders/{provider_id}", headers=beheerder)
    ).status_code == 204


async def test_beheer_refusals(
    beheer_client: AsyncClient, auth: FakeAuthenticator, swv_a: Swv
) -> None:
    beheerder = auth.headers(swv_a.actor(Rol.BEHEERDER))
    assert (await beheer_client.get("/v1/rolkoppelingen")).status_code == 401
    regisseur = auth.headers(swv_a.actor(Rol.REGISSEUR))
    assert (await beheer_client.get("/v1/rolkoppelingen", headers=regisseur)).status_code == 403
    slecht = {
        "uitgever": "http://idp.example",
        "clientId": "c",
        "algoritmen": ["HS256", "none"],
    }
    r = await beheer_client.post("/v1/identiteitsproviders", json=slecht, headers=beheerder)
    assert r.status_code == 400
    assert {e["name"] for e in r.json()["errors"]} == {"uitgever", "algoritmen"}
    assert "HS256" not in r.text
    onbekende_rol = {"claim": "groups", "waarde": "x", "rol": "superuser"}
    r = await beheer_client.post("/v1/rolkoppelingen", json=onbekende_rol, headers=beheerder)
    assert r.status_code == 400
    school = {
        "claim": "groups",
        "waarde": "x",
        "rol": "schoolmedewerker",
        "vestigingen": ["90AA00"],
    }
    r = await beheer_client.post("/v1/rolkoppelingen", json=school, headers=beheerder)
    assert r.status_code == 403, "a beheerder never maps a role that reads children"
    assert "create-rolkoppeling" in r.json()["detail"]
    onbekend = f"/v1/rolkoppelingen/{uuid.uuid4()}"
    assert (await beheer_client.delete(onbekend, headers=beheerder)).status_code == 404


async def test_the_operator_maps_child_reading_roles_and_a_new_provider_starts_empty(
    uow: UnitOfWork, swv_a: Swv
) -> None:
    """Separation of duties: the operator maps roles that read children (vestigingen resolved,
    a role's organisation required); replacing the provider drops the mapping it trusted."""
    beheerder = swv_a.actor(Rol.BEHEERDER)
    await sso.stel_provider_in(
        uow, beheerder, sso.ProviderInvoer("https://idp-a.example", CLIENT_ID, ("RS256",), ())
    )
    rij = await sso.maak_koppeling_voor(
        uow, swv_a.id, claim="groups", waarde="s", rol=Rol.KETENPARTNER,
        vestigingen=["90AA00"], gemeenten=[],
    )  # fmt: skip
    assert rij.vestiging_ids == [swv_a.scholen[0]]
    for rol in (Rol.SCHOOLMEDEWERKER, Rol.SCHOOLSYSTEEM):
        with pytest.raises(InvalidInput):
            await sso.maak_koppeling_voor(
                uow, swv_a.id, claim="groups", waarde="t", rol=rol,
                vestigingen=[], gemeenten=[],
            )  # fmt: skip
    await sso.stel_provider_in(
        uow, beheerder, sso.ProviderInvoer("https://idp-a.example", CLIENT_ID, ("ES256",), ())
    )
    assert len(await sso.koppelingen(uow, beheerder)) == 1
    await sso.stel_provider_in(
        uow, beheerder, sso.ProviderInvoer("https://idp-b.example", CLIENT_ID, ("ES256",), ())
    )
    assert await sso.koppelingen(uow, beheerder) == []
