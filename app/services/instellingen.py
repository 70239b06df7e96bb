"""The SWV's own settings: week counting, its thuiszitter profile, thresholds, privacy mode.

A change is guarded by the version (ETag / If-Match) and recomputes the SWV's projections in the
same transaction, so lists never mix two policies.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from app.db.organisaties import SwvRow
from app.db.session import UnitOfWork
from app.domain.identiteit import PrivacyModus
from app.domain.toegang import Actor
from app.services import context, projectie
from app.services.errors import FieldError, InvalidInput, PreconditionFailed


@dataclass(frozen=True, slots=True)
class Wijziging:
    """Only the fields that were sent; None means: leave as it is."""

    beleid: dict[str, Any]
    privacy_modus: PrivacyModus | None = None
    rechtsgrond: str | None = None


async def lees(uow: UnitOfWork, actor: Actor) -> SwvRow:
    async with uow.voor(actor):
        swv = await context.swv_van(uow, actor)
        await uow.commit()
        return swv


async def wijzig(uow: UnitOfWork, actor: Actor, *, versie: int, wijziging: Wijziging) -> SwvRow:
    """Change the settings if `versie` is still current; rebuild the SWV's projections."""
    async with uow.voor(actor):
        swv = await uow.organisaties.swv(uuid.UUID(actor.swv_id), lock=True)
        if swv is None:
            raise PreconditionFailed("Dit samenwerkingsverband bestaat niet meer.")
        if swv.versie != versie:
            raise PreconditionFailed("De instellingen zijn intussen gewijzigd; haal ze opnieuw op.")
        modus = wijziging.privacy_modus or PrivacyModus(swv.privacy_modus)
        rechtsgrond = (
            wijziging.rechtsgrond if wijziging.rechtsgrond is not None else swv.rechtsgrond
        )
        if modus is PrivacyModus.GEIDENTIFICEERD and not rechtsgrond:
            raise InvalidInput(
                [
                    FieldError(
                        "rechtsgrond",
                        "ontbreekt",
                        "Geïdentificeerd werken kan alleen met een vastgelegde rechtsgrond.",
                    )
                ]
            )
        if modus is PrivacyModus.GEPSEUDONIMISEERD and wijziging.beleid.get("bsn_rechtsgrond"):
            raise InvalidInput(
                [
                    FieldError(
                        "bsnRechtsgrond",
                        "niet_toegestaan",
                        "Een rechtsgrond voor het BSN hoort bij geïdentificeerd werken.",
                    )
                ]
            )
        if (
            modus is PrivacyModus.GEPSEUDONIMISEERD
            and swv.privacy_modus == PrivacyModus.GEIDENTIFICEERD
            and await uow.leerlingen.heeft_identiteiten(swv.id)
        ):
            raise InvalidInput(
                [
                    FieldError(
                        "privacyModus",
                        "identiteiten_aanwezig",
                        "Er zijn nog identificerende gegevens vastgelegd.",
                    )
                ]
            )
        nieuw_beleid = {**(swv.beleid or {}), **wijziging.beleid}
        if modus is PrivacyModus.GEPSEUDONIMISEERD:
            nieuw_beleid.pop("bsn_rechtsgrond", None)  # no BSN without identified mode
        try:
            context.peildata_van(SwvRow(beleid=nieuw_beleid))
        except ValueError:
            raise InvalidInput(
                [FieldError("peildata", "ongeldig", "Geen geldige reeks peildata per schooljaar.")]
            ) from None
        swv.privacy_modus = str(modus)
        swv.rechtsgrond = rechtsgrond
        swv.beleid = nieuw_beleid
        swv.versie += 1
        await uow.flush()
        await projectie.herbouw_projecties(uow, swv.id)
        await uow.commit()
        return swv
