"""Identifying details of a child in an identified SWV: encrypted at rest, shown by role.

Pseudonymous SWVs (the default) refuse them. The BSN is checked with the elfproef, stored
encrypted, found through a keyed hash, and shown in full only to roles with a legal basis for
using it (leerplicht); others that may see identities get it masked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from app.db.leerlingen import LeerlingRow
from app.db.organisaties import SwvRow
from app.domain.identiteit import PrivacyModus, is_geldig_bsn, maskeer_bsn
from app.domain.toegang import Actor, Operatie, mag
from app.services.errors import FieldError
from app.services.toegang.versleuteling import Versleuteling


@dataclass(frozen=True, slots=True)
class Identiteit:
    naam: str | None = None
    geboortedatum: date | None = None
    adres: str | None = None
    bsn: str | None = None


def controleer(
    swv: SwvRow, identiteit: Identiteit | None, geboortejaar: int, geboortemaand: int
) -> list[FieldError]:
    """Problems with submitted identifying details, without repeating them."""
    if identiteit is None:
        return []
    if swv.privacy_modus != PrivacyModus.GEIDENTIFICEERD:
        return [
            FieldError(
                "identiteit",
                "niet_toegestaan",
                "Dit samenwerkingsverband werkt gepseudonimiseerd: geen identificerende gegevens.",
            )
        ]
    fouten = []
    if identiteit.bsn is not None and not is_geldig_bsn(identiteit.bsn):
        fouten.append(FieldError("identiteit.bsn", "elfproef", "Geen geldig BSN (elfproef)."))
    datum = identiteit.geboortedatum
    if datum is not None and (datum.year, datum.month) != (geboortejaar, geboortemaand):
        fouten.append(
            FieldError(
                "identiteit.geboortedatum",
                "strijdig",
                "Past niet bij geboortejaar en geboortemaand.",
            )
        )
    return fouten


def bsn_zoekhash(versleuteling: Versleuteling, swv_id: uuid.UUID, bsn: str) -> bytes:
    return versleuteling.zoekhash(bsn, f"bsn:{swv_id}")


def sla_op(row: LeerlingRow, identiteit: Identiteit | None, versleuteling: Versleuteling) -> None:
    """Encrypt the identifying details into the row (each bound to this child)."""
    if identiteit is None:
        return
    if identiteit.naam is not None:
        row.naam_versleuteld = versleuteling.versleutel(identiteit.naam, f"naam:{row.id}")
    if identiteit.adres is not None:
        row.adres_versleuteld = versleuteling.versleutel(identiteit.adres, f"adres:{row.id}")
    if identiteit.geboortedatum is not None:
        row.geboortedag = identiteit.geboortedatum.day
    if identiteit.bsn is not None:
        row.bsn_versleuteld = versleuteling.versleutel(identiteit.bsn, f"bsn:{row.id}")
        row.bsn_zoekhash = bsn_zoekhash(versleuteling, row.swv_id, identiteit.bsn)


def toon(row: LeerlingRow, actor: Actor, versleuteling: Versleuteling | None) -> Identiteit | None:
    """What this actor may see of the child's identity (field-level visibility per role)."""
    if (
        versleuteling is None
        or not mag(actor, Operatie.IDENTITEIT_INZIEN)
        or row.geanonimiseerd_op is not None
    ):
        return None
    versleuteld = (row.naam_versleuteld, row.bsn_versleuteld, row.adres_versleuteld)
    if all(v is None for v in versleuteld) and row.geboortedag is None:
        return None
    bsn = None
    if row.bsn_versleuteld is not None:
        bsn = versleuteling.ontsleutel(row.bsn_versleuteld, f"bsn:{row.id}")
        if not mag(actor, Operatie.BSN_INZIEN):
            bsn = maskeer_bsn(bsn)
    return Identiteit(
        naam=(
            versleuteling.ontsleutel(row.naam_versleuteld, f"naam:{row.id}")
            if row.naam_versleuteld
            else None
        ),
        geboortedatum=(
            date(row.geboortejaar, row.geboortemaand, row.geboortedag) if row.geboortedag else None
        ),
        adres=(
            versleuteling.ontsleutel(row.adres_versleuteld, f"adres:{row.id}")
            if row.adres_versleuteld
            else None
        ),
        bsn=bsn,
    )
