"""Classify a synthetic SWV region on a peildatum and compare with a loop that only reads facts.

Targets: at least 1,000,000 facts per second on one core; the region in under 3 s.
Run: ``python -m bench domain [--children N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from app import _native
from app.domain.beleid import Beleid
from app.domain.classificatie import Categorie
from app.domain.feiten import (
    AanbodGestart,
    AanbodSoort,
    Belastbaarheid,
    Feit,
    Inschrijving,
    JeugdartsOordeel,
    Plaatsing,
    TlvAfgegeven,
    Uitschrijving,
    VerzuimBeeindigd,
    VerzuimGestart,
    VrijstellingGrond,
    VrijstellingVerleend,
    WachtOpPlek,
    Ziekmelding,
    ZiekmeldingBeeindigd,
)
from app.domain.leerling import Geboorte, Leerling
from app.domain.regio import Regio
from app.domain.status import bepaal_status

PEILDATUM = date(2024, 12, 1)
START = date(2023, 8, 21)
TARGET_FACTS_PER_S = 1_000_000
TARGET_SECONDS = 3.0


def genereer(aantal: int, seed: int) -> list[tuple[Leerling, list[Feit]]]:
    """A deterministic region: about 10 facts per child, mostly enrolment and absence spells."""
    rnd = random.Random(seed)
    dagen = [START + timedelta(days=i) for i in range(500)]
    momenten = [datetime.combine(d, dtime(12), UTC) for d in dagen]
    regio = list(Regio)
    regio_kinderen: list[tuple[Leerling, list[Feit]]] = []
    teller = 0
    for k in range(aantal):
        leerling = Leerling(
            f"L{k}", Geboorte(rnd.randint(2007, 2018), rnd.randint(1, 12)), rnd.choice(regio)
        )
        feiten: list[Feit] = []

        def nieuw(cls: type[Any], dag: int, bak: list[Feit] = feiten, **velden: object) -> None:
            nonlocal teller
            teller += 1
            dag = min(dag, len(dagen) - 1)
            geregistreerd = momenten[min(dag + rnd.randint(0, 5), len(dagen) - 1)]
            bak.append(
                cls(
                    id=f"f{teller}",
                    geldig_vanaf=dagen[dag],
                    geregistreerd_op=geregistreerd,
                    **velden,
                )
            )

        nieuw(Inschrijving, 0, vestiging=f"{k % 97:02d}AB00")
        dag = rnd.randint(1, 60)
        while len(feiten) < 9 and dag < 460:
            soort = rnd.random()
            lengte = rnd.randint(1, 40)
            if soort < 0.55:
                nieuw(Ziekmelding, dag, door_ouders=True)
                if rnd.random() < 0.1:
                    nieuw(JeugdartsOordeel, dag + 3, belastbaarheid=Belastbaarheid.GEDEELTELIJK)
                nieuw(ZiekmeldingBeeindigd, dag + lengte)
            elif soort < 0.9:
                nieuw(VerzuimGestart, dag)
                nieuw(VerzuimBeeindigd, dag + lengte * 2)
            elif soort < 0.95:
                nieuw(TlvAfgegeven, dag)
                nieuw(WachtOpPlek, dag + 5)
                nieuw(AanbodGestart, dag + 30, aanbod=AanbodSoort.THUISWERKPLAN)
                nieuw(Plaatsing, dag + lengte * 3, vestiging="99SO00")
            elif soort < 0.995:
                nieuw(Uitschrijving, dag, vestiging=f"{k % 97:02d}AB00")
                nieuw(Inschrijving, dag + rnd.randint(0, 20), vestiging="77CD00")
            else:
                nieuw(VrijstellingVerleend, dag, grond=VrijstellingGrond.ART_5_A)
            dag += lengte * 3 + rnd.randint(1, 30)
        rnd.shuffle(feiten)  # arrival order is not valid-time order
        regio_kinderen.append((leerling, feiten))
    return regio_kinderen


def baseline(regio: list[tuple[Leerling, list[Feit]]]) -> int:
    """Only read every fact's soort, valid date and recorded moment."""
    gelezen = 0
    for _leerling, feiten in regio:
        for feit in feiten:
            if feit.soort and feit.geldig_vanaf and feit.geregistreerd_op:
                gelezen += 1
    return gelezen


def classificeer(regio: list[tuple[Leerling, list[Feit]]]) -> dict[Categorie, int]:
    beleid = Beleid()
    telling: dict[Categorie, int] = {}
    for leerling, feiten in regio:
        status = bepaal_status(leerling, feiten, beleid, peildatum=PEILDATUM)
        telling[status.categorie] = telling.get(status.categorie, 0) + 1
    return telling


def meet(children: int, seed: int, repeat: int = 1) -> dict[str, Any]:
    """Generate the region, then time the baseline and ``bepaal_status`` in this process.

    With ``repeat`` > 1 both are timed that many times and the fastest counts (noisy machines).
    """
    t0 = time.perf_counter()
    regio = genereer(children, seed)
    aantal_feiten = sum(len(f) for _l, f in regio)
    t_gen = time.perf_counter() - t0

    t_base = t_fold = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        baseline(regio)
        t_base = min(t_base, time.perf_counter() - t0)
        t0 = time.perf_counter()
        telling = classificeer(regio)
        t_fold = min(t_fold, time.perf_counter() - t0)
    return {
        "implementation": _native.implementatie(),
        "repeat": repeat,
        "children": children,
        "facts": aantal_feiten,
        "t_gen": t_gen,
        "t_base": t_base,
        "t_fold": t_fold,
        "categories": {str(c): n for c, n in sorted(telling.items())},
    }


def rapport(m: dict[str, Any]) -> list[str]:
    """The lines printed for one measurement (``meet``)."""
    per_s_base = m["facts"] / m["t_base"]
    per_s = m["facts"] / m["t_fold"]
    schaal = 200_000 / m["children"]
    gehaald = "met" if per_s >= TARGET_FACTS_PER_S else "NOT met"
    return [
        f"implementation     : {m['implementation']}"
        + (f"; fastest of {m['repeat']} runs" if m["repeat"] > 1 else ""),
        f"generated {m['children']:,} children, {m['facts']:,} facts "
        f"in {m['t_gen']:.1f} s (not timed below)",
        f"baseline read loop : {m['t_base']:6.2f} s  {per_s_base:14,.0f} facts/s",
        f"bepaal_status      : {m['t_fold']:6.2f} s  {per_s:14,.0f} facts/s",
        f"ratio to baseline  : {m['t_fold'] / m['t_base']:6.1f}x slower",
        f"categories on {PEILDATUM.isoformat()} : "
        + ", ".join(f"{c}={n}" for c, n in m["categories"].items()),
        f"target >= {TARGET_FACTS_PER_S:,} facts/s: {gehaald}",
        f"target region (200,000 children) < {TARGET_SECONDS:.0f} s: "
        f"{'met' if m['t_fold'] * schaal < TARGET_SECONDS else 'NOT met'} "
        f"({m['t_fold'] * schaal:.2f} s{' extrapolated' if schaal != 1 else ''})",
    ]


def naast_elkaar(puur: dict[str, Any], native: dict[str, Any]) -> list[str]:
    """The pure and the compiled figures side by side (same region, separate processes)."""
    assert puur["categories"] == native["categories"], "both must classify the region alike"
    schaal = 200_000 / puur["children"]

    def rij(naam: str, waarde: Callable[[dict[str, Any]], str]) -> str:
        return f"{naam:<20}{waarde(puur):>18}{waarde(native):>20}"

    return [
        f"{'':<20}{'pure Python':>18}{'compiled (mypyc)':>20}",
        rij("bepaal_status", lambda m: f"{m['t_fold']:.2f} s"),
        rij("facts/s", lambda m: f"{m['facts'] / m['t_fold']:,.0f}"),
        rij("ratio to baseline", lambda m: f"{m['t_fold'] / m['t_base']:.1f}x"),
        rij("200,000 children", lambda m: f"{m['t_fold'] * schaal:.2f} s"),
        f"compiled / pure    : {puur['t_fold'] / native['t_fold']:.2f}x faster",
    ]


def _in_proces(argv: list[str], native: str) -> dict[str, Any]:
    """``meet`` in a fresh process with THUISZITTERS_NATIVE set: the choice is made at import."""
    omgeving = {**os.environ, "THUISZITTERS_NATIVE": native}
    uit = subprocess.run(
        [sys.executable, "-m", "bench", "domain", *argv, "--json"],
        env=omgeving,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    resultaat: dict[str, Any] = json.loads(uit.splitlines()[-1])
    return resultaat


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench domain", description=__doc__)
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--repeat", type=int, default=1, help="time N runs, report the fastest")
    parser.add_argument(
        "--json", action="store_true", help="measure this process's implementation; print JSON"
    )
    args = parser.parse_args(argv)

    if args.json:
        print(json.dumps(meet(args.children, args.seed, args.repeat)))
        return 0
    if not _native.actief():  # only the pure modules here: measure them in this process
        print("\n".join(rapport(meet(args.children, args.seed, args.repeat))))
        return 0
    # A compiled build is there: the pure and the compiled modules, each in its own process.
    eigen = [
        "--children",
        str(args.children),
        "--seed",
        str(args.seed),
        "--repeat",
        str(args.repeat),
    ]
    puur = _in_proces(eigen, "0")
    print("\n".join(rapport(puur)), end="\n\n")
    native = _in_proces(eigen, "1")
    print("\n".join(rapport(native)), end="\n\n")
    print("\n".join(naast_elkaar(puur, native)))
    return 0
