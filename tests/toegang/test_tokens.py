"""JWTs: the negative suite (every forged, stale or misdirected token is refused with its reason),
rotation through the key ring, JWKS round trips, and single-byte tampering (hypothesis)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from app.services.toegang.tokens import (
    ALGORITME,
    VERPLICHTE_CLAIMS,
    OngeldigToken,
    Reden,
    Sleutelpaar,
    Sleutelring,
    TokenSoort,
    controleer_token,
    genereer_sleutelpaar,
    jwks,
    maak_token,
)

NU = 1_750_000_000
PUBLIEK = "https://api.swv.example/v1"
UITGEVER = "https://api.swv.example"
KID = "sleutel-2026-01"

OUD: Sleutelpaar = genereer_sleutelpaar()
NIEUW: Sleutelpaar = genereer_sleutelpaar()
VREEMD: Sleutelpaar = genereer_sleutelpaar()

RING = Sleutelring.uit_pem(actieve_kid=KID, actieve_sleutel_pem=OUD.prive_pem)


def _token(
    ring: Sleutelring = RING,
    *,
    typ: str = TokenSoort.TOEGANG,
    nu: int = NU,
    geldig_seconden: int = 300,
    extra_claims: Mapping[str, Any] | None = None,
) -> str:
    return maak_token(
        ring,
        onderwerp="gebruiker-17",
        typ=typ,
        publiek=PUBLIEK,
        uitgever=UITGEVER,
        geldig_seconden=geldig_seconden,
        nu=nu,
        extra_claims=extra_claims,
    )


def _controleer(
    token: str,
    ring: Sleutelring = RING,
    *,
    typ: str = TokenSoort.TOEGANG,
    publiek: str = PUBLIEK,
    uitgever: str = UITGEVER,
    nu: int = NU,
    speling_seconden: int = 30,
) -> dict[str, Any]:
    return controleer_token(
        ring,
        token,
        typ=typ,
        publiek=publiek,
        uitgever=uitgever,
        nu=nu,
        speling_seconden=speling_seconden,
    )


def _geweigerd(reden: Reden, token: str, **kwargs: Any) -> None:
    with pytest.raises(OngeldigToken) as fout:
        _controleer(token, **kwargs)
    assert fout.value.reden is reden
    # Only the reason code: no token, header or claim ends up in a message or traceback.
    assert str(fout.value) == reden.value
    assert fout.value.__cause__ is None
    assert fout.value.__suppress_context__ or fout.value.__context__ is None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _json(waarde: Mapping[str, Any]) -> str:
    return _b64(json.dumps(waarde, separators=(",", ":")).encode())


def _claims(**wijzigingen: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": UITGEVER,
        "sub": "gebruiker-17",
        "aud": PUBLIEK,
        "iat": NU,
        "nbf": NU,
        "exp": NU + 300,
        "jti": "uniek-1",
    }
    claims.update(wijzigingen)
    return {k: v for k, v in claims.items() if v is not None}


def _ondertekend(
    claims: Mapping[str, Any],
    *,
    sleutel_pem: str = OUD.prive_pem,
    header: Mapping[str, Any] | None = None,
) -> str:
    """Sign any claims and header with an Ed25519 key, bypassing maak_token's and PyJWT's rules."""
    kop = {"alg": ALGORITME, **({"kid": KID, "typ": "at+jwt"} if header is None else header)}
    kop = {k: v for k, v in kop.items() if v is not None}
    sleutel = serialization.load_pem_private_key(sleutel_pem.encode(), password=None)
    assert isinstance(sleutel, Ed25519PrivateKey)
    ondertekend = f"{_json(kop)}.{_json(claims)}"
    return f"{ondertekend}.{_b64(sleutel.sign(ondertekend.encode()))}"


# --- positive ---------------------------------------------------------------------------------


def test_valid_token_is_accepted_with_all_claims() -> None:
    token = _token(extra_claims={"client_id": "portaal", "rol": "regisseur"})
    claims = _controleer(token)
    assert claims["sub"] == "gebruiker-17"
    assert claims["iss"] == UITGEVER
    assert claims["aud"] == PUBLIEK
    assert (claims["iat"], claims["nbf"], claims["exp"]) == (NU, NU, NU + 300)
    assert isinstance(claims["jti"], str)
    assert len(claims["jti"]) >= 20
    assert (claims["client_id"], claims["rol"]) == ("portaal", "regisseur")
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": KID, "typ": "at+jwt"}


def test_every_token_gets_its_own_jti() -> None:
    assert _controleer(_token())["jti"] != _controleer(_token())["jti"]


def test_token_of_an_older_key_still_in_the_ring_is_accepted_after_rotation() -> None:
    oud_token = _token()
    geroteerd = Sleutelring.uit_pem(
        actieve_kid="sleutel-2026-02",
        actieve_sleutel_pem=NIEUW.prive_pem,
        oudere_sleutels_pem={KID: OUD.publieke_pem},
    )
    assert _controleer(oud_token, geroteerd)["sub"] == "gebruiker-17"
    nieuw_token = _token(geroteerd)
    assert jwt.get_unverified_header(nieuw_token)["kid"] == "sleutel-2026-02"
    assert _controleer(nieuw_token, geroteerd)["sub"] == "gebruiker-17"
    # A server that has not rotated yet does not know the new key.
    _geweigerd(Reden.ONBEKENDE_SLEUTEL, nieuw_token, ring=RING)


def test_times_come_from_nu_not_the_wall_clock() -> None:
    # Issued and checked in 2001: a wall-clock check would call it long expired.
    assert _controleer(_token(nu=1_000_000_000), nu=1_000_000_100)["iat"] == 1_000_000_000
    # Issued in 2200 and checked then: a wall-clock check would call it not yet valid.
    assert _controleer(_token(nu=7_258_118_400), nu=7_258_118_400)["iat"] == 7_258_118_400


def test_speling_absorbs_clock_skew_at_both_ends() -> None:
    token = _token(geldig_seconden=300)
    assert _controleer(token, nu=NU + 300 + 29)
    _geweigerd(Reden.VERLOPEN, token, nu=NU + 300 + 30)
    assert _controleer(token, nu=NU - 30)
    _geweigerd(Reden.NOG_NIET_GELDIG, token, nu=NU - 31)


def test_without_speling_a_token_expires_at_exp() -> None:
    token = _token(geldig_seconden=300)
    assert _controleer(token, nu=NU + 299, speling_seconden=0)
    _geweigerd(Reden.VERLOPEN, token, nu=NU + 300, speling_seconden=0)


def test_typ_is_compared_as_a_media_type() -> None:
    # RFC 9068 §4: "at+jwt" and "application/at+jwt" are the same type.
    token = _ondertekend(_claims(), header={"kid": KID, "typ": "application/AT+JWT"})
    assert _controleer(token)["sub"] == "gebruiker-17"


def test_audience_list_containing_ours_is_accepted() -> None:
    token = _ondertekend(_claims(aud=["https://ander.example", PUBLIEK]))
    assert _controleer(token)["sub"] == "gebruiker-17"


# --- the negative suite -----------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none_unsigned_token_is_refused(alg: str) -> None:
    kop = _json({"alg": alg, "kid": KID, "typ": "at+jwt"})
    _geweigerd(Reden.ALGORITME, f"{kop}.{_json(_claims())}.")


def test_alg_none_with_a_copied_valid_signature_is_refused() -> None:
    echte_handtekening = _token().rsplit(".", 1)[1]
    kop = _json({"alg": "none", "kid": KID, "typ": "at+jwt"})
    _geweigerd(Reden.ALGORITME, f"{kop}.{_json(_claims())}.{echte_handtekening}")


def test_wrong_key_with_the_same_kid_is_refused() -> None:
    _geweigerd(Reden.HANDTEKENING, _ondertekend(_claims(), sleutel_pem=VREEMD.prive_pem))


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_signed_with_the_public_key_as_secret_is_refused(alg: str) -> None:
    # The classic confusion: a verifier that lets the header pick the algorithm would check
    # this HMAC with the public key bytes it holds, which the attacker also holds.
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    ondertekend = f"{_json({'alg': alg, 'kid': KID, 'typ': 'at+jwt'})}.{_json(_claims())}"
    for geheim in (OUD.publieke_pem.encode(), OUD.publieke_pem.strip().encode()):
        handtekening = _b64(hmac.new(geheim, ondertekend.encode(), digest).digest())
        _geweigerd(Reden.ALGORITME, f"{ondertekend}.{handtekening}")


@pytest.mark.parametrize("alg", ["RS256", "ES256", "PS256", "Ed25519", "eddsa"])
def test_any_other_algorithm_is_refused(alg: str) -> None:
    token = _token()
    kop, rest = token.split(".", 1)
    header = json.loads(base64.urlsafe_b64decode(kop + "=" * (-len(kop) % 4)))
    _geweigerd(Reden.ALGORITME, f"{_json({**header, 'alg': alg})}.{rest}")


def test_unknown_kid_is_refused() -> None:
    _geweigerd(Reden.ONBEKENDE_SLEUTEL, _ondertekend(_claims(), header={"kid": "onbekend"}))


def test_missing_kid_is_refused() -> None:
    _geweigerd(Reden.GEEN_SLEUTEL_ID, _ondertekend(_claims(), header={"typ": "at+jwt"}))


@pytest.mark.parametrize("kid", [17, ["sleutel-2026-01"], {"kid": KID}, ""])
def test_malformed_kid_is_refused(kid: object) -> None:
    with pytest.raises(OngeldigToken) as fout:
        _controleer(_ondertekend(_claims(), header={"kid": kid, "typ": "at+jwt"}))
    # PyJWT already refuses a non-string kid while parsing; either way it is never looked up.
    assert fout.value.reden in {Reden.GEEN_SLEUTEL_ID, Reden.ONLEESBAAR, Reden.ONBEKENDE_SLEUTEL}


def test_expired_token_is_refused() -> None:
    _geweigerd(Reden.VERLOPEN, _token(geldig_seconden=300), nu=NU + 3600)


def test_nbf_in_the_future_is_refused() -> None:
    _geweigerd(Reden.NOG_NIET_GELDIG, _ondertekend(_claims(nbf=NU + 120)))


def test_iat_in_the_future_is_refused() -> None:
    _geweigerd(Reden.NOG_NIET_GELDIG, _ondertekend(_claims(iat=NU + 120)))


def test_wrong_audience_is_refused() -> None:
    _geweigerd(Reden.VERKEERD_PUBLIEK, _token(), publiek="https://ander-swv.example/v1")
    _geweigerd(Reden.CLAIM_ONTBREEKT, _ondertekend(_claims(aud=[])))
    _geweigerd(Reden.VERKEERD_PUBLIEK, _ondertekend(_claims(aud=PUBLIEK + "/")))


def test_wrong_issuer_is_refused() -> None:
    _geweigerd(Reden.VERKEERDE_UITGEVER, _token(), uitgever="https://api.swv.example.evil")
    # No substring or container match (the PyJWT 2.10.0 issuer bug).
    _geweigerd(Reden.VERKEERDE_UITGEVER, _ondertekend(_claims(iss="api.swv")))
    _geweigerd(Reden.VERKEERDE_UITGEVER, _ondertekend(_claims(iss=[UITGEVER])))


def test_wrong_typ_is_refused() -> None:
    # A refresh token or a half-finished login must never pass as an access token.
    _geweigerd(Reden.VERKEERD_TYPE, _token(typ=TokenSoort.VERNIEUWING))
    _geweigerd(Reden.VERKEERD_TYPE, _token(typ=TokenSoort.TWEEDE_FACTOR))
    _geweigerd(Reden.VERKEERD_TYPE, _token(), typ=TokenSoort.VERNIEUWING)
    _geweigerd(Reden.VERKEERD_TYPE, _ondertekend(_claims(), header={"kid": KID, "typ": "JWT"}))


def test_missing_typ_is_refused() -> None:
    _geweigerd(Reden.VERKEERD_TYPE, _ondertekend(_claims(), header={"kid": KID, "typ": None}))


def test_missing_exp_is_refused() -> None:
    _geweigerd(Reden.CLAIM_ONTBREEKT, _ondertekend(_claims(exp=None)))


@pytest.mark.parametrize("claim", VERPLICHTE_CLAIMS)
def test_every_required_claim_is_required(claim: str) -> None:
    claims = _claims()
    del claims[claim]
    _geweigerd(Reden.CLAIM_ONTBREEKT, _ondertekend(claims))


@pytest.mark.parametrize(
    "claims",
    [
        _claims(exp=True),
        _claims(exp="1750000300"),
        _claims(nbf=[NU]),
        _claims(iat={"t": NU}),
        _claims(sub=17),
        _claims(sub=""),
        _claims(jti=17),
        _claims(jti=""),
    ],
)
def test_malformed_claims_are_refused(claims: dict[str, Any]) -> None:
    _geweigerd(Reden.CLAIM_ONGELDIG, _ondertekend(claims))


def test_tampered_payload_is_refused() -> None:
    kop, _, handtekening = _token().split(".")
    vervalst = _json(_claims(sub="beheerder-1"))
    _geweigerd(Reden.HANDTEKENING, f"{kop}.{vervalst}.{handtekening}")


def test_tampered_header_is_refused() -> None:
    _, payload, handtekening = _token().split(".")
    kop = _json({"alg": "EdDSA", "kid": KID, "typ": "at+jwt", "x": 1})
    _geweigerd(Reden.HANDTEKENING, f"{kop}.{payload}.{handtekening}")


@pytest.mark.parametrize("weg", [4, 86])
def test_truncated_signature_is_refused(weg: int) -> None:
    with pytest.raises(OngeldigToken) as fout:
        _controleer(_token()[:-weg])
    assert fout.value.reden in {Reden.HANDTEKENING, Reden.ONLEESBAAR}


def test_token_of_a_rotated_out_key_is_refused() -> None:
    oud_token = _token()
    zonder_oud = Sleutelring.uit_pem(
        actieve_kid="sleutel-2026-02", actieve_sleutel_pem=NIEUW.prive_pem
    )
    _geweigerd(Reden.ONBEKENDE_SLEUTEL, oud_token, ring=zonder_oud)


def test_critical_header_extensions_are_refused() -> None:
    # The one extension PyJWT knows (RFC 7797 unencoded payload) is refused by us...
    kop = {"kid": KID, "typ": "at+jwt", "crit": ["b64"], "b64": True}
    _geweigerd(Reden.KRITIEKE_HEADER, _ondertekend(_claims(), header=kop))
    # ...and any other one already by PyJWT while parsing.
    kop = {"kid": KID, "typ": "at+jwt", "crit": ["exp"], "exp": NU}
    _geweigerd(Reden.ONLEESBAAR, _ondertekend(_claims(), header=kop))


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "....",
        "eyJhbGciOiJFZERTQSJ9..",
        "eyJhbGciOiJFZERTQSJ9.e30=.AAAA",
        "e30.e30.AAAA",
        "bm90IGpzb24.e30.AAAA",
        "WzFd.e30.AAAA",
        "tok\u00e9n.e30.AAAA",
    ],
)
def test_garbage_is_refused_as_unreadable(token: str) -> None:
    reden = Reden.ALGORITME if token.startswith("e30.") else Reden.ONLEESBAAR
    _geweigerd(reden, token)


def test_payload_that_is_not_an_object_is_refused() -> None:
    kop = _json({"alg": "EdDSA", "kid": KID, "typ": "at+jwt"})
    payload = _b64(b"[1,2]")
    handtekening = _b64(
        Ed25519PrivateKey.generate().sign(f"{kop}.{payload}".encode())
    )  # wrong key as well; the format is checked at the latest with the signature
    with pytest.raises(OngeldigToken):
        _controleer(f"{kop}.{payload}.{handtekening}")


def test_padded_segments_are_refused() -> None:
    kop, payload, handtekening = _token().split(".")
    _geweigerd(Reden.ONLEESBAAR, f"{kop}.{payload}.{handtekening}==")


def test_oversized_token_is_refused_before_parsing() -> None:
    _geweigerd(Reden.TE_GROOT, _token(extra_claims={"opvulling": "x" * 9000}))


def test_reason_never_contains_the_token() -> None:
    token = _token()
    with pytest.raises(OngeldigToken) as fout:
        _controleer(token, publiek="https://ander.example")
    for deel in token.split("."):
        assert deel not in repr(fout.value)


# --- making tokens and rings ------------------------------------------------------------------


@pytest.mark.parametrize("claim", VERPLICHTE_CLAIMS)
def test_extra_claims_cannot_override_registered_claims(claim: str) -> None:
    with pytest.raises(ValueError, match=claim):
        _token(extra_claims={claim: "anders"})


def test_verification_only_ring_cannot_sign() -> None:
    alleen_publiek = Sleutelring.uit_pem(
        actieve_kid=None, actieve_sleutel_pem=None, oudere_sleutels_pem={KID: OUD.publieke_pem}
    )
    with pytest.raises(ValueError, match="verifi"):
        _token(alleen_publiek)
    assert _controleer(_token(), alleen_publiek)["sub"] == "gebruiker-17"


def test_token_parameters_are_validated() -> None:
    with pytest.raises(ValueError, match="positief"):
        _token(geldig_seconden=0)
    with pytest.raises(ValueError, match="verplicht"):
        _token(typ="")
    with pytest.raises(ValueError, match="speling"):
        _controleer(_token(), speling_seconden=-1)
    with pytest.raises(ValueError, match="verplicht"):
        _controleer(_token(), typ="")
    with pytest.raises(ValueError, match="verplicht"):
        _controleer(_token(), publiek="")
    with pytest.raises(ValueError, match="verplicht"):
        _controleer(_token(), uitgever="")


def test_older_keys_may_be_given_as_private_pem_and_are_reduced_to_public() -> None:
    ring = Sleutelring.uit_pem(
        actieve_kid="nieuw",
        actieve_sleutel_pem=NIEUW.prive_pem,
        oudere_sleutels_pem={KID: OUD.prive_pem},
    )
    assert _controleer(_token(), ring)
    assert ring.kids == {"nieuw", KID}
    assert ring.actieve_kid == "nieuw"


def test_ring_refuses_non_ed25519_and_unreadable_keys_without_echoing_them() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(ValueError, match="Ed25519") as fout:
        Sleutelring.uit_pem(actieve_kid="ec", actieve_sleutel_pem=ec_pem)
    assert ec_pem[40:80] not in str(fout.value)
    with pytest.raises(ValueError, match="Ed25519"):
        Sleutelring.uit_pem(
            actieve_kid=None, actieve_sleutel_pem=None, oudere_sleutels_pem={"ec": ec_pem}
        )
    kapot = OUD.prive_pem.replace("A", "B", 3)[:60]
    with pytest.raises(ValueError, match="leesbare") as fout:
        Sleutelring.uit_pem(actieve_kid="x", actieve_sleutel_pem=kapot)
    assert kapot not in str(fout.value)


def test_ring_refuses_two_keys_under_one_kid_and_bad_kids() -> None:
    with pytest.raises(ValueError, match="dezelfde kid"):
        Sleutelring.uit_pem(
            actieve_kid=KID,
            actieve_sleutel_pem=NIEUW.prive_pem,
            oudere_sleutels_pem={KID: OUD.publieke_pem},
        )
    for kid in ("", "met spatie", "x" * 129, "ü"):
        with pytest.raises(ValueError, match="kid"):
            Sleutelring.uit_pem(actieve_kid=kid, actieve_sleutel_pem=OUD.prive_pem)
    with pytest.raises(ValueError, match="horen bij elkaar"):
        Sleutelring.uit_pem(actieve_kid=KID, actieve_sleutel_pem=None)
    with pytest.raises(ValueError, match="minstens"):
        Sleutelring({})


def test_generated_key_pair_has_a_thumbprint_kid_and_hides_its_secret() -> None:
    paar = genereer_sleutelpaar()
    assert paar.prive_pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert paar.publieke_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert len(paar.kid) == 43  # base64url of SHA-256
    assert paar.prive_pem not in repr(paar)
    assert "PRIVATE" not in repr(RING)


def test_rfc8037_thumbprint() -> None:
    # RFC 8037 Appendix A.3: the thumbprint of the example Ed25519 public key.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from app.services.toegang.tokens import vingerafdruk

    x = base64.urlsafe_b64decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
    sleutel = Ed25519PublicKey.from_public_bytes(x)
    assert vingerafdruk(sleutel) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


# --- JWKS -------------------------------------------------------------------------------------


def test_jwks_publishes_public_keys_only_active_first() -> None:
    ring = Sleutelring.uit_pem(
        actieve_kid="z-nieuw",
        actieve_sleutel_pem=NIEUW.prive_pem,
        oudere_sleutels_pem={"a-oud": OUD.publieke_pem},
    )
    sleutels = jwks(ring)["keys"]
    assert [s["kid"] for s in sleutels] == ["z-nieuw", "a-oud"]
    for sleutel in sleutels:
        assert set(sleutel) == {"kty", "crv", "x", "kid", "use", "alg"}
        assert (sleutel["kty"], sleutel["crv"], sleutel["alg"]) == ("OKP", "Ed25519", "EdDSA")


def test_jwks_round_trip_verifies_with_the_same_checks() -> None:
    extern = Sleutelring.uit_jwks(jwks(RING))
    assert extern.actieve_kid is None
    assert _controleer(_token(), extern)["sub"] == "gebruiker-17"
    _geweigerd(Reden.VERKEERD_PUBLIEK, _token(), ring=extern, publiek="https://x.example")
    _geweigerd(
        Reden.HANDTEKENING, _ondertekend(_claims(), sleutel_pem=VREEMD.prive_pem), ring=extern
    )


def test_jwks_is_readable_by_pyjwt_as_well() -> None:
    # Interoperability: what we publish is a JWK Set other libraries understand.
    sleutel = jwt.PyJWKSet.from_dict(jwks(RING))[KID]
    assert jwt.decode(
        _token(),
        sleutel,
        algorithms=[ALGORITME],
        audience=PUBLIEK,
        options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
    )


def test_jwks_skips_keys_for_other_algorithms_and_uses() -> None:
    eigen = jwks(RING)["keys"][0]
    verzameling = {
        "keys": [
            {"kty": "RSA", "kid": "rsa", "n": "AQAB", "e": "AQAB", "alg": "RS256"},
            {**eigen, "kid": "enc", "use": "enc"},
            {**eigen, "kid": "es", "alg": "ES256"},
            {**eigen, "kid": "x25519", "crv": "X25519"},
            {**eigen, "kid": "alleen-tekenen", "key_ops": ["sign"]},
            {**eigen, "kid": "ops-tekst", "key_ops": "verify"},
            {k: v for k, v in eigen.items() if k != "kid"},
            {k: v for k, v in eigen.items() if k not in ("alg", "use")},
        ]
    }
    assert Sleutelring.uit_jwks(verzameling).kids == {KID}


@pytest.mark.parametrize(
    ("verzameling", "melding"),
    [
        ({}, "keys"),
        ({"keys": "geen lijst"}, "keys"),
        ({"keys": []}, "geen bruikbare"),
        ({"keys": ["tekst"]}, "geen object"),
        ({"keys": [{"kty": "RSA", "kid": "rsa"}]}, "geen bruikbare"),
        ({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k"}]}, "zonder x"),
        ({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k", "x": "AAAA"}]}, "ongeldige x"),
        ({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k", "x": "!!"}]}, "ongeldige x"),
    ],
)
def test_jwks_refuses_malformed_sets(verzameling: dict[str, Any], melding: str) -> None:
    with pytest.raises(ValueError, match=melding):
        Sleutelring.uit_jwks(verzameling)


def test_jwks_refuses_duplicate_kids_and_published_private_keys() -> None:
    eigen = jwks(RING)["keys"][0]
    with pytest.raises(ValueError, match="twee keer"):
        Sleutelring.uit_jwks({"keys": [eigen, eigen]})
    with pytest.raises(ValueError, match="privésleutel"):
        Sleutelring.uit_jwks({"keys": [{**eigen, "d": "geheim"}]})


def test_jwks_refuses_non_canonical_x() -> None:
    eigen = jwks(RING)["keys"][0]
    x: str = eigen["x"]
    # 32 bytes use 43 characters, the last carrying 2 unused bits; flipping them keeps the
    # bytes but makes a second spelling of the same key.
    alfabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    ander = alfabet[alfabet.index(x[-1]) ^ 1]
    with pytest.raises(ValueError, match="ongeldige x"):
        Sleutelring.uit_jwks({"keys": [{**eigen, "x": x[:-1] + ander}]})


# --- tampering, exhaustively ------------------------------------------------------------------

GELDIG = _token()


@given(
    positie=st.integers(min_value=0, max_value=len(GELDIG) - 1),
    teken=st.characters(codec="utf-8"),
)
def test_any_single_character_change_is_refused(positie: int, teken: str) -> None:
    if teken == GELDIG[positie]:
        teken = "A" if GELDIG[positie] != "A" else "B"
    vervalst = GELDIG[:positie] + teken + GELDIG[positie + 1 :]
    with pytest.raises(OngeldigToken):
        _controleer(vervalst)


def test_every_single_character_change_in_the_signature_alphabet_is_refused() -> None:
    # Exhaustive over the base64url alphabet and "." at every position: this covers the
    # non-canonical last character of each segment, which decodes to the same bytes.
    alfabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
    for positie, origineel in enumerate(GELDIG):
        for teken in alfabet:
            if teken == origineel:
                continue
            vervalst = GELDIG[:positie] + teken + GELDIG[positie + 1 :]
            with pytest.raises(OngeldigToken):
                _controleer(vervalst)
