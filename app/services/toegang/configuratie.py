"""Keys and token policy from the settings."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.config import Settings
from app.services.toegang.sessies import Tokenbeleid
from app.services.toegang.tokens import Sleutelring, genereer_sleutelpaar, vingerafdruk
from app.services.toegang.versleuteling import Versleuteling


class NietGeconfigureerd(RuntimeError):
    """A key that production needs is missing from the settings."""


def tokenbeleid_uit(settings: Settings) -> Tokenbeleid:
    """The token policy, with the signing key and earlier keys from the settings."""
    if settings.jwt_signing_key is None:
        raise NietGeconfigureerd("THUISZITTERS_JWT_SIGNING_KEY is not set")
    pem = settings.jwt_signing_key.get_secret_value()
    ring = Sleutelring.uit_pem(
        actieve_kid=_kid(pem),
        actieve_sleutel_pem=pem,
        oudere_sleutels_pem={_kid(oud): oud for oud in settings.jwt_previous_keys},
    )
    return Tokenbeleid(
        sleutelring=ring,
        uitgever=settings.jwt_issuer,
        publiek=settings.jwt_audience,
        toegang_seconden=settings.access_token_seconds,
        sessie_uren=settings.session_hours,
    )


def _kid(pem: str) -> str:
    """The key id: the RFC 7638 thumbprint of the (public part of the) key."""
    if "PRIVATE" in pem:
        private = serialization.load_pem_private_key(pem.encode(), password=None)
        public = private.public_key()
    else:
        public = serialization.load_pem_public_key(pem.encode())
    if not isinstance(public, Ed25519PublicKey):
        raise NietGeconfigureerd("signing keys must be Ed25519")
    return vingerafdruk(public)


def versleuteling_uit(settings: Settings) -> Versleuteling:
    if settings.encryption_key is None:
        raise NietGeconfigureerd("THUISZITTERS_ENCRYPTION_KEY is not set")
    return Versleuteling(settings.encryption_key.get_secret_value())


def nieuwe_sleutels() -> tuple[str, str]:
    """A fresh signing key (PEM) and encryption key (base64), for development and tests."""
    return genereer_sleutelpaar().prive_pem, Versleuteling.nieuwe_sleutel()
