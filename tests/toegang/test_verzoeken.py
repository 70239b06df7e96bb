"""Login throttle: free failures, then 2, 4, 8 ... seconds up to a maximum, in a sliding window."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.toegang.verzoeken import Inlogrem, Rem, Rembeleid

NU = 1_750_000_000.0


def _mislukt(rem: Rem, sleutel: str, aantal: int, nu: float = NU) -> None:
    for _ in range(aantal):
        rem.registreer(sleutel, False, nu)


def test_the_first_failures_are_free() -> None:
    rem = Rem()
    _mislukt(rem, "a", 4)
    assert rem.mag_proberen("a", NU) is None


@pytest.mark.parametrize(("aantal", "wachten"), [(5, 2), (6, 4), (7, 8), (8, 16), (14, 900)])
def test_then_the_wait_doubles_up_to_the_maximum(aantal: int, wachten: float) -> None:
    rem = Rem()
    _mislukt(rem, "a", aantal)
    assert rem.mag_proberen("a", NU) == wachten
    assert rem.mag_proberen("a", NU + wachten - 0.5) == 0.5
    assert rem.mag_proberen("a", NU + wachten) is None


def test_wait_is_counted_from_the_last_failure() -> None:
    rem = Rem()
    _mislukt(rem, "a", 4)
    rem.registreer("a", False, NU + 100)
    assert rem.mag_proberen("a", NU + 101) == 1


def test_failures_leave_the_window() -> None:
    rem = Rem(Rembeleid(venster_seconden=600))
    _mislukt(rem, "a", 4, NU)
    rem.registreer("a", False, NU + 601)  # the first four have left the window
    assert rem.mag_proberen("a", NU + 601) is None
    assert len(rem) == 1
    assert rem.mag_proberen("a", NU + 1202) is None
    assert len(rem) == 0


def test_success_clears_the_key() -> None:
    rem = Rem()
    _mislukt(rem, "a", 9)
    rem.registreer("a", True, NU)
    assert rem.mag_proberen("a", NU) is None
    assert len(rem) == 0


def test_keys_are_independent() -> None:
    rem = Rem()
    _mislukt(rem, "a", 6)
    assert rem.mag_proberen("b", NU) is None


def test_memory_is_bounded_and_the_stalest_key_goes_first() -> None:
    rem = Rem(Rembeleid(vrije_pogingen=1, maximum_sleutels=3))
    for i, sleutel in enumerate(["a", "b", "c"]):
        rem.registreer(sleutel, False, NU + i)
    rem.registreer("a", False, NU + 3)  # a is now the most recent
    rem.registreer("d", False, NU + 4)
    assert len(rem) == 3
    assert rem.mag_proberen("b", NU + 4) is None  # forgotten
    assert rem.mag_proberen("a", NU + 4) is not None


def test_expired_keys_are_swept_before_live_ones_are_dropped() -> None:
    rem = Rem(Rembeleid(vrije_pogingen=1, venster_seconden=60, maximum_sleutels=2))
    rem.registreer("oud", False, NU)
    rem.registreer("levend", False, NU + 50)
    rem.registreer("nieuw", False, NU + 70)
    assert len(rem) == 2
    rem.registreer("levend", False, NU + 70)
    # Two failures in the window (4 s), not one (2 s): "levend" was kept, "oud" swept.
    assert rem.mag_proberen("levend", NU + 70) == 4


@pytest.mark.parametrize(
    "beleid",
    [
        {"vrije_pogingen": 0},
        {"venster_seconden": 0},
        {"maximum_wachttijd": -1},
        {"maximum_sleutels": 0},
    ],
)
def test_policy_is_validated(beleid: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="positief"):
        Rembeleid(**beleid)  # type: ignore[arg-type]


@given(st.lists(st.tuples(st.booleans(), st.floats(0, 120)), max_size=60))
def test_wait_never_exceeds_the_maximum(pogingen: list[tuple[bool, float]]) -> None:
    rem = Rem()
    nu = NU
    for gelukt, stap in pogingen:
        nu += stap
        rem.registreer("a", gelukt, nu)
        wachten = rem.mag_proberen("a", nu)
        assert wachten is None or 0 < wachten <= 900


def test_login_throttle_combines_account_and_address() -> None:
    rem = Inlogrem()
    for _ in range(5):
        rem.registreer("J.Jansen@swv.example ", "192.0.2.1", False, NU)
    # The same account from another address is throttled, spelled differently too.
    assert rem.mag_proberen("j.jansen@swv.example", "198.51.100.7", NU) == 2
    # Another account from the same address is not (yet): the address has more room.
    assert rem.mag_proberen("p.pietersen@swv.example", "192.0.2.1", NU) is None


def test_unknown_and_known_accounts_are_throttled_alike() -> None:
    rem = Inlogrem()
    for naam in ("bestaat@swv.example", "bestaat-niet@swv.example"):
        for _ in range(6):
            rem.registreer(naam, "192.0.2.1", False, NU)
    assert rem.mag_proberen("bestaat@swv.example", "203.0.113.9", NU) == rem.mag_proberen(
        "bestaat-niet@swv.example", "203.0.113.9", NU
    )


def test_address_throttles_spraying_over_many_accounts() -> None:
    rem = Inlogrem()
    for i in range(20):
        rem.registreer(f"gebruiker{i}@swv.example", "192.0.2.1", False, NU)
    assert rem.mag_proberen("nog-een@swv.example", "192.0.2.1", NU) == 2


def test_own_success_does_not_reset_the_address() -> None:
    rem = Inlogrem()
    for i in range(20):
        rem.registreer(f"slachtoffer{i}@swv.example", "192.0.2.1", False, NU)
    rem.registreer("aanvaller@swv.example", "192.0.2.1", True, NU)
    assert rem.mag_proberen("slachtoffer0@swv.example", "192.0.2.1", NU) is not None
