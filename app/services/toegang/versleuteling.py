"""Encryption of secrets at rest (TOTP secrets, BSNs): AES-256-GCM with a configured key,
and a keyed hash to find a value without storing it in clear text."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSIE = b"\x01"


class OngeldigeSleutel(ValueError):
    """The configured key is not 32 bytes of base64."""


class Versleuteling:
    """Encrypts with AES-256-GCM (random 96-bit nonce); `context` binds a value to its use."""

    def __init__(self, sleutel_b64: str) -> None:
        try:
            sleutel = base64.b64decode(sleutel_b64, validate=True)
        except (binascii.Error, ValueError):
            raise OngeldigeSleutel("de sleutel is geen base64") from None
        if len(sleutel) != 32:
            raise OngeldigeSleutel("de sleutel moet 32 bytes zijn")
        self._aead = AESGCM(sleutel)
        self._hmac_sleutel = hashlib.sha256(b"thuiszitters-zoekhash" + sleutel).digest()

    @staticmethod
    def nieuwe_sleutel() -> str:
        """A fresh random key, base64 (for configuration)."""
        return base64.b64encode(secrets.token_bytes(32)).decode()

    def versleutel(self, tekst: str, context: str) -> bytes:
        nonce = secrets.token_bytes(12)
        return _VERSIE + nonce + self._aead.encrypt(nonce, tekst.encode(), context.encode())

    def ontsleutel(self, data: bytes, context: str) -> str:
        if data[:1] != _VERSIE:
            raise ValueError("onbekende versie")
        return self._aead.decrypt(data[1:13], data[13:], context.encode()).decode()

    def zoekhash(self, tekst: str, context: str) -> bytes:
        """A keyed hash (HMAC-SHA256): equal values match, the value itself is not stored."""
        return hmac.new(
            self._hmac_sleutel, context.encode() + b"\x00" + tekst.encode(), "sha256"
        ).digest()
