"""A webhook receiver on loopback (127.0.0.1) for the tests: records every request and answers
with the status it is told to."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Ontvangen:
    pad: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Ontvanger:
    url: str
    ontvangen: list[Ontvangen] = field(default_factory=list)
    antwoorden: list[int] = field(default_factory=list)
    """Statuses to answer, in order; 200 once they run out."""
    vasthouden: threading.Event | None = None
    """When set: the first request waits for this event (a worker that hangs mid-delivery)."""
    binnen: threading.Event = field(default_factory=threading.Event)

    def van(self, pad: str) -> list[Ontvangen]:
        return [o for o in self.ontvangen if o.pad == pad]


@contextmanager
def ontvanger() -> Iterator[Ontvanger]:
    staat = Ontvanger(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            lengte = int(self.headers.get("content-length", "0"))
            body = self.rfile.read(lengte)
            staat.ontvangen.append(
                Ontvangen(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            staat.binnen.set()
            if staat.vasthouden is not None:
                wacht, staat.vasthouden = staat.vasthouden, None
                wacht.wait(10)
            status = staat.antwoorden.pop(0) if staat.antwoorden else 200
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    staat.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield staat
    finally:
        server.shutdown()
        server.server_close()
