"""The row-level-security policy read per row against once per query, on the same data
(decision 50), and the thuiszitters list from the children against from the periods (decision 47).

Run: ``python -m bench rls [--children N] [--tasks M] [--rounds R]`` (defaults 20,000 children,
100,000 tasks, 3 rounds).

1. A throwaway embedded PostgreSQL, migrated, seeded as `bench.taken` seeds it (children with
   facts and timelines, tasks, a third the begeleider's), `VACUUM ANALYZE`.
2. Per round, the policies of before decision 50 (`alembic downgrade` to the previous revision),
   after it (`upgrade 2026_12_08_rls_eenmaal`) and with the list's index (`upgrade head`) in
   turn, each measured on the runtime role with the SWV set: the worklist count (`bench.taken`'s
   floor count, the repository's SQL) and the thuiszitters list's count and first page in both
   forms (from the children, the SQL of before; from the periods, `bench.register_floor`, the
   repository's SQL), EXPLAIN ANALYZE REPEATS times, best and median of the server's execution
   time; the same as the superuser (no policy at all) as the floor. The load average beside each
   figure.
3. The last round's plans: per row, once per query, and with the list's index.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from app.cli import ROOT, migrate
from app.db.embedded import EmbeddedPostgres
from app.domain.toegang import Rol
from bench.register_floor import _THUISZITTERS, LIJST_PAGINA, LIJST_TOTAAL, lijst_sql
from bench.register_seed import seed
from bench.taken import _FLOOR_COUNT, _load, begeleider, seed_taken

REPEATS = 7
VORIGE = str(
    ScriptDirectory(str(ROOT / "migrations")).get_revision("2026_12_08_rls_eenmaal").down_revision
)
"""The revision before decision 50 (whatever it is chained to): every policy casts per row."""
EENMAAL = "2026_12_08_rls_eenmaal"
"""Decision 50: the tenant check once per query; the list's index not yet covering."""
# The list's SQL before it started from the periods (decision 47): the children filtered on
# having a period in the categories, the page walked in pseudoniem order.
_UIT_KINDEREN = (
    "leerlingen.swv_id = $1 AND leerlingen.id IN (SELECT tijdlijn_perioden.leerling_id "
    "FROM tijdlijn_perioden WHERE tijdlijn_perioden.swv_id = $1 "
    "AND tijdlijn_perioden.categorie = ANY($3::varchar[]) AND tijdlijn_perioden.start <= $2 "
    "AND (tijdlijn_perioden.einde IS NULL OR tijdlijn_perioden.einde >= $2))"
)
KINDEREN_TOTAAL = f"SELECT count(*) FROM leerlingen WHERE {_UIT_KINDEREN}"  # noqa: S608
KINDEREN_PAGINA = (
    "SELECT leerlingen.id, leerlingen.pseudoniem, leerlingen.geboortejaar, "  # noqa: S608
    "leerlingen.geboortemaand, leerlingen.regio, periode.categorie, periode.start "
    "FROM leerlingen LEFT OUTER JOIN tijdlijn_perioden AS periode "
    "ON periode.leerling_id = leerlingen.id AND periode.swv_id = $1 AND periode.start <= $2 "
    "AND (periode.einde IS NULL OR periode.einde >= $2) "
    f"WHERE {_UIT_KINDEREN} ORDER BY leerlingen.pseudoniem, leerlingen.id LIMIT $4 OFFSET $5"
)


def _alembic(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["database_url"] = url
    cfg.attributes["configure_logger"] = False
    return cfg


def _vragen(swv_id: uuid.UUID, peildatum: object) -> dict[str, tuple[str, tuple[object, ...]]]:
    return {
        "worklist count": (_FLOOR_COUNT, (swv_id, str(Rol.BEGELEIDER), begeleider(0))),
        "list count (children)": (KINDEREN_TOTAAL, (swv_id, peildatum, _THUISZITTERS)),
        "list page 1 (children)": (KINDEREN_PAGINA, (swv_id, peildatum, _THUISZITTERS, 20, 0)),
        "list count (periods)": (LIJST_TOTAAL, (swv_id, peildatum, _THUISZITTERS)),
        "list page 1 (periods)": (LIJST_PAGINA, (swv_id, peildatum, _THUISZITTERS, 20, 0)),
    }


async def _meet(
    url: str, swv_id: uuid.UUID, peildatum: object
) -> tuple[dict[str, list[float]], dict[str, str]]:
    """Execution times (ms) per query, and each query's last plan."""
    tijden: dict[str, list[float]] = {}
    plannen: dict[str, str] = {}
    conn = await asyncpg.connect(url)
    try:
        for naam, (sql, args) in _vragen(swv_id, peildatum).items():
            for _ in range(REPEATS):
                async with conn.transaction():
                    await conn.execute("SELECT set_config('app.swv_id', $1, true)", str(swv_id))
                    rijen = await conn.fetch(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", *args)
                plan = "\n".join(r[0] for r in rijen)
                tijd = next(r for r in plan.splitlines() if r.startswith("Execution Time"))
                tijden.setdefault(naam, []).append(float(tijd.split()[2]))
                plannen[naam] = plan
    finally:
        await conn.close()
    return tijden, plannen


def _regel(vorm: str, tijden: dict[str, list[float]]) -> str:
    delen = [
        f"{naam} {min(t):.1f} ({statistics.median(t):.1f})" for naam, t in sorted(tijden.items())
    ]
    return f"{vorm:<15} best (median) ms: {'; '.join(delen)} [{_load()}]"


def run(*, children: int, tasks: int, rounds: int, out: Callable[[str], None] = print) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="thuiszitters-bench-rls-"))
    pg = EmbeddedPostgres(workdir / "data")
    try:
        url = pg.start()
        migrate(pg.owner_url())
        superuser = pg.superuser_url(pg.database)
        seeded = asyncio.run(seed(superuser, children))
        vandaag = datetime.now(UTC).date()
        asyncio.run(seed_taken(superuser, seeded.swv_id, seeded.leerling_ids, tasks, vandaag))
        out(f"seeded {children:,} children, {tasks:,} tasks ({_load()})")
        zelfde = asyncio.run(lijst_sql(str(seeded.swv_id), vandaag)) == [LIJST_TOTAAL, LIJST_PAGINA]
        out(f"the list's SQL is the repository's, word for word: {zelfde}")
        cfg = _alembic(pg.owner_url())
        plannen: dict[str, dict[str, str]] = {}
        for ronde in range(1, rounds + 1):
            out(f"round {ronde}")
            tijden, _ = asyncio.run(_meet(superuser, seeded.swv_id, vandaag))
            out(_regel("no policy", tijden))
            for vorm, revisie in (
                ("per row", VORIGE),
                ("per query", EENMAAL),
                ("per query+index", "head"),
            ):
                if revisie == VORIGE:
                    command.downgrade(cfg, revisie)
                else:
                    command.upgrade(cfg, revisie)
                tijden, plannen[vorm] = asyncio.run(_meet(url, seeded.swv_id, vandaag))
                out(_regel(vorm, tijden))
        for naam in plannen["per row"]:
            for vorm, plan in plannen.items():
                out(f"-- {naam}, {vorm}:\n{plan[naam]}")
    finally:
        pg.destroy()
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench rls")
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(list(argv))
    run(children=args.children, tasks=args.tasks, rounds=args.rounds)
    return 0
