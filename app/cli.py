"""The `thuiszitters` command: run, serve, migrate, contract export and admin tasks."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import SecretStr, ValidationError

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


PROJECTIE_REVISIES = frozenset({"2026_11_23_register_rijen"})
"""Migrations that add a projection. Applied to a database that already had a schema (and so,
perhaps, children), they are followed by a rebuild of the projections: a migration cannot run
the domain that computes them."""


def migrate(url: str, revision: str = "head") -> None:
    """Bring the database schema to `revision` (default: the newest); when that adds a
    projection to an existing database, compute it (`rebuild-projections`)."""
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(url)
    assert isinstance(cfg, Config)  # noqa: S101
    voor = asyncio.run(_revisie(url))
    command.upgrade(cfg, revision)
    logger.info("database migrated", extra={"revision": revision})
    na = asyncio.run(_revisie(url))
    if voor is None or na is None or na == voor:
        return
    doorlopen = {s.revision for s in ScriptDirectory.from_config(cfg).iterate_revisions(na, voor)}
    if doorlopen & PROJECTIE_REVISIES:
        aantal = asyncio.run(_herbouw_projecties(url))
        logger.info("projections rebuilt for the new migration", extra={"leerlingen": aantal})


async def _revisie(url: str) -> str | None:
    """The database's current migration, or None before the first one."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.ext.asyncio import create_async_engine

    from app.db.session import async_url

    engine = create_async_engine(async_url(url))
    try:
        async with engine.connect() as conn:
            try:
                versie = await conn.scalar(text("SELECT version_num FROM alembic_version"))
            except DBAPIError:  # no alembic_version table: an empty database
                return None
            return None if versie is None else str(versie)
    finally:
        await engine.dispose()


async def _herbouw_projecties(url: str) -> int:
    from app.db.session import Database, UnitOfWork
    from app.services import projectie

    database = Database(url, pool_size=1)
    try:
        return await projectie.herbouw_projecties(UnitOfWork(database.sessionmaker))
    finally:
        await database.dispose()


def _start_embedded(settings: Settings) -> object:
    from app.db.embedded import EmbeddedPostgres

    pg = EmbeddedPostgres(settings.data_dir, port=settings.pg_port, bindir=settings.pg_bindir)
    pg.start()
    logger.info("embedded PostgreSQL started", extra={"port": pg.port})
    return pg


async def _load_demo(url: str, settings: Settings) -> None:
    from app.db.session import Database, UnitOfWork
    from app.services.demo import laad_demodata
    from app.services.toegang.configuratie import versleuteling_uit

    database = Database(url, pool_size=2)
    try:
        await laad_demodata(UnitOfWork(database.sessionmaker), versleuteling_uit(settings))
    finally:
        await database.dispose()


def _dev_keys(settings: Settings) -> Settings:
    """Development only: keys generated once in the data directory (mode 600) when unset."""
    from app.services.toegang.configuratie import nieuwe_sleutels

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    signing, encryption = (
        settings.data_dir / "jwt-signing-key.pem",
        settings.data_dir / "encryption-key",
    )
    if not signing.exists() or not encryption.exists():
        pem, key = nieuwe_sleutels()
        for path, value in ((signing, pem), (encryption, key)):
            if not path.exists():
                path.write_text(value)
                path.chmod(0o600)
    update: dict[str, object] = {}
    if settings.jwt_signing_key is None:
        update["jwt_signing_key"] = SecretStr(signing.read_text())
    if settings.encryption_key is None:
        update["encryption_key"] = SecretStr(encryption.read_text().strip())
    return settings.model_copy(update=update)


RUN_URL = "database-url"
"""The file in the data directory where `run` leaves its embedded database's URL (mode 600)."""


def _run_url_bestand(settings: Settings) -> Path:
    return settings.data_dir / RUN_URL


def _bewaar_run_url(settings: Settings, url: str) -> None:
    """`run` tells the other commands where its embedded database is, for as long as it runs."""
    bestand = _run_url_bestand(settings)
    bestand.parent.mkdir(parents=True, exist_ok=True)
    bestand.touch(mode=0o600, exist_ok=True)
    bestand.chmod(0o600)
    bestand.write_text(url + "\n")


def met_run_database(settings: Settings) -> Settings:
    """`DATABASE_URL` when set; else the database of a running `thuiszitters run` (`make run`)."""
    if settings.database_url is not None:
        return settings
    bestand = _run_url_bestand(settings)
    try:
        url = bestand.read_text().strip()
    except OSError:
        return settings
    if not url:
        return settings
    print(f"database van `thuiszitters run` ({bestand})", file=sys.stderr)
    return settings.model_copy(update={"database_url": SecretStr(url)})


WACHTWOORD_ENV = "THUISZITTERS_WACHTWOORD"
"""`create-user` reads the new user's password from this variable when set (automation)."""


def lees_wachtwoord(via_stdin: bool) -> str:
    """The new password: from stdin (`--wachtwoord-stdin`), the environment, or asked; never
    from an argument (arguments are visible to every user of the machine in `ps`)."""
    if via_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    uit_omgeving = os.environ.get(WACHTWOORD_ENV)
    if uit_omgeving:
        return uit_omgeving
    return getpass.getpass("wachtwoord (min. 12 tekens): ")


def _stop_op_sigterm(signum: int, frame: object) -> None:
    """SIGTERM (docker stop, systemd, an IDE's stop button) ends `run` as Ctrl-C does."""
    raise KeyboardInterrupt


def cmd_run(settings: Settings) -> int:
    """Development: embedded PostgreSQL unless DATABASE_URL, migrate, demo data, serve."""
    import uvicorn

    from app.api.app import create_app
    from app.db.embedded import EmbeddedPostgres

    pg: EmbeddedPostgres | None = None
    worker: subprocess.Popen[bytes] | None = None
    settings = _dev_keys(settings)
    # uvicorn stops gracefully on SIGTERM and then raises it again once its own handlers are
    # gone; with the default action the process would die there, leaving PostgreSQL running.
    vorige = signal.signal(signal.SIGTERM, _stop_op_sigterm)
    try:
        if settings.database_url is None:
            started = _start_embedded(settings)
            assert isinstance(started, EmbeddedPostgres)  # noqa: S101
            pg = started
            url = pg.url()
            migrate(pg.owner_url())
        else:
            url = settings.database_url.get_secret_value()
            migrate(_migratie_url(settings) or url)
        if pg is not None:
            _bewaar_run_url(settings, url)
        if settings.demo_data:
            asyncio.run(_load_demo(url, settings))
        settings = settings.model_copy(update={"database_url": SecretStr(url)})
        if "THUISZITTERS_PUBLIC_URL" not in os.environ:  # links point at this server
            settings = settings.model_copy(
                update={"public_url": f"http://{settings.host}:{settings.port}"}
            )
        if settings.run_worker:
            worker = _start_worker(url, settings.public_url)
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
        try:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
            if pg is not None:
                _run_url_bestand(settings).unlink(missing_ok=True)
                pg.stop()
                logger.info("embedded PostgreSQL stopped")
        finally:
            signal.signal(signal.SIGTERM, vorige)
    return 0


def _start_worker(url: str, public_url: str) -> subprocess.Popen[bytes]:
    """`run`: a worker process beside the API, on the same database (and data directory)."""
    env = {**os.environ, "DATABASE_URL": url, "THUISZITTERS_PUBLIC_URL": public_url}
    return subprocess.Popen([sys.executable, "-m", "app.cli", "worker"], env=env)


def cmd_worker(settings: Settings) -> int:
    """The worker: scheduled jobs, deliveries and e-mail (several may run at once)."""
    import httpx

    from app.db.session import Database, UnitOfWork
    from app.services.notificaties import Bezorging, Smtp
    from app.services.planning import Bezorgers, worker
    from app.services.toegang.configuratie import versleuteling_uit

    if settings.database_url is None:
        print("DATABASE_URL is not set (and no `make run` is running)", file=sys.stderr)
        return 2
    url = settings.database_url.get_secret_value()
    settings = _dev_keys(settings) if settings.encryption_key is None else settings

    async def draai() -> None:
        database = Database(url, pool_size=2)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        bezorging = Bezorging(
            basis_seconden=settings.webhook_backoff_seconds,
            max_pogingen=settings.webhook_max_attempts,
            timeout_seconden=settings.webhook_timeout_seconds,
            publieke_url=settings.public_url,
        )
        smtp = Smtp(
            host=settings.smtp_host,
            port=settings.smtp_port,
            afzender=settings.smtp_sender,
            gebruiker=settings.smtp_user,
            wachtwoord=settings.smtp_password.get_secret_value()
            if settings.smtp_password
            else None,
            starttls=settings.smtp_starttls,
        )
        try:
            async with httpx.AsyncClient(follow_redirects=False) as client:
                bezorgers = Bezorgers(versleuteling_uit(settings), client, bezorging, smtp)
                await worker(
                    make_url_plain(url),
                    lambda: UnitOfWork(database.sessionmaker),
                    bezorgers,
                    interval=settings.worker_interval_seconds,
                    stop=stop,
                )
        finally:
            await database.dispose()

    asyncio.run(draai())
    return 0


def make_url_plain(url: str) -> str:
    """The URL asyncpg itself takes (no SQLAlchemy driver name)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _waarschuw_rechten(url: str) -> None:
    """Warn when DATABASE_URL is not the runtime role (docs/decisions/0038)."""
    from app.db.session import Database

    database = Database(url, pool_size=1)
    try:
        teveel = await database.te_veel_rechten()
    except Exception:  # the server's own start reports an unreachable database
        return
    finally:
        await database.dispose()
    if teveel:
        logger.warning(
            "DATABASE_URL is not the runtime role: it may alter tables or bypass row-level "
            "security; use thuiszitters_app and MIGRATION_DATABASE_URL for the owner",
            extra={"rechten": teveel},
        )


def cmd_serve(settings: Settings) -> int:
    """Production: serve against DATABASE_URL (migrate first with `thuiszitters migrate`)."""
    import uvicorn

    if settings.database_url is None:
        print("DATABASE_URL is not set (and no `make run` is running)", file=sys.stderr)
        return 2
    asyncio.run(_waarschuw_rechten(settings.database_url.get_secret_value()))
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


def _migratie_url(settings: Settings) -> str | None:
    """The migration role's URL (owner of the tables); the runtime role cannot run DDL."""
    url = settings.migration_database_url or settings.database_url
    return url.get_secret_value() if url else None


def cmd_migrate(settings: Settings, revision: str) -> int:
    url = _migratie_url(settings)
    if url is None:
        print("MIGRATION_DATABASE_URL (or DATABASE_URL) is not set", file=sys.stderr)
        return 2
    migrate(url, revision)
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
            env = {**os.environ, "DATABASE_URL": url, "MIGRATION_DATABASE_URL": pg.owner_url()}
            return subprocess.run(list(command), env=env, check=False).returncode  # noqa: S603
        finally:
            pg.destroy()


def cmd_demo_data(settings: Settings) -> int:
    if settings.database_url is None:
        print("DATABASE_URL is not set (and no `make run` is running)", file=sys.stderr)
        return 2
    asyncio.run(_load_demo(settings.database_url.get_secret_value(), _dev_keys(settings)))
    return 0


def _database(settings: Settings) -> object:
    from app.db.session import Database

    if settings.database_url is None:
        raise SystemExit("DATABASE_URL is not set (and no `make run` is running)")
    return Database(settings.database_url.get_secret_value(), pool_size=2)


async def _admin(settings: Settings, args: argparse.Namespace) -> int:
    """The admin commands that need the database."""
    from app.db.session import Database, UnitOfWork
    from app.domain.toegang import Rol
    from app.services import privacy, projectie
    from app.services.demo import synthetisch
    from app.services.errors import ServiceError
    from app.services.toegang import beheer
    from app.services.toegang.configuratie import versleuteling_uit

    database = _database(settings)
    assert isinstance(database, Database)  # noqa: S101
    uow = UnitOfWork(database.sessionmaker)
    try:
        if args.command == "create-swv":
            swv = await beheer.maak_swv(uow, code=args.code, naam=args.naam)
            print(f"swv {swv.code}: {swv.id}")
        elif args.command == "create-user":
            swv_id = await _swv_id(uow, args.swv)
            wachtwoord = lees_wachtwoord(args.wachtwoord_stdin)
            nieuw = await beheer.maak_gebruiker(
                uow,
                versleuteling_uit(settings),
                swv_id=swv_id,
                gebruikersnaam=args.gebruikersnaam,
                wachtwoord=wachtwoord,
                rol=Rol(args.rol),
                vestigingen=args.vestiging,
                gemeenten=args.gemeente,
            )
            print(f"gebruiker {nieuw.gebruiker.gebruikersnaam}: {nieuw.gebruiker.id}")
            print(
                "De gebruiker richt zelf de tweede factor in en kiest een nieuw wachtwoord: "
                "POST /v1/tweede-factoren met dit startwachtwoord."
            )
        elif args.command == "create-rolkoppeling":
            from app.services import sso

            koppeling = await sso.maak_koppeling_voor(
                uow,
                await _swv_id(uow, args.swv),
                claim=args.claim,
                waarde=args.waarde,
                rol=Rol(args.rol),
                vestigingen=args.vestiging,
                gemeenten=args.gemeente,
            )
            print(f"rolkoppeling {koppeling.claim}={koppeling.waarde} -> {koppeling.rol}")
        elif args.command == "create-client":
            swv_id = await _swv_id(uow, args.swv)
            client = await beheer.maak_client(
                uow,
                swv_id=swv_id,
                naam=args.naam,
                rol=Rol(args.rol),
                scopes=args.scope,
                vestigingen=args.vestiging,
                gemeenten=args.gemeente,
            )
            print(f"client_id:     {client.client.client_id}")
            print(f"client_secret: {client.geheim}   (eenmalig getoond)")
        elif args.command == "generate":
            aantal = await synthetisch.laad_synthetische_regio(
                uow,
                swv_code=args.swv,
                aantal=args.children,
                seed=args.seed,
                schooljaar=args.schooljaar,
            )
            print(f"{aantal} synthetische leerlingen geladen in {args.swv}")
        elif args.command == "maintenance":
            aantal = await privacy.anonimiseer_verlopen(uow, bewaarjaren=settings.retention_years)
            print(f"{aantal} leerlingen geanonimiseerd")
            sleutels = await privacy.vergeet_idempotentie(uow)
            print(f"{sleutels} idempotentiesleutels vergeten")
        elif args.command == "rebuild-projections":
            print(f"{await projectie.herbouw_projecties(uow)} leerlingen herberekend")
        elif args.command in {"load-schoolvakanties", "set-schoolvakantie-afwijkingen"}:
            await _schoolvakanties(uow, args)
        elif args.command == "renumber-pseudonyms":
            await _hernummer(uow, args)
    except ServiceError as fout:
        print(f"{fout.detail}", file=sys.stderr)
        for veld in getattr(fout, "errors", []):
            print(f"  {veld.name}: {veld.reason}", file=sys.stderr)
        return 1
    finally:
        await database.dispose()
    return 0


async def _schoolvakanties(uow: object, args: argparse.Namespace) -> None:
    """Load an open-data file, or set a vestiging's days off, as the SWV's beheerder would."""
    from app.db.session import UnitOfWork
    from app.domain.toegang import Actor, Rol
    from app.services import schoolvakanties
    from app.services.errors import FieldError, InvalidInput

    assert isinstance(uow, UnitOfWork)  # noqa: S101
    swv_id = await _swv_id(uow, args.swv)
    actor = Actor(id=f"cli:{args.command}", rol=Rol.BEHEERDER, swv_id=str(swv_id), is_systeem=True)
    if args.command == "load-schoolvakanties":
        data = schoolvakanties.lees_json(args.inhoud)
        for versie in await schoolvakanties.laad_opendata(uow, actor, data):
            print(f"schooljaar {versie.schooljaar}: versie {versie.id} ({versie.geregistreerd_op})")
        return
    async with uow.alle_swvs():
        school_id = await uow.scholen.id_op_code(swv_id, args.vestiging)
    if school_id is None:
        raise SystemExit(f"onbekende vestiging: {args.vestiging}")
    perioden = []
    for nummer, tekst in enumerate(args.periode):
        try:
            eerste, _, laatste = tekst.partition(":")
            perioden.append((date.fromisoformat(eerste), date.fromisoformat(laatste or eerste)))
        except ValueError:
            raise InvalidInput(
                [FieldError(f"periode[{nummer}]", "ongeldig", "Verwacht JJJJ-MM-DD:JJJJ-MM-DD.")]
            ) from None
    versie = await schoolvakanties.zet_afwijkingen(uow, actor, school_id, perioden)
    print(f"vestiging {args.vestiging}: versie {versie.id} ({versie.geregistreerd_op})")


async def _hernummer(uow: object, args: argparse.Namespace) -> None:
    """Renumber pseudonyms from a mapping file (regel 18), as the SWV's secretariaat would."""
    from app.db.session import UnitOfWork
    from app.domain.toegang import Actor, Rol
    from app.services import monitor

    assert isinstance(uow, UnitOfWork)  # noqa: S101
    swv_id = await _swv_id(uow, args.swv)
    actor = Actor(
        id="cli:renumber-pseudonyms", rol=Rol.SECRETARIAAT, swv_id=str(swv_id), is_systeem=True
    )
    paren = monitor.lees_omzetting(args.inhoud)
    for h in await monitor.hernummer_veel(uow, actor, paren):
        print(f"{h.oud} -> {h.nieuw}")


async def _swv_id(uow: object, code: str) -> uuid.UUID:
    from app.db.session import UnitOfWork

    assert isinstance(uow, UnitOfWork)  # noqa: S101
    async with uow.alle_swvs():
        swv = await uow.organisaties.swv_op_code(code)
    if swv is None:
        raise SystemExit(f"onbekend samenwerkingsverband: {code}")
    return swv.id


def cmd_demo_totp(naam: str) -> int:
    """The current TOTP code of a demo user (demo users only: their secrets are public)."""
    from app.services.demo import DEMO_GEBRUIKERS, demo_totp_geheim
    from app.services.toegang.totp import code_op

    if naam not in {n for n, *_ in DEMO_GEBRUIKERS}:
        print("alleen voor de demogebruikers", file=sys.stderr)
        return 2
    print(code_op(demo_totp_geheim(naam), int(time.time())))
    return 0


def cmd_keys() -> int:
    """Print fresh production keys for the environment (store them in a secret manager)."""
    from app.services.toegang.configuratie import nieuwe_sleutels

    pem, key = nieuwe_sleutels()
    print(f"THUISZITTERS_ENCRYPTION_KEY={key}")
    print("THUISZITTERS_JWT_SIGNING_KEY=<<PEM")
    print(pem.strip())
    print("PEM")
    return 0


def configuratiefout(fout: ValidationError) -> str:
    """A configuration error as the operator reads it: the variable, the rule, never the value."""
    regels = ["Ongeldige configuratie:"]
    for e in fout.errors(include_input=False, include_url=False):
        veld = ".".join(str(d) for d in e["loc"])
        naam = (
            veld.upper()
            if veld.upper() in {"DATABASE_URL", "PORT"}
            else f"THUISZITTERS_{veld.upper()}"
        )
        regels.append(f"  {naam}: {e['msg']}{_grenzen(veld)}")
    return "\n".join(regels)


def _grenzen(veld: str) -> str:
    """The documented bounds of a numeric setting, as the operator needs them to fix it."""
    info = Settings.model_fields.get(veld.lower())
    if info is None:
        return ""
    ge = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    le = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    if ge is not None and le is not None:
        return f" (toegestaan: {ge} tot en met {le})"
    return f" (minstens {ge})" if ge is not None else ""


def _rolkoppeling_parser(sub: Any) -> None:
    p_kop = sub.add_parser(
        "create-rolkoppeling",
        help="map a claim of the SWV's OpenID provider (e.g. a group) to a role (single sign-on)",
    )
    p_kop.add_argument("--swv", required=True, help="code of the SWV")
    p_kop.add_argument("--claim", required=True, help="e.g. groups or roles")
    p_kop.add_argument("--waarde", required=True, help="the claim's value, e.g. a group id")
    p_kop.add_argument("--rol", required=True)
    p_kop.add_argument("--vestiging", action="append", default=[], help="BRIN+nummer, herhaalbaar")
    p_kop.add_argument("--gemeente", action="append", default=[], help="GMnnnn, herhaalbaar")


def build_parser() -> argparse.ArgumentParser:
    from app.domain.toegang import Rol

    parser = argparse.ArgumentParser(prog="thuiszitters", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="dev: embedded database, migrations, demo data, API with docs")
    sub.add_parser("serve", help="production: serve the API against DATABASE_URL")
    sub.add_parser("worker", help="scheduled jobs, webhooks and e-mail (DATABASE_URL)")
    p_migrate = sub.add_parser(
        "migrate", help="apply database migrations (MIGRATION_DATABASE_URL, else DATABASE_URL)"
    )
    p_migrate.add_argument("revision", nargs="?", default="head")
    sub.add_parser("openapi", help="print the OpenAPI contract")
    sub.add_parser("demo-data", help="load the synthetic demo data set (DATABASE_URL)")
    p_swv = sub.add_parser("create-swv", help="register a samenwerkingsverband")
    p_swv.add_argument("--code", required=True)
    p_swv.add_argument("--naam", required=True)
    p_user = sub.add_parser("create-user", help="create a user with TOTP enrolment")
    p_user.add_argument("--swv", required=True, help="code of the SWV")
    p_user.add_argument("--gebruikersnaam", required=True)
    p_user.add_argument("--rol", required=True, choices=[r.value for r in Rol])
    p_user.add_argument("--vestiging", action="append", default=[], help="BRIN+nummer, herhaalbaar")
    p_user.add_argument("--gemeente", action="append", default=[], help="GMnnnn, herhaalbaar")
    p_user.add_argument(
        "--wachtwoord-stdin",
        action="store_true",
        help=f"read the password from stdin (or set {WACHTWOORD_ENV}); default: ask",
    )
    _rolkoppeling_parser(sub)
    p_client = sub.add_parser("create-client", help="register an API client (system)")
    p_client.add_argument("--swv", required=True)
    p_client.add_argument("--naam", required=True)
    p_client.add_argument("--rol", required=True, choices=["schoolsysteem", "leerplichtsysteem"])
    p_client.add_argument("--scope", action="append", default=[], required=True)
    p_client.add_argument("--vestiging", action="append", default=[])
    p_client.add_argument("--gemeente", action="append", default=[])
    sub.add_parser("rebuild-projections", help="recompute every timeline from the facts")
    p_vak = sub.add_parser(
        "load-schoolvakanties",
        help="load the Rijksoverheid's schoolvakanties open-data JSON (a new version per year)",
    )
    p_vak.add_argument("bestand", metavar="FILE")
    p_vak.add_argument("--swv", required=True, help="code of the samenwerkingsverband")
    p_afw = sub.add_parser(
        "set-schoolvakantie-afwijkingen",
        help="set a vestiging's own days off (replaces its list, as a new version)",
    )
    p_afw.add_argument("--swv", required=True, help="code of the samenwerkingsverband")
    p_afw.add_argument("--vestiging", required=True, help="BRIN + vestigingsnummer, e.g. 12AB00")
    p_afw.add_argument(
        "--periode", action="append", default=[], help="JJJJ-MM-DD:JJJJ-MM-DD (repeatable)"
    )
    p_her = sub.add_parser(
        "renumber-pseudonyms",
        help="renumber pseudonyms from a file of oud;nieuw lines (old codes stay as aliases)",
    )
    p_her.add_argument("bestand", metavar="FILE")
    p_her.add_argument("--swv", required=True, help="code of the samenwerkingsverband")
    p_gen = sub.add_parser("generate", help="load a synthetic region (fictitious children)")
    p_gen.add_argument("--swv", required=True, help="code of the SWV (created when missing)")
    p_gen.add_argument("--children", type=int, default=1000)
    p_gen.add_argument("--seed", type=int, default=1)
    p_gen.add_argument("--schooljaar", type=int, default=2026, help="end year of the school year")
    sub.add_parser(
        "maintenance", help="daily: anonymise closed records past retention, forget old keys"
    )
    p_totp = sub.add_parser("demo-totp", help="current TOTP code of a demo user")
    p_totp.add_argument("gebruikersnaam")
    sub.add_parser("keys", help="print fresh production keys")
    p_temp = sub.add_parser("with-temp-db", help="run a command against a throwaway PostgreSQL")
    p_temp.add_argument("cmd", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as fout:
        print(configuratiefout(fout), file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    if args.command not in {"run", "openapi", "keys", "demo-totp", "with-temp-db"}:
        settings = met_run_database(settings)
    if args.command == "run":
        return cmd_run(settings)
    if args.command == "serve":
        return cmd_serve(settings)
    if args.command == "worker":
        return cmd_worker(settings)
    if args.command == "migrate":
        return cmd_migrate(settings, args.revision)
    if args.command == "openapi":
        return cmd_openapi()
    if args.command == "demo-data":
        return cmd_demo_data(settings)
    if args.command in {
        "create-swv",
        "create-user",
        "create-rolkoppeling",
        "create-client",
        "rebuild-projections",
        "maintenance",
        "generate",
        "load-schoolvakanties",
        "set-schoolvakantie-afwijkingen",
        "renumber-pseudonyms",
    }:
        if args.command == "create-user":
            settings = _dev_keys(settings) if settings.encryption_key is None else settings
        if args.command == "load-schoolvakanties":
            try:
                args.inhoud = Path(args.bestand).read_bytes()
            except OSError:
                raise SystemExit(f"bestand niet te lezen: {args.bestand}") from None
        if args.command == "renumber-pseudonyms":
            try:
                args.inhoud = Path(args.bestand).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                raise SystemExit(f"bestand niet te lezen: {args.bestand}") from None
        return asyncio.run(_admin(settings, args))
    if args.command == "demo-totp":
        return cmd_demo_totp(args.gebruikersnaam)
    if args.command == "keys":
        return cmd_keys()
    command = list(args.cmd)
    if command and command[0] == "--":
        command = command[1:]
    return cmd_with_temp_db(settings, command)


if __name__ == "__main__":
    raise SystemExit(main())
