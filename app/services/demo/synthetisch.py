"""Load a synthetic region (app/services/demo/generator.py) into the register: demo and benchmarks.

Children, facts and projections are written in batches through the same tables and the same
projection as real reports, so a generated region behaves exactly like a real one.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from app.db.leerlingen import FeitRow, LeerlingRow
from app.db.organisaties import GemeenteRow, SwvRow
from app.db.scholen import SchoolRow
from app.db.session import UnitOfWork
from app.domain.feiten import feit_naar_dict
from app.domain.rapportage import LeerlingVoorRapport
from app.services import context, projectie
from app.services.demo.generator import GEMEENTEN, School, genereer_kinderen, genereer_scholen

_NAMESPACE = uuid.UUID("8f1b5f64-6b2c-4f8e-9a77-0c2f6f3c1d10")
BRON = "synthetisch"


def _id(seed: int, tekst: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{seed}:{tekst}")


def _payload(data: dict[str, Any], seed: int, scholen: dict[str, uuid.UUID]) -> dict[str, Any]:
    """The fact's payload with generated ids and school codes mapped to the register's ids."""
    uit: dict[str, Any] = {}
    for sleutel, waarde in data.items():
        if sleutel in {"id", "geldig_vanaf", "geregistreerd_op"} and "soort" not in data:
            continue
        if sleutel == "betreft" and isinstance(waarde, str):
            uit[sleutel] = str(_id(seed, waarde))
        elif sleutel == "vestiging" and isinstance(waarde, str):
            uit[sleutel] = str(scholen[waarde])
        elif isinstance(waarde, dict):
            genest = _payload(waarde, seed, scholen)
            genest["id"] = str(_id(seed, str(waarde["id"])))
            uit[sleutel] = genest
        else:
            uit[sleutel] = waarde
    return uit


async def laad_synthetische_regio(
    uow: UnitOfWork,
    *,
    swv_code: str,
    aantal: int,
    seed: int,
    schooljaar: int,
    batch: int = 500,
) -> int:
    """Add `aantal` generated children (and their schools) to SWV `swv_code`, creating it when
    it does not exist; returns the number of children loaded."""
    scholen_gen = (
        *genereer_scholen(seed),
        # Schools the generator sends children to when they move or are placed elsewhere.
        School("99ZZ00", "Demo school elders", "vo", GEMEENTEN[0][1]),
        School("99SO00", "Demo SO-school", "so", GEMEENTEN[0][1]),
    )
    async with uow.alle_swvs():
        swv = await uow.organisaties.swv_op_code(swv_code)
        if swv is None:
            swv = SwvRow(code=swv_code, naam=f"Synthetische regio {swv_code}", beleid={})
            await uow.organisaties.add(swv)
        gemeenten: dict[str, uuid.UUID] = {}
        for code, naam in GEMEENTEN:
            gemeente = await uow.organisaties.gemeente_op_code(code)
            if gemeente is None:
                gemeente = GemeenteRow(code=code, naam=naam)
                await uow.organisaties.add(gemeente)
            await uow.organisaties.koppel(swv.id, gemeente.id)
            gemeenten[naam] = gemeente.id
        scholen: dict[str, uuid.UUID] = {}
        for school in scholen_gen:
            bestaand = await uow.scholen.id_op_code(swv.id, school.vestiging)
            if bestaand is not None:
                scholen[school.vestiging] = bestaand
                continue
            row = SchoolRow(
                swv_id=swv.id,
                brin=school.vestiging[:4],
                vestigingsnummer=school.vestiging[4:],
                naam=school.naam,
                plaats=school.gemeente,
                regio="midden",
            )
            uow.session.add(row)
            await uow.session.flush()
            scholen[school.vestiging] = row.id
        await uow.commit()
        swv_id = swv.id

    geladen = 0
    kinderen = genereer_kinderen(aantal, seed=seed, schooljaar=schooljaar, scholen=scholen_gen[:-2])
    while True:
        deel: list[LeerlingVoorRapport] = []
        for kind in kinderen:
            deel.append(kind)
            if len(deel) == batch:
                break
        if not deel:
            return geladen
        await _laad(uow, swv_id, kinderen=deel, seed=seed, scholen=scholen, gemeenten=gemeenten)
        geladen += len(deel)


async def _laad(
    uow: UnitOfWork,
    swv_id: uuid.UUID,
    *,
    kinderen: list[LeerlingVoorRapport],
    seed: int,
    scholen: dict[str, uuid.UUID],
    gemeenten: dict[str, uuid.UUID],
) -> None:
    async with uow.alle_swvs():
        swv = await uow.organisaties.swv(swv_id)
        assert swv is not None  # noqa: S101
        ctx = await context.laad_context(uow, swv)
        vandaag: date = (await context.klok(uow)).date()
        for kind in kinderen:
            leerling = LeerlingRow(
                id=_id(seed, kind.leerling.id),
                swv_id=swv_id,
                pseudoniem=kind.pseudoniem,
                geboortejaar=kind.leerling.geboorte.jaar,
                geboortemaand=kind.leerling.geboorte.maand,
                regio=str(kind.leerling.regio),
                woongemeente_id=gemeenten.get(kind.gemeente or ""),
            )
            uow.session.add(leerling)
            await uow.session.flush()
            feiten = [
                FeitRow(
                    id=_id(seed, feit.id),
                    leerling_id=leerling.id,
                    swv_id=swv_id,
                    soort=str(feit.soort),
                    geldig_vanaf=feit.geldig_vanaf,
                    geregistreerd_op=feit.geregistreerd_op,
                    payload={
                        k: v
                        for k, v in _payload(feit_naar_dict(feit), seed, scholen).items()
                        if k not in {"id", "geldig_vanaf", "geregistreerd_op"}
                    },
                    bron=BRON,
                    bron_referentie=None,
                    gemeld_door=BRON,
                    school_id=scholen.get(getattr(feit, "vestiging", "")),
                )
                for feit in kind.feiten
            ]
            uow.session.add_all(feiten)
            await uow.session.flush()
            if kind.vestiging in scholen:
                await uow.leerlingen.koppel_vestiging(leerling.id, scholen[kind.vestiging])
            await projectie.projecteer(uow, leerling, ctx, feiten, vandaag)
        await uow.commit()
