"""Events for systems and people: CloudEvents 1.0 documents (NL GOV profile), Standard Webhooks
signatures, the retry schedule, and the rule that a payload holds ids and kinds only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum


class Soort(StrEnum):
    """Event kinds (reverse-DNS `type` in the CloudEvent: `nl.thuiszitters.<soort>`)."""

    CATEGORIE_GEWIJZIGD = "leerling.categorie-gewijzigd"
    THUISZITTER_GESTART = "leerling.thuiszitter-gestart"
    THUISZITTER_BEEINDIGD = "leerling.thuiszitter-beeindigd"
    SIGNAAL_GESTART = "leerling.signaal-gestart"
    MELDING_ONTVANGEN = "melding.ontvangen"
    MELDING_TOEGEWEZEN = "melding.toegewezen"
    MELDING_GEREGISTREERD = "melding.geregistreerd"
    MELDING_CASUS_GEOPEND = "melding.casus-geopend"
    MELDING_AFGESLOTEN = "melding.afgesloten"
    CASUS_GEOPEND = "casus.geopend"
    CASUS_PLAN_OPGESTELD = "casus.plan-opgesteld"
    CASUS_IN_UITVOERING = "casus.in-uitvoering"
    CASUS_GEESCALEERD = "casus.geescaleerd"
    CASUS_DOEL_GEHAALD = "casus.doel-gehaald"
    CASUS_AFGESLOTEN = "casus.afgesloten"
    TLV_AFGEGEVEN = "tlv.afgegeven"
    TLV_CHECK_GEPLAND = "tlv.check-gepland"
    TLV_CHECK_VERVALT = "tlv.check-vervalt"
    TLV_GEPLAATST = "tlv.geplaatst"
    TLV_WACHT_OP_INSTROOM = "tlv.wacht-op-instroom"
    TLV_ONDERWIJS_OUDE_SCHOOL = "tlv.onderwijs-oude-school"
    TLV_GEEN_ONDERWIJS = "tlv.geen-onderwijs"
    TLV_PLAATSINGSDATUM_INGEVOERD = "tlv.plaatsingsdatum-ingevoerd"
    TLV_INGETROKKEN = "tlv.ingetrokken"
    ESCALATIE_GEMELD = "escalatie.gemeld"
    ESCALATIE_OVERLEG = "escalatie.overleg"
    ESCALATIE_AFSPRAAK_GEMAAKT = "escalatie.afspraak-gemaakt"
    ESCALATIE_UITVOERING_GESTART = "escalatie.uitvoering-gestart"
    ESCALATIE_AFSPRAAK_BEOORDEELD = "escalatie.afspraak-beoordeeld"
    ESCALATIE_BESLUIT_GENOMEN = "escalatie.besluit-genomen"
    ESCALATIE_BESLUIT_UITGEVOERD = "escalatie.besluit-uitgevoerd"
    ESCALATIE_AFGESLOTEN = "escalatie.afgesloten"
    ESCALATIE_TERMIJN_VERSTREKEN = "escalatie.termijn-verstreken"
    TAAK_TE_LAAT = "taak.te-laat"
    HERINNERING = "swv.herinnering"


TYPE_PREFIX = "nl.thuiszitters."
SPECVERSION = "1.0"

_TOEGESTAAN = re.compile(r"^[A-Za-z0-9:._\-]{0,80}$")
"""A payload value: an id, a date, a code or a kind (no spaces, no free text)."""


def alleen_kenmerken(data: Mapping[str, object]) -> bool:
    """Whether a payload holds ids, dates and kinds only: never a name, BSN or free text
    (docs/privacy.md: events carry no personal data)."""
    for sleutel, waarde in data.items():
        if not _TOEGESTAAN.match(sleutel):
            return False
        if waarde is None or isinstance(waarde, bool):
            continue
        if isinstance(waarde, int):  # a number could be a BSN: only small counts
            if not -100_000 < waarde < 100_000:
                return False
            continue
        if not isinstance(waarde, str) or not _TOEGESTAAN.match(waarde):
            return False
        if waarde.isdigit() and len(waarde) >= 8:  # digits only, as long as a BSN
            return False
    return True


def cloudevent(
    *,
    id: str,
    soort: str,
    bron: str,
    onderwerp: str,
    tijd: datetime,
    data: Mapping[str, object],
    dataref: str | None = None,
) -> dict[str, object]:
    """A CloudEvents 1.0 structured JSON document (NL GOV profile: `source` a URN of the
    organisation, `subject` the id, `dataref` where the receiver reads the details)."""
    document: dict[str, object] = {
        "specversion": SPECVERSION,
        "type": TYPE_PREFIX + soort,
        "source": bron,
        "id": id,
        "time": tijd.isoformat().replace("+00:00", "Z"),
        "subject": onderwerp,
        "datacontenttype": "application/json",
        "data": dict(data),
    }
    if dataref is not None:
        document["dataref"] = dataref
    return document


def lichaam(document: Mapping[str, object]) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


def _sleutel(geheim: str) -> bytes:
    return base64.b64decode(geheim.removeprefix("whsec_"))


def onderteken(geheim: str, bericht_id: str, tijdstempel: int, body: bytes) -> str:
    """The `webhook-signature` header per Standard Webhooks: `v1,` + base64 HMAC-SHA256 of
    `id.timestamp.body` with the subscription's secret."""
    inhoud = f"{bericht_id}.{tijdstempel}.".encode() + body
    digest = hmac.new(_sleutel(geheim), inhoud, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verifieer(geheim: str, bericht_id: str, tijdstempel: int, body: bytes, kop: str) -> bool:
    """Whether one of the space-separated signatures in `kop` is ours (what a receiver does)."""
    verwacht = onderteken(geheim, bericht_id, tijdstempel, body)
    return any(hmac.compare_digest(verwacht, s) for s in kop.split())


def volgende_poging(pogingen: int, nu: datetime, *, basis: int, maximum: int) -> datetime | None:
    """When to try again after `pogingen` failed attempts: `basis` seconds doubling each time;
    None after `maximum` attempts (dead letter)."""
    if pogingen >= maximum:
        return None
    return nu + timedelta(seconds=basis * 2 ** (pogingen - 1))
