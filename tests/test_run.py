"""`thuiszitters run` stops its embedded PostgreSQL on SIGTERM (docker stop, systemd, an IDE's
stop button) as it does on Ctrl-C: no server process of its data directory remains."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from app.db.embedded import _free_port


def postgres_van(data_dir: Path) -> list[int]:
    """Processes whose command line names the data directory (the postmaster does)."""
    gevonden = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            regel = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(data_dir) in regel and "postgres" in regel:
            gevonden.append(int(proc.name))
    return gevonden


def test_sigterm_stops_the_api_and_the_embedded_postgresql() -> None:
    with tempfile.TemporaryDirectory(prefix="thuiszitters-run-") as tmp:
        data_dir = Path(tmp) / "data"
        port = _free_port()
        env = {
            **os.environ,
            "THUISZITTERS_DATA_DIR": str(data_dir),
            "PORT": str(port),
            "THUISZITTERS_DEMO_DATA": "false",
        }
        env.pop("THUISZITTERS_DATABASE_URL", None)
        env.pop("DATABASE_URL", None)
        exe = Path(sys.executable).parent / "thuiszitters"
        proces = subprocess.Popen(
            [str(exe), "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + 180  # a bound, not a measurement
            while True:
                assert proces.poll() is None, proces.stderr.read() if proces.stderr else ""
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health") as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "the API did not start"
                time.sleep(0.3)
            assert postgres_van(data_dir), "the embedded server should be running"
            beside_a_running_make_run(exe, env, data_dir)
            proces.send_signal(signal.SIGTERM)
            assert proces.wait(timeout=120) == 0
        finally:
            if proces.poll() is None:
                proces.kill()
                proces.wait()
        assert postgres_van(data_dir) == []
        assert not (data_dir / "pgdata" / "postmaster.pid").exists()
        assert not (data_dir / "database-url").exists(), "a stopped run leaves no URL behind"


ROL = ("--rol", "regisseur-thuiszitters")


def beside_a_running_make_run(exe: Path, env: dict[str, str], data_dir: Path) -> None:
    """The admin commands find `run`'s database without a URL; `create-user` reads the password
    from stdin or the environment, never from an argument."""
    url_file = data_dir / "database-url"
    assert url_file.stat().st_mode & 0o777 == 0o600
    swv = subprocess.run(
        [str(exe), "create-swv", "--code", "TEST-01", "--naam", "Test-SWV"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert swv.returncode == 0, swv.stderr
    wachtwoord = "een-lang-test-wachtwoord-42"
    for naam, extra, invoer, omgeving in (
        ("test-stdin", ["--wachtwoord-stdin"], wachtwoord + "\n", {}),
        ("test-omgeving", [], None, {"THUISZITTERS_WACHTWOORD": wachtwoord}),
    ):
        gebruiker = subprocess.run(
            [str(exe), "create-user", "--swv", "TEST-01", "--gebruikersnaam", naam, *ROL, *extra],
            env={**env, **omgeving},
            input=invoer,
            capture_output=True,
            text=True,
            check=False,
            stdin=None if invoer is not None else subprocess.DEVNULL,
        )
        assert gebruiker.returncode == 0, gebruiker.stderr
        assert "tweede-factoren" in gebruiker.stdout  # the owner enrols the second factor
        assert wachtwoord not in gebruiker.stdout + gebruiker.stderr
