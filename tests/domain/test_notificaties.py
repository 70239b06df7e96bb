"""Events: CloudEvents 1.0 documents, Standard Webhooks signatures, backoff, and payloads
without personal data (docs/privacy.md)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from app.domain import notificaties as n

GEHEIM = "whsec_" + base64.b64encode(b"k" * 32).decode()


def test_signature_is_standard_webhooks_v1() -> None:
    """`v1,` + base64 HMAC-SHA256 over `id.timestamp.body` with the decoded secret."""
    body = b'{"a":1}'
    verwacht = base64.b64encode(
        hmac.new(b"k" * 32, b"msg_1.1700000000." + body, hashlib.sha256).digest()
    ).decode()
    assert n.onderteken(GEHEIM, "msg_1", 1700000000, body) == "v1," + verwacht
    assert n.verifieer(GEHEIM, "msg_1", 1700000000, body, "v1,xxx v1," + verwacht)
    assert not n.verifieer(GEHEIM, "msg_1", 1700000001, body, "v1," + verwacht)


def test_cloudevent_is_structured_1_0() -> None:
    """A CloudEvents 1.0 document with the required attributes and a dataref."""
    tijd = datetime(2026, 11, 30, 8, tzinfo=UTC)
    doc = n.cloudevent(
        id="e1",
        soort="leerling.thuiszitter-gestart",
        bron="urn:nl:thuiszitters:swv:x",
        onderwerp="k1",
        tijd=tijd,
        data={"leerlingId": "k1"},
        dataref="https://x/v1/leerlingen/k1",
    )
    assert doc["specversion"] == "1.0"
    assert doc["type"] == "nl.thuiszitters.leerling.thuiszitter-gestart"
    assert doc["time"] == "2026-11-30T08:00:00Z"
    assert doc["dataref"] == "https://x/v1/leerlingen/k1"
    zonder = n.cloudevent(
        id="e1", soort="s", bron="b", onderwerp="o", tijd=tijd, data={}, dataref=None
    )
    assert "dataref" not in zonder
    assert n.lichaam(zonder).startswith(b'{"data":{}')


def test_backoff_doubles_then_dead_letter() -> None:
    """Retries wait `basis` seconds, doubling; after the maximum: dead (None)."""
    nu = datetime(2026, 1, 1, tzinfo=UTC)
    wachten = [n.volgende_poging(p, nu, basis=30, maximum=4) for p in (1, 2, 3)]
    assert [w - nu for w in wachten if w] == [timedelta(seconds=s) for s in (30, 60, 120)]
    assert n.volgende_poging(4, nu, basis=30, maximum=4) is None


@pytest.mark.parametrize(
    ("data", "toegestaan"),
    [
        ({"leerlingId": "0b6f3f7e-1a2b-4c3d-9e8f-000000000001", "datum": "2026-11-30"}, True),
        ({"categorie": "B2a", "aantal": 3, "klaar": True, "leeg": None}, True),
        ({"naam": "Jan de Vries"}, False),
        ({"bsn": "123456782"}, False),
        ({"bsn": 123456782}, False),
        ({"tekst": ["lijst"]}, False),
        ({"met spatie": "x"}, False),
    ],
)
def test_payload_holds_ids_and_kinds_only(data: dict[str, object], toegestaan: bool) -> None:
    """Payloads: ids, dates, codes and small counts; never a name, BSN or free text."""
    assert n.alleen_kenmerken(data) is toegestaan
