"""The quarterly Inspectie report, the SWV's overview, and submissions (indienen).

The register as known now on a peildatum of the SWV is read from its projection (one row per
child per peildatum, kept with the facts: app/services/registerrijen.py). Otherwise (as known on
a moment, lesweken, another date) the pure domain (app/domain/rapportage.py) computes it from the
facts, read in batches of children ordered by pseudonym so memory stays bounded whatever the
size of the SWV. Both give the same rows (tests/services/test_registerrijen.py).
A submission freezes the exact JSON bytes with their SHA-256, who and when; regenerating the
report "as known at submission" gives the same bytes (tests/api/test_rapportage.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from app.db.leerlingen import FeitRow, LeerlingRow
from app.db.rapportage import IndieningRow
from app.db.session import UnitOfWork
from app.domain.classificatie import Categorie, inspectie_code
from app.domain.escalaties import DoorzettingsmachtBij, EscalatieBeleid
from app.domain.feiten import FeitSoort
from app.domain.rapportage import (
    INSPECTIE_CATEGORIEEN,
    InspectieRegister,
    InspectieRij,
    LeerlingVoorRapport,
    Peildata,
    Samenvatting,
    SwvOverzicht,
    VorigeStand,
    inspectie_rijen,
    register_kop,
    samenvatting,
    swv_overzicht,
)
from app.domain.status import Signaal, bepaal_status
from app.domain.toegang import Actor
from app.services import context, escalaties, projectie, registerrijen
from app.services.errors import FieldError, InvalidInput, NotFound
from app.services.exports import rij_naar_dict, schrijf_register_json

T = TypeVar("T")


def _kind(rij: tuple[LeerlingRow, list[FeitRow], str | None, str | None]) -> LeerlingVoorRapport:
    leerling, feiten, school, gemeente = rij
    return LeerlingVoorRapport(
        leerling=projectie.leerling_van(leerling),
        feiten=[projectie.feit_van(f) for f in feiten],
        pseudoniem=leerling.pseudoniem,
        vestiging=school,
        gemeente=gemeente,
    )


async def _met_kinderen(
    uow: UnitOfWork,
    swv_id: uuid.UUID,
    fn: Callable[[Iterable[LeerlingVoorRapport]], T],
    *,
    alleen: list[uuid.UUID] | None = None,
) -> T:
    """Run the pure `fn` over every child of the SWV, fed batch by batch from the database.

    `fn` runs in a worker thread; each next batch is fetched on the event loop while the thread
    waits for it, so only one batch of facts is in memory at a time.
    """
    loop = asyncio.get_running_loop()
    batches = uow.rapportage.leerlingen_batches(swv_id, alleen=alleen).__aiter__()

    async def volgende() -> list[LeerlingVoorRapport] | None:
        try:
            return [_kind(r) for r in await batches.__anext__()]
        except StopAsyncIteration:
            return None

    def kinderen() -> Iterator[LeerlingVoorRapport]:
        while True:
            batch = asyncio.run_coroutine_threadsafe(volgende(), loop).result()
            if batch is None:
                return
            yield from batch

    return await asyncio.to_thread(fn, kinderen())


met_kinderen = _met_kinderen
"""The SWV's children fed batch by batch to a pure function (the SWV's monitor uses it too)."""


@dataclass(frozen=True, slots=True)
class Rapport:
    register: InspectieRegister
    samenvatting: Samenvatting
    doorzettingsmacht_bij: str = str(DoorzettingsmachtBij.DIRECTEUR_SWV)
    """Who holds doorzettingsmacht in the SWV: the Inspectie asks (docs/escalaties.md)."""


async def _register(
    uow: UnitOfWork, actor: Actor, peildatum: date, bekend_op: datetime | None
) -> InspectieRegister:
    swv = await context.swv_context(uow, actor, bekend_op=bekend_op)
    beleid, peildata = swv.beleid, swv.peildata
    kop = register_kop(peildatum, bekend_op=bekend_op, peildata=peildata)
    if registerrijen.beantwoordt(beleid, peildata, peildatum, bekend_op):
        return InspectieRegister(kop, await registerrijen.lees(uow, swv.id, peildatum))
    kalender = swv.kalender

    def bereken(kinderen: Iterable[LeerlingVoorRapport]) -> tuple[InspectieRij, ...]:
        return tuple(inspectie_rijen(kinderen, beleid, kop, kalender=kalender))

    alleen = None
    if kalender is None:
        # The projection covers every automatic transition in calendar-day mode; in lesweken
        # mode it ends with the holiday data, so every child is computed.
        alleen = await uow.rapportage.kandidaten(
            swv.id,
            vanaf=kop.vanaf,
            tot_en_met=peildatum,
            categorieen=[c.value for c in INSPECTIE_CATEGORIEEN],
            bekend_op=bekend_op,
        )
    rijen = await _met_kinderen(uow, swv.id, bereken, alleen=alleen)
    return InspectieRegister(kop, rijen)


async def _vorige_stand(
    uow: UnitOfWork, actor: Actor, peildatum: date, bekend_op: datetime | None
) -> VorigeStand:
    """The register of the previous peildatum as far as the summary compares with it."""
    swv = await context.swv_context(uow, actor)
    if registerrijen.beantwoordt(swv.beleid, swv.peildata, peildatum, bekend_op):
        return await registerrijen.lees_stand(uow, swv.id, peildatum)
    return VorigeStand.van(await _register(uow, actor, peildatum, bekend_op))


async def inspectie_rapport(
    uow: UnitOfWork, actor: Actor, *, peildatum: date, bekend_op: datetime | None
) -> Rapport:
    """The Inspectie register on a peildatum and its summary against the previous peildatum."""
    async with uow.voor(actor):
        huidig = await _register(uow, actor, peildatum, bekend_op)
        vorige_dag = (await context.swv_context(uow, actor)).peildata.vorige(peildatum)
        vorig = await _vorige_stand(uow, actor, vorige_dag, bekend_op)
        await _noem_vermelden(uow, actor, huidig)
        await uow.commit()
        beleid = escalaties.escalatiebeleid_van(await context.swv_van(uow, actor))
        return Rapport(huidig, samenvatting(huidig, vorig), str(beleid.doorzettingsmacht_bij))


@dataclass(frozen=True, slots=True)
class Overzicht:
    """The SWV's overview, with its escalation settings (who holds doorzettingsmacht)."""

    tabel: SwvOverzicht
    escalatiebeleid: EscalatieBeleid


async def overzicht(
    uow: UnitOfWork, actor: Actor, *, peildatum: date, bekend_op: datetime | None
) -> Overzicht:
    """The SWV's fuller picture per school and gemeente (counts only, small cells hidden), and
    who holds doorzettingsmacht with the default term of agreements (docs/escalaties.md)."""
    async with uow.voor(actor):
        swv = await context.swv_context(uow, actor, bekend_op=bekend_op)
        beleid = swv.beleid
        kalender = swv.kalender
        result = await _met_kinderen(
            uow,
            swv.id,
            lambda kinderen: swv_overzicht(
                kinderen, beleid, peildatum=peildatum, bekend_op=bekend_op, kalender=kalender
            ),
        )
        # The overview counts every child of the SWV (A1 included): each is named in the audit
        # row, so its inzage shows the provision (AVG art. 15 lid 1 sub c).
        uow.getoond = await uow.leerlingen.alle_ids(swv.id)
        await uow.commit()
        return Overzicht(result, escalaties.escalatiebeleid_van(swv.swv))


async def _noem_vermelden(uow: UnitOfWork, actor: Actor, register_: InspectieRegister) -> None:
    """Name the children a register lists (ids, not data) in the request's audit row, so each
    child's inzage shows this provision (AVG art. 15 lid 1 sub c)."""
    uow.getoond = await uow.rapportage.ids_op_pseudoniem(
        uuid.UUID(actor.swv_id), [r.pseudoniem for r in register_.rijen]
    )


def register_json(register_: InspectieRegister) -> bytes:
    """The register's JSON export: the bytes that are frozen on submission."""
    uit = io.BytesIO()
    schrijf_register_json(register_.kop, register_.rijen, uit)
    return uit.getvalue()


def _controleer_peildatum(peildatum: date, peildata: Peildata) -> None:
    if peildatum not in peildata.van_schooljaar(peildata.schooljaar(peildatum)):
        raise InvalidInput(
            [
                FieldError(
                    "peildatum",
                    "geen_peildatum",
                    "Indienen kan alleen op een peildatum van het samenwerkingsverband.",
                )
            ]
        )


async def dien_in(uow: UnitOfWork, actor: Actor, *, peildatum: date) -> IndieningRow:
    """Freeze the report of a peildatum as known now: exact bytes, hash, who, when."""
    async with uow.voor(actor):
        _controleer_peildatum(peildatum, (await context.swv_context(uow, actor)).peildata)
        moment = await uow.klok()
        reg = await _register(uow, actor, peildatum, moment)
        inhoud = register_json(reg)
        telling: dict[str, int] = {}
        for rij in reg.rijen:
            if rij.categorie_peildatum is not None:  # as the Inspectie names it (regel 8)
                code = inspectie_code(rij.categorie_peildatum)
                telling[code] = telling.get(code, 0) + 1
        row = IndieningRow(
            swv_id=uuid.UUID(actor.swv_id),
            peildatum=peildatum,
            bekend_op=moment,
            ingediend_door=actor.id,
            inhoud=inhoud,
            sha256=hashlib.sha256(inhoud).hexdigest(),
            aantal_rijen=len(reg.rijen),
            per_categorie=dict(sorted(telling.items())),
        )
        await uow.rapportage.voeg_toe(row)
        await _noem_vermelden(uow, actor, reg)
        await uow.commit()
        return row


async def indieningen(uow: UnitOfWork, actor: Actor) -> list[IndieningRow]:
    async with uow.voor(actor):
        rows = list(await uow.rapportage.indieningen(uuid.UUID(actor.swv_id)))
        await uow.commit()
        return rows


async def indiening(uow: UnitOfWork, actor: Actor, indiening_id: uuid.UUID) -> IndieningRow:
    async with uow.voor(actor):
        row = await uow.rapportage.indiening(uuid.UUID(actor.swv_id), indiening_id)
        if row is None:
            raise NotFound("Deze indiening bestaat niet.")
        await uow.commit()
        return row


@dataclass(frozen=True, slots=True)
class Verschil:
    pseudoniem: str
    soort: str  # "nieuw", "vervallen" or "gewijzigd"
    velden: tuple[str, ...]


def verschillen(oud: list[dict[str, Any]], nieuw: list[dict[str, Any]]) -> list[Verschil]:
    """Row differences by pseudonym: added, dropped, and which columns changed."""
    a = {r["pseudoniem"]: r for r in oud}
    b = {r["pseudoniem"]: r for r in nieuw}
    uit: list[Verschil] = []
    for sleutel in sorted(a.keys() | b.keys()):
        if sleutel not in a:
            uit.append(Verschil(sleutel, "nieuw", ()))
        elif sleutel not in b:
            uit.append(Verschil(sleutel, "vervallen", ()))
        else:
            velden = tuple(k for k in a[sleutel] if a[sleutel][k] != b[sleutel].get(k))
            if velden:
                uit.append(Verschil(sleutel, "gewijzigd", velden))
    return uit


async def verschillen_met_nu(
    uow: UnitOfWork, actor: Actor, indiening_id: uuid.UUID
) -> tuple[IndieningRow, list[Verschil]]:
    """What differs between a submitted report and the same peildatum as known now."""
    row = await indiening(uow, actor, indiening_id)
    async with uow.voor(actor):
        nu = await _register(uow, actor, row.peildatum, None)
        hernummerd = await uow.monitor.aliassen(row.swv_id)
        await uow.commit()
    # A renumbered child is the same child: its old code is read as its current one; a register
    # frozen before the report JSON became camelCase is read with camelCase keys.
    oud = [
        {**c, "pseudoniem": hernummerd.get(c["pseudoniem"], c["pseudoniem"])}
        for c in (_camel_sleutels(r) for r in json.loads(row.inhoud)["rijen"])
    ]
    return row, verschillen(oud, [rij_naar_dict(r) for r in nu.rijen])


def _camel_sleutels(rij: dict[str, Any]) -> dict[str, Any]:
    """A frozen row's keys in camelCase; submissions made before keep their snake_case bytes."""
    return {
        k.split("_")[0] + "".join(d.capitalize() for d in k.split("_")[1:]): v
        for k, v in rij.items()
    }


async def tussen_peildata(
    uow: UnitOfWork, actor: Actor, *, van: date, tot: date, bekend_op: datetime | None
) -> list[Verschil]:
    """What differs between the registers of two peildata (as known now or on `bekend_op`)."""
    async with uow.voor(actor):
        a = await _register(uow, actor, van, bekend_op)
        b = await _register(uow, actor, tot, bekend_op)
        await uow.commit()
    return verschillen([rij_naar_dict(r) for r in a.rijen], [rij_naar_dict(r) for r in b.rijen])


async def reeks(uow: UnitOfWork, actor: Actor) -> list[tuple[date, dict[str, int]]]:
    """Counts per category per submitted peildatum (latest submission of each), for charts."""
    laatste: dict[date, IndieningRow] = {}
    for row in await indieningen(uow, actor):
        laatste[row.peildatum] = row
    return [(d, dict(r.per_categorie)) for d, r in sorted(laatste.items())]


@dataclass(frozen=True, slots=True)
class OverlegRegel:
    """One child on the agenda of the quarterly leerplicht overleg, and why."""

    leerling: LeerlingRow
    reden: str  # absoluut-verzuim, vrijstelling, besluit-11g or frequent-verzuim
    categorie: str
    sinds: date | None


_OVERLEG = {
    Categorie.B3: "absoluut-verzuim",
    Categorie.A2A: "vrijstelling",
    Categorie.A2B: "vrijstelling",
    Categorie.A2C: "vrijstelling",
    Categorie.A2_OVERIG: "vrijstelling",
    Categorie.C: "besluit-11g",
}


async def leerplichtoverleg(
    uow: UnitOfWork, actor: Actor, *, peildatum: date
) -> list[OverlegRegel]:
    """The list for the quarterly leerplicht overleg (Aanpak thuiszitters): absoluut verzuim,
    vrijstellingen and 11g, and frequent absentees (16 hours in 4 weeks, LPW art. 21),
    among the children in the caller's scope (a leerplichtambtenaar: its gemeente)."""
    async with uow.voor(actor):
        swv = await context.swv_context(uow, actor)
        beleid = swv.beleid
        kalender = swv.kalender
        rows, _ = await uow.leerlingen.lijst(actor, offset=0, limit=10_000_000)
        regels: list[OverlegRegel] = []
        for start in range(0, len(rows), 1000):
            deel = rows[start : start + 1000]
            feiten = await uow.leerlingen.feiten_van([r.id for r in deel])
            for row in deel:
                eigen = [projectie.feit_van(f) for f in feiten.get(row.id, [])]
                uren = {f.id for f in eigen if f.soort is FeitSoort.VERZUIMUREN}
                status = bepaal_status(
                    projectie.leerling_van(row),
                    eigen,
                    beleid,
                    peildatum=peildatum,
                    kalender=kalender,
                )
                reden = _OVERLEG.get(status.categorie)
                if reden is None and any(
                    s.signaal is Signaal.DREIGEND_THUISZITTER
                    and s.feit_ids
                    and set(s.feit_ids) <= uren
                    for s in status.signalen
                ):
                    reden = "frequent-verzuim"
                if reden is not None:
                    regels.append(
                        OverlegRegel(row, reden, inspectie_code(status.categorie), status.sinds)
                    )
        uow.getoond = [r.leerling.id for r in regels]
        await uow.commit()
        return sorted(regels, key=lambda r: (r.reden, r.leerling.pseudoniem))
