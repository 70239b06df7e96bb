"""The domain benchmark still runs end to end: tiny numbers, counts only, no timings."""

from __future__ import annotations

from app import _native
from bench import domain_classify


def test_domain_benchmark_measures_and_reports_side_by_side() -> None:
    gemeten = domain_classify.meet(200, 1)
    assert gemeten["children"] == 200
    assert sum(gemeten["categories"].values()) == 200
    assert gemeten["facts"] > 200
    assert gemeten["implementation"] == _native.implementatie()
    regels = domain_classify.rapport(gemeten)
    assert regels[0] == f"implementation     : {gemeten['implementation']}"
    naast = domain_classify.naast_elkaar(gemeten, gemeten)
    assert naast[0].split() == ["pure", "Python", "compiled", "(mypyc)"]
    assert naast[-1] == "compiled / pure    : 1.00x faster"
