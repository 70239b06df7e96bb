"""Seed a throwaway register quickly: one SWV, its schools and gemeenten, N synthetic children
with their facts and their projections (timeline and Inspectie register rows), written with COPY
as the superuser.

The children come from `app.services.demo.generator`; each child's projection rows are the domain's
`bepaal_tijdlijn` with the horizon that `app.services.projectie.projecteer` uses, and its register
rows are `app.services.registerrijen.rijen` of that timeline (the function `projecteer` calls),
so the seeded projections equal what the application would have written fact by fact. The
generator's fact ids and vestiging codes become the register's UUIDs. Two processes compute the
rows while the main process copies them into PostgreSQL.

Bulk-load shortcuts, safe because the data is consistent by construction: the superuser bypasses
row-level security (COPY is refused on RLS tables for other roles), and
`session_replication_role = replica` skips the per-row foreign-key triggers during the COPY.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

import asyncpg  # type: ignore[import-untyped]

from app.db.rapportage import REGISTER_KOLOMMEN
from app.domain.beleid import Beleid
from app.domain.feiten import Correctie, Feit, feit_naar_dict
from app.domain.leerling import Leerling
from app.domain.rapportage import STANDAARD_PEILDATA
from app.domain.regio import Regio
from app.domain.tijdlijn import bepaal_tijdlijn
from app.services import registerrijen
from app.services.demo import generator

SWV_CODE = "BENCH-01"
EXTRA_VESTIGINGEN = ("99ZZ00", "99SO00")
"""Vestigingen the generator names in facts without listing them among its schools."""
BRON = "bench:seed"
GEMELD_DOOR = "bench-seed"
KOLOMMEN = {"id", "geldig_vanaf", "geregistreerd_op"}

LEERLING_KOLOMMEN = (
    "id",
    "swv_id",
    "pseudoniem",
    "geboortejaar",
    "geboortemaand",
    "regio",
    "woongemeente_id",
    "versie",
)
FEIT_KOLOMMEN = (
    "id",
    "leerling_id",
    "swv_id",
    "soort",
    "geldig_vanaf",
    "geregistreerd_op",
    "payload",
    "bron",
    "bron_referentie",
    "gemeld_door",
    "school_id",
)
PERIODE_KOLOMMEN = (
    "leerling_id",
    "volgnummer",
    "swv_id",
    "categorie",
    "start",
    "einde",
    "regel",
    "feit_ids",
    "eindreden",
)
REGISTER_RIJ_KOLOMMEN = ("leerling_id", "swv_id", *REGISTER_KOLOMMEN)


@dataclass(frozen=True, slots=True)
class BenchSwv:
    """What the seeded SWV consists of (ids the benchmark needs afterwards)."""

    swv_id: uuid.UUID
    scholen: dict[str, uuid.UUID]
    gemeenten: dict[str, uuid.UUID]


@dataclass(frozen=True, slots=True)
class Batch:
    leerlingen: list[tuple[object, ...]]
    feiten: list[tuple[object, ...]]
    perioden: list[tuple[object, ...]]
    register_rijen: list[tuple[object, ...]]
    vestigingen: list[tuple[uuid.UUID, uuid.UUID]]


@dataclass(frozen=True, slots=True)
class Seeded:
    swv_id: uuid.UUID
    leerling_ids: list[uuid.UUID]
    feiten: int
    perioden: int
    register_rijen: int
    seconds: float
    schooljaar: int
    waiting: float
    """Of `seconds`, how long the copying waited for the workers that compute the rows."""
    vacuum: float
    """Of `seconds`, how long `VACUUM ANALYZE` took."""


def schooljaar_voor(vandaag: date) -> int:
    """The generator's school year (ending 31 July) most recently begun on `vandaag`."""
    return vandaag.year + 1 if vandaag.month >= 8 else vandaag.year


def projectie_tot(leerling: Leerling, vandaag: date) -> date:
    """The horizon of `projectie.projecteer` for the default beleid (calendar days, so no
    holiday calendar and no clipping to it): far enough for every automatic transition."""
    return max(vandaag + timedelta(days=400), date(leerling.geboorte.jaar + 19, 12, 31))


def _vervang_ids(
    feit: Feit, ids: dict[str, str], vestigingen: dict[str, uuid.UUID], rnd: random.Random
) -> Feit:
    """The fact with a UUID id, its vestiging as the school's id, its references remapped."""
    nieuw_id = ids.setdefault(feit.id, str(uuid.UUID(int=rnd.getrandbits(128), version=4)))
    velden: dict[str, object] = {"id": nieuw_id}
    vestiging = getattr(feit, "vestiging", None)
    if isinstance(vestiging, str) and vestiging in vestigingen:
        velden["vestiging"] = str(vestigingen[vestiging])
    if isinstance(feit, Correctie):
        velden["vervanging"] = _vervang_ids(feit.vervanging, ids, vestigingen, rnd)
    betreft = getattr(feit, "betreft", None)
    if isinstance(betreft, str):
        velden["betreft"] = ids.setdefault(
            betreft, str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        )
    return dataclasses.replace(feit, **velden)  # type: ignore[arg-type]


def bereken(
    start: int,
    stop: int,
    *,
    seed: int,
    schooljaar: int,
    vandaag: date,
    regio: BenchSwv,
) -> Batch:
    """The rows of children `start`..`stop` (deterministic for the seed; runs in a worker)."""
    scholen = generator.genereer_scholen(seed)
    per_soort = {
        s: [x for x in scholen if x.soort == s] or list(scholen) for s in ("po", "vo", "so")
    }
    begin = date(schooljaar - 1, 8, 1)
    gemeente_codes = {naam: code for code, naam in generator.GEMEENTEN}
    beleid = Beleid()  # the SWV is created with `beleid = {}`: context.beleid_van's defaults
    rnd_ids = random.Random(f"bench-ids:{seed}:{start}")
    batch = Batch([], [], [], [], [])
    for index in range(start, stop):
        kind = generator._kind(
            random.Random(f"{seed}:{index}"),  # as generator.genereer_kinderen seeds each child
            index,
            seed=seed,
            begin=begin,
            per_soort=per_soort,
            regio=Regio.MIDDEN,
        )
        leerling_id = uuid.UUID(int=rnd_ids.getrandbits(128), version=4)
        domein = Leerling(str(leerling_id), kind.leerling.geboorte, kind.leerling.regio)
        ids: dict[str, str] = {}
        feiten = [_vervang_ids(f, ids, regio.scholen, rnd_ids) for f in kind.feiten]
        gemeente = gemeente_codes.get(kind.gemeente or "")
        batch.leerlingen.append(
            (
                leerling_id,
                regio.swv_id,
                kind.pseudoniem,
                kind.leerling.geboorte.jaar,
                kind.leerling.geboorte.maand,
                str(kind.leerling.regio),
                regio.gemeenten.get(gemeente) if gemeente else None,
                1,
            )
        )
        vestigingen = {regio.scholen[kind.vestiging]} if kind.vestiging else set()
        for feit in feiten:
            school = getattr(feit, "vestiging", None)
            school_id = uuid.UUID(school) if isinstance(school, str) else None
            if school_id is not None:
                vestigingen.add(school_id)
            payload = {k: v for k, v in feit_naar_dict(feit).items() if k not in KOLOMMEN}
            batch.feiten.append(
                (
                    uuid.UUID(feit.id),
                    leerling_id,
                    regio.swv_id,
                    str(feit.soort),
                    feit.geldig_vanaf,
                    feit.geregistreerd_op,
                    json.dumps(payload),
                    BRON,
                    None,
                    GEMELD_DOOR,
                    school_id,
                )
            )
        batch.vestigingen.extend((leerling_id, s) for s in vestigingen)
        tijdlijn = bepaal_tijdlijn(domein, feiten, beleid, tot=projectie_tot(domein, vandaag))
        batch.perioden.extend(
            (
                leerling_id,
                n,
                regio.swv_id,
                str(p.categorie),
                p.start,
                p.einde,
                p.regel,
                list(p.feit_ids),
                str(p.eindreden) if p.eindreden else None,
            )
            for n, p in enumerate(tijdlijn.perioden)
        )
        batch.register_rijen.extend(
            (leerling_id, regio.swv_id, *(rij[k] for k in REGISTER_KOLOMMEN))
            for rij in registerrijen.rijen(
                kind.pseudoniem,
                domein,
                feiten,
                tijdlijn,
                beleid=beleid,
                peildata=STANDAARD_PEILDATA,  # the SWV's `beleid = {}`: context.peildata_van
            )
        )
    return batch


async def maak_regio(conn: asyncpg.Connection, seed: int) -> BenchSwv:
    """The SWV with the generator's schools (plus the two it names in facts) and gemeenten."""
    swv_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO samenwerkingsverbanden (id, code, naam, privacy_modus, beleid, versie) "
        "VALUES ($1, $2, 'Benchmark-SWV (synthetisch)', 'gepseudonimiseerd', '{}'::jsonb, 1)",
        swv_id,
        SWV_CODE,
    )
    gemeenten: dict[str, uuid.UUID] = {}
    for code, naam in generator.GEMEENTEN:
        gemeente_id = await conn.fetchval(
            "INSERT INTO gemeenten (id, code, naam) VALUES ($1, $2, $3) "
            "ON CONFLICT (code) DO UPDATE SET naam = EXCLUDED.naam RETURNING id",
            uuid.uuid4(),
            code,
            naam,
        )
        await conn.execute(
            "INSERT INTO swv_gemeenten (swv_id, gemeente_id) VALUES ($1, $2)", swv_id, gemeente_id
        )
        gemeenten[code] = gemeente_id
    scholen: dict[str, uuid.UUID] = {}
    namen = [(s.vestiging, s.naam) for s in generator.genereer_scholen(seed)]
    namen += [(v, f"Demo {v}") for v in EXTRA_VESTIGINGEN]
    for vestiging, naam in namen:
        school_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO scholen (id, swv_id, brin, vestigingsnummer, naam, plaats, regio, versie)"
            " VALUES ($1, $2, $3, $4, $5, 'Demostad', 'midden', 1)",
            school_id,
            swv_id,
            vestiging[:4],
            vestiging[4:],
            naam,
        )
        scholen[vestiging] = school_id
    return BenchSwv(swv_id, scholen, gemeenten)


def _slices(aantal: int, grootte: int) -> Iterator[tuple[int, int]]:
    for start in range(0, aantal, grootte):
        yield start, min(start + grootte, aantal)


async def seed(
    superuser_url: str,
    aantal: int,
    *,
    seed_waarde: int = 20240101,
    workers: int = 2,
    batch: int = 5_000,
) -> Seeded:
    """Create the SWV and `aantal` children with facts, projection and vestigingen."""
    t0 = time.perf_counter()
    conn = await asyncpg.connect(superuser_url)
    try:
        vandaag: date = await conn.fetchval("SELECT current_date")
        schooljaar = schooljaar_voor(vandaag)
        async with conn.transaction():
            regio = await maak_regio(conn, seed_waarde)
        await conn.execute("SET session_replication_role = replica")
        loop = asyncio.get_running_loop()
        leerling_ids: list[uuid.UUID] = []
        aantal_feiten = aantal_perioden = aantal_rijen = 0
        wachten = 0.0
        pool = ProcessPoolExecutor(max_workers=max(1, workers))
        try:
            taken = [
                loop.run_in_executor(
                    pool,
                    _bereken_taak,
                    (start, stop, seed_waarde, schooljaar, vandaag, regio),
                )
                for start, stop in _slices(aantal, batch)
            ]
            for taak in taken:  # in order: the list of ids is deterministic for the seed
                t_wacht = time.perf_counter()
                rows = await taak
                wachten += time.perf_counter() - t_wacht
                async with conn.transaction():
                    await conn.copy_records_to_table(
                        "leerlingen", records=rows.leerlingen, columns=LEERLING_KOLOMMEN
                    )
                    await conn.copy_records_to_table(
                        "feiten", records=rows.feiten, columns=FEIT_KOLOMMEN
                    )
                    await conn.copy_records_to_table(
                        "tijdlijn_perioden", records=rows.perioden, columns=PERIODE_KOLOMMEN
                    )
                    await conn.copy_records_to_table(
                        "register_rijen",
                        records=rows.register_rijen,
                        columns=REGISTER_RIJ_KOLOMMEN,
                    )
                    await conn.copy_records_to_table(
                        "leerling_vestigingen",
                        records=rows.vestigingen,
                        columns=("leerling_id", "school_id"),
                    )
                leerling_ids.extend(r[0] for r in rows.leerlingen)  # type: ignore[misc]
                aantal_feiten += len(rows.feiten)
                aantal_perioden += len(rows.perioden)
                aantal_rijen += len(rows.register_rijen)
        finally:  # interrupted: the batches not yet started are dropped, not computed first
            pool.shutdown(wait=True, cancel_futures=True)
        await conn.execute("SET session_replication_role = origin")
        t_vacuum = time.perf_counter()
        tabellen = (
            "leerlingen",
            "feiten",
            "tijdlijn_perioden",
            "register_rijen",
            "leerling_vestigingen",
        )
        for tabel in tabellen:
            await conn.execute(f"VACUUM ANALYZE {tabel}")
        vacuum = time.perf_counter() - t_vacuum
    finally:
        await conn.close()
    return Seeded(
        regio.swv_id,
        leerling_ids,
        aantal_feiten,
        aantal_perioden,
        aantal_rijen,
        time.perf_counter() - t0,
        schooljaar,
        wachten,
        vacuum,
    )


def _bereken_taak(args: tuple[int, int, int, int, date, BenchSwv]) -> Batch:
    start, stop, seed_waarde, schooljaar, vandaag, regio = args
    return bereken(
        start, stop, seed=seed_waarde, schooljaar=schooljaar, vandaag=vandaag, regio=regio
    )
