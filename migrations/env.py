"""Alembic environment: async engine on the URL from the settings (DATABASE_URL)."""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from app.config import Settings
from app.db.base import Base
from app.db.models import import_all_models
from app.db.session import async_url

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

import_all_models()
target_metadata = Base.metadata


def _url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return str(url)
    settings = Settings()
    # The migration role owns the tables; the runtime role of DATABASE_URL cannot run DDL.
    url = settings.migration_database_url or settings.database_url
    if url is None:
        raise RuntimeError("MIGRATION_DATABASE_URL (or DATABASE_URL) is not set")
    return url.get_secret_value()


def _eigen(name: str | None, type_: str, parent_names: object) -> bool:
    """The job queue's tables are the library's schema (migration 2026_12_07_taken), not models."""
    return not (type_ == "table" and name is not None and name.startswith("pgqueuer"))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        compare_server_default=True,
        include_name=_eigen,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_async_engine(async_url(_url()))
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported; run against a database")
asyncio.run(_run_online())
