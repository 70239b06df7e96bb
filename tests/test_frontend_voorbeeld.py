"""The example front-end (examples/frontend) in headless Chromium against the API as `thuiszitters
run` serves it on loopback (embedded PostgreSQL, demo data), from another origin (CORS): it signs
in, lists today's thuiszitters and shows one child's timeline.

Skipped, with the reason, where no Chromium is installed (Debian: `apt-get install chromium`;
CI does not install it: ~300 MB). `THUISZITTERS_CHROMIUM` names another binary.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from app.services.demo import demo_totp_geheim
from app.services.toegang.totp import code_op

VOORBEELD = Path(__file__).resolve().parent.parent / "examples" / "frontend"
CHROMIUM = os.environ.get("THUISZITTERS_CHROMIUM") or next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="geen Chromium geïnstalleerd (apt-get install chromium, of THUISZITTERS_CHROMIUM)",
)
WACHTWOORD = "demo-wachtwoord-thuiszitters"  # the demo users' published password (README)


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Stil(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def pagina() -> Iterator[str]:
    """The example page, served from its own origin."""
    handler = functools.partial(_Stil, directory=str(VOORBEELD))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def api(pagina: str) -> Iterator[str]:
    """`thuiszitters run` on a free loopback port, its own data directory, the page's origin
    allowed; stopped with SIGINT (which also stops its embedded PostgreSQL)."""
    poort = _vrije_poort()
    with tempfile.TemporaryDirectory(prefix="thuiszitters-frontend-") as tmp:
        env = {
            **os.environ,
            "PORT": str(poort),
            "THUISZITTERS_DATA_DIR": tmp,
            "THUISZITTERS_CORS_ORIGINS": json.dumps([pagina]),
            "THUISZITTERS_RUN_WORKER": "false",
            "THUISZITTERS_LOG_LEVEL": "WARNING",
        }
        env.pop("DATABASE_URL", None)
        proces = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "run"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(tmp) / "run.log", "wb"),  # noqa: SIM115 (closed with the process)
            start_new_session=True,
        )
        basis = f"http://127.0.0.1:{poort}"
        try:
            for _ in range(240):
                if proces.poll() is not None:
                    pytest.fail("thuiszitters run stopte: " + (Path(tmp) / "run.log").read_text())
                try:
                    if httpx.get(basis + "/v1/health/ready", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.5)
            else:
                pytest.fail("thuiszitters run werd niet gereed")
            yield basis
        finally:
            proces.send_signal(signal.SIGINT)
            try:
                proces.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proces.kill()
                proces.wait()


@pytest.fixture
def chromium() -> Iterator[str]:
    """Headless Chromium with a fresh profile; yields the DevTools address of a new tab."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="thuiszitters-chromium-") as profiel:
        proces = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profiel}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            bestand = Path(profiel) / "DevToolsActivePort"
            for _ in range(120):
                if bestand.exists() and bestand.read_text().strip():
                    break
                time.sleep(0.25)
            poort = int(bestand.read_text().splitlines()[0])
            tab = httpx.put(f"http://127.0.0.1:{poort}/json/new?about:blank", timeout=10).json()
            yield str(tab["webSocketDebuggerUrl"])
        finally:
            proces.terminate()
            try:
                proces.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proces.kill()
                proces.wait()


class Tab:
    """Just enough of the Chrome DevTools Protocol: navigate and evaluate."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self._ids = itertools.count(1)

    async def stuur(self, methode: str, **params: Any) -> dict[str, Any]:
        nummer = next(self._ids)
        await self._ws.send(json.dumps({"id": nummer, "method": methode, "params": params}))
        while True:
            bericht = json.loads(await self._ws.recv())
            if bericht.get("id") == nummer:
                assert "error" not in bericht, bericht
                return dict(bericht["result"])

    async def waarde(self, expressie: str) -> Any:
        antwoord = await self.stuur("Runtime.evaluate", expression=expressie, returnByValue=True)
        return antwoord["result"].get("value")


async def test_the_example_page_signs_in_and_shows_the_demos_thuiszitters(
    api: str, pagina: str, chromium: str
) -> None:
    async with connect(chromium, max_size=None) as ws:
        tab = Tab(ws)
        await tab.stuur("Page.enable")
        await tab.stuur("Page.navigate", url=f"{pagina}/index.html?api={api}")
        for _ in range(100):
            if await tab.waarde("document.readyState") == "complete":
                break
            await asyncio.sleep(0.1)
        code = code_op(demo_totp_geheim("demo-regisseur"), int(time.time()))
        await tab.waarde(
            f"""
            document.getElementById("gebruikersnaam").value = "demo-regisseur";
            document.getElementById("wachtwoord").value = "{WACHTWOORD}";
            document.getElementById("totpCode").value = "{code}";
            document.getElementById("aanmelden").requestSubmit();
            """
        )
        status = ""
        for _ in range(300):
            status = await tab.waarde("document.getElementById('status').textContent")
            if status.startswith("Aangemeld") or "fout" in (
                await tab.waarde("document.getElementById('status').className") or ""
            ):
                break
            await asyncio.sleep(0.1)
        assert status.startswith("Aangemeld"), status
        rijen = await tab.waarde("document.querySelectorAll('#leerlingen tr').length")
        assert rijen >= 1
        categorieen = await tab.waarde(
            "[...document.querySelectorAll('#leerlingen tr td:nth-child(2)')]"
            ".map(td => td.textContent)"
        )
        assert set(categorieen) <= {"B2a", "B2b", "B3"}
        perioden = await tab.waarde("document.querySelectorAll('#perioden li').length")
        assert perioden >= 1
        assert await tab.waarde("document.getElementById('tijdlijn').hidden") is False
