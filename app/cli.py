"""The `thuiszitters` command: run, serve, migrate, contract export and admin tasks."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pydantic import SecretStr

from app.config import Settings, get_settings
from app.logs import configure_logging

logger = logging.getLogger("thuiszitters.cli")
ROOT = Path(__file__).resolve().parent.parent


def _alembic_config(url: str) -> object:
    from alembic.config import Config

    # In the container the package is installed and alembic.ini sits in the working directory.
    ini = Path.cwd() / "alembic.ini"
    cfg = Config(str(ini if ini.exists() else ROOT / "alembic.ini"))
    cfg.attributes["database_url"] = url
    cfg.attributes["configure_logger"] = False
    return cfg


def migrate(url: str, revision: str = "head") -> None:
    """Bring the database schema to `revision` (default: the newest)."""
    from alembic import command
    from alembic.config import Config

    cfg = _alembic_config(url)
    assert isinstance(cfg, Config)  # noqa: S101
    command.upgrade(cfg, revision)
    logger.info("database migrated", extra={"revision": revision})


def _start_embedded(settings: Settings) -> object:
    from app.db.embedded import EmbeddedPostgres

    pg = EmbeddedPostgres(settings.data_dir, port=settings.pg_port, bindir=settings.pg_bindir)
    pg.start()
    logger.info("embedded PostgreSQL started", extra={"port": pg.port})
    return pg


async def _load_demo(url: str) -> None:
    from app.db.session import Database, UnitOfWork
    from app.services.demo import laad_demodata

    database = Database(url, pool_size=2)
    try:
        await laad_demodata(UnitOfWork(database.sessionmaker))
    finally:
        await database.dispose()


def cmd_run(settings: Settings) -> int:
    """Development: embedded PostgreSQL unless DATABASE_URL, migrate, demo data, serve."""
    import uvicorn

    from app.api.app import create_app
    from app.db.embedded import EmbeddedPostgres

    pg: EmbeddedPostgres | None = None
    try:
        if settings.database_url is None:
            started = _start_embedded(settings)
            assert isinstance(started, EmbeddedPostgres)  # noqa: S101
            pg = started
            url = pg.url()
        else:
            url = settings.database_url.get_secret_value()
        migrate(url)
        if settings.demo_data:
            asyncio.run(_load_demo(url))
        settings = settings.model_copy(update={"database_url": SecretStr(url)})
        print(
            f"\n  Thuiszitters API: http://{settings.host}:{settings.port}/v1/docs"
            f"\n  Contract:         http://{settings.host}:{settings.port}/v1/openapi.json"
            "\n  Stop with Ctrl-C.\n",
            file=sys.stderr,
            flush=True,
        )
        uvicorn.run(
            create_app(settings),
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            server_header=False,
        )
    except KeyboardInterrupt:
        pass
    finally:
        if pg is not None:
            pg.stop()
            logger.info("embedded PostgreSQL stopped")
    return 0


def cmd_serve(settings: Settings) -> int:
    """Production: serve against DATABASE_URL (migrate first with `thuiszitters migrate`)."""
    import uvicorn

    if settings.database_url is None:
        print("DATABASE_URL is not set", file=sys.stderr)
        return 2
    uvicorn.run(
        "app.api.app:create_app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=True,
    )
    return 0


def cmd_migrate(settings: Settings, revision: str) -> int:
    if settings.database_url is None:
        print("DATABASE_URL is not set", file=sys.stderr)
        return 2
    migrate(settings.database_url.get_secret_value(), revision)
    return 0


def cmd_openapi() -> int:
    """Print the contract exactly as committed in openapi/openapi.json."""
    from app.api.app import create_app

    application = create_app(Settings(database_url=None))
    sys.stdout.write(
        json.dumps(application.api.openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    )
    return 0


def cmd_with_temp_db(settings: Settings, command: Sequence[str]) -> int:
    """Run `command` with DATABASE_URL set to a throwaway PostgreSQL, removed afterwards."""
    from app.db.embedded import EmbeddedPostgres

    if not command:
        print("usage: thuiszitters with-temp-db -- COMMAND ...", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="thuiszitters-pg-") as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "data", bindir=settings.pg_bindir)
        try:
            url = pg.start()
            env = {**os.environ, "DATABASE_URL": url}
            return subprocess.run(list(command), env=env, check=False).returncode  # noqa: S603
        finally:
            pg.destroy()


def cmd_demo_data(settings: Settings) -> int:
    if settings.database_url is None:
        print("DATABASE_URL is not set", file=sys.stderr)
        return 2
    asyncio.run(_load_demo(settings.database_url.get_secret_value()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="thuiszitters", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="dev: embedded database, migrations, demo data, API with docs")
    sub.add_parser("serve", help="production: serve the API against DATABASE_URL")
    p_migrate = sub.add_parser("migrate", help="apply database migrations (DATABASE_URL)")
    p_migrate.add_argument("revision", nargs="?", default="head")
    sub.add_parser("openapi", help="print the OpenAPI contract")
    sub.add_parser("demo-data", help="load the synthetic demo data set (DATABASE_URL)")
    p_temp = sub.add_parser("with-temp-db", help="run a command against a throwaway PostgreSQL")
    p_temp.add_argument("cmd", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level)
    if args.command == "run":
        return cmd_run(settings)
    if args.command == "serve":
        return cmd_serve(settings)
    if args.command == "migrate":
        return cmd_migrate(settings, args.revision)
    if args.command == "openapi":
        return cmd_openapi()
    if args.command == "demo-data":
        return cmd_demo_data(settings)
    command = list(args.cmd)
    if command and command[0] == "--":
        command = command[1:]
    return cmd_with_temp_db(settings, command)


if __name__ == "__main__":
    raise SystemExit(main())
