"""Time-based one-time passwords (RFC 6238 on RFC 4226 HOTP), standard library only.

SHA-1, 6 digits and 30-second steps: the only combination every authenticator app supports.
Time comes in as `nu` (unix seconds), so verification is deterministic and testable.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
from typing import Literal
from urllib.parse import quote, urlencode

UITGEVER = "Thuiszitters"
CIJFERS = 6
PERIODE = 30
# One step either side absorbs clock drift and a code typed just as it rolled over.
VENSTER = 1
# RFC 4226 §4 R6 asks for at least 128 bits and recommends 160.
_GEHEIM_BYTES = 20

Hashfunctie = Literal["sha1", "sha256", "sha512"]
_HASHFUNCTIES = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def genereer_geheim() -> str:
    """Return a new random 160-bit TOTP secret, base32 without padding (RFC 4226 §4)."""
    return base64.b32encode(secrets.token_bytes(_GEHEIM_BYTES)).decode("ascii").rstrip("=")


def _decodeer_geheim(geheim: str) -> bytes:
    schoon = geheim.replace(" ", "").upper()
    schoon += "=" * (-len(schoon) % 8)
    try:
        sleutel = base64.b32decode(schoon, casefold=False)
    except (binascii.Error, ValueError):
        # The secret itself must not end up in a log line through the message.
        raise ValueError("ongeldig TOTP-geheim") from None
    if len(sleutel) < 16:
        raise ValueError("TOTP-geheim korter dan 128 bits")
    return sleutel


def hotp(
    sleutel: bytes, teller: int, *, cijfers: int = CIJFERS, hashfunctie: Hashfunctie = "sha1"
) -> str:
    """Return the HOTP value of a counter with dynamic truncation (RFC 4226 §5.3)."""
    if not 0 <= teller < 2**64:
        raise ValueError("teller buiten bereik")
    if not 6 <= cijfers <= 10:
        raise ValueError("aantal cijfers moet 6 tot en met 10 zijn")
    digest = hmac.new(sleutel, struct.pack(">Q", teller), _HASHFUNCTIES[hashfunctie]).digest()
    offset = digest[-1] & 0x0F
    waarde = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(waarde % 10**cijfers).zfill(cijfers)


def stap_op(nu: int, *, periode: int = PERIODE) -> int:
    """Return the RFC 6238 time step T = floor(nu / X) for unix time nu."""
    if nu < 0:
        raise ValueError("tijd voor 1970")
    return nu // periode


def code_op(geheim: str, nu: int, *, cijfers: int = CIJFERS) -> str:
    """Return the TOTP code of a base32 secret at unix time nu (RFC 6238 §4.2)."""
    return hotp(_decodeer_geheim(geheim), stap_op(nu), cijfers=cijfers)


def provisioning_uri(geheim: str, label: str) -> str:
    """Return the otpauth:// URI for an authenticator app; the label is shown as given."""
    _decodeer_geheim(geheim)
    if not label or ":" in label:
        # The colon separates issuer and account in the label (Key Uri Format).
        raise ValueError("label moet gevuld zijn en mag geen dubbele punt bevatten")
    parameters = urlencode(
        {
            "secret": geheim,
            "issuer": UITGEVER,
            "algorithm": "SHA1",
            "digits": CIJFERS,
            "period": PERIODE,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{quote(UITGEVER)}:{quote(label, safe='@')}?{parameters}"


def verifieer(geheim: str, code: str, nu: int, laatst_gebruikte_stap: int | None) -> int | None:
    """Return the time step a 6-digit code matches (±1 step), or None; used steps never match."""
    sleutel = _decodeer_geheim(geheim)
    ingevoerd = code.replace(" ", "")
    # isascii: str.isdigit also accepts other scripts' digits and superscripts.
    if len(ingevoerd) != CIJFERS or not (ingevoerd.isascii() and ingevoerd.isdigit()):
        return None
    huidig = stap_op(nu)
    gevonden: int | None = None
    # Every candidate is computed and compared, so the answer takes the same time whichever
    # step (if any) matches.
    for stap in range(huidig - VENSTER, huidig + VENSTER + 1):
        if stap < 0:
            continue
        klopt = hmac.compare_digest(hotp(sleutel, stap).encode(), ingevoerd.encode())
        # Replay protection (RFC 6238 §5.2): a step at or before the last accepted one is spent.
        nieuw = laatst_gebruikte_stap is None or stap > laatst_gebruikte_stap
        if klopt and nieuw:
            gevonden = stap
    return gevonden
