"""Login throttle: free failures, then 2, 4, 8 ... seconds up to a maximum; counted per account,
per account and address, and per address, in PostgreSQL (shared by every worker)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.db.session import UnitOfWork
from app.services.toegang.verzoeken import Inlogrem, Rembeleid

NU = 1_750_000_000.0
ADRES = "192.0.2.1"


async def _mislukt(
    uow: UnitOfWork, rem: Inlogrem, naam: str, aantal: int, *, adres: str = ADRES, nu: float = NU
) -> None:
    async with uow:
        for _ in range(aantal):
            await rem.registreer(uow, naam, adres, False, nu)
        await uow.commit()


async def _wachten(
    uow: UnitOfWork, rem: Inlogrem, naam: str, *, adres: str = ADRES, nu: float = NU
) -> float | None:
    async with uow:
        return await rem.mag_proberen(uow, naam, adres, nu)


@pytest.mark.parametrize(("aantal", "wachten"), [(4, None), (5, 2), (6, 4), (7, 8), (14, 900)])
def test_free_failures_then_the_wait_doubles_up_to_the_maximum(
    aantal: int, wachten: float | None
) -> None:
    assert Rembeleid().wachttijd(aantal) == (wachten or 0.0)


@pytest.mark.parametrize(
    "beleid", [{"vrije_pogingen": 0}, {"venster_seconden": 0}, {"maximum_wachttijd": -1}]
)
def test_policy_is_validated(beleid: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="positief"):
        Rembeleid(**beleid)  # type: ignore[arg-type]


def test_all_counts_share_one_window() -> None:
    with pytest.raises(ValueError, match="venster"):
        Inlogrem(per_adres=Rembeleid(venster_seconden=60))


async def test_one_account_from_one_address_is_throttled_after_five(uow: UnitOfWork) -> None:
    rem = Inlogrem()
    await _mislukt(uow, rem, "a@swv.example", 4)
    assert await _wachten(uow, rem, "a@swv.example") is None
    await _mislukt(uow, rem, "A@swv.example ", 1)  # spelled differently: the same account
    assert await _wachten(uow, rem, "a@swv.example") == 2
    assert await _wachten(uow, rem, "a@swv.example", nu=NU + 1.5) == 0.5
    assert await _wachten(uow, rem, "a@swv.example", nu=NU + 2) is None


async def test_twenty_failures_for_one_account_do_not_throttle_another_account(
    uow: UnitOfWork,
) -> None:
    """Behind a proxy every user shares one address: one account's failures stay its own."""
    rem = Inlogrem()
    await _mislukt(uow, rem, "slachtoffer@swv.example", 20)
    assert await _wachten(uow, rem, "slachtoffer@swv.example") is not None
    assert await _wachten(uow, rem, "collega@swv.example") is None


async def test_one_account_guessed_from_many_addresses_is_throttled(uow: UnitOfWork) -> None:
    rem = Inlogrem()
    for i in range(20):
        await _mislukt(uow, rem, "doel@swv.example", 1, adres=f"198.51.100.{i}")
    assert await _wachten(uow, rem, "doel@swv.example", adres="203.0.113.9") == 2


async def test_an_address_spraying_many_accounts_is_throttled(uow: UnitOfWork) -> None:
    rem = Inlogrem()
    for i in range(100):
        await _mislukt(uow, rem, f"gebruiker{i}@swv.example", 1)
    assert await _wachten(uow, rem, "nog-een@swv.example") == 2
    assert await _wachten(uow, rem, "nog-een@swv.example", adres="203.0.113.9") is None


async def test_success_clears_the_account_but_not_the_address(uow: UnitOfWork) -> None:
    rem = Inlogrem()
    for i in range(100):
        await _mislukt(uow, rem, f"slachtoffer{i}@swv.example", 1)
    await _mislukt(uow, rem, "aanvaller@swv.example", 5)
    async with uow:
        await rem.registreer(uow, "aanvaller@swv.example", ADRES, True, NU)
        await uow.commit()
    assert await _wachten(uow, rem, "aanvaller@swv.example", adres="203.0.113.9") is None
    assert await _wachten(uow, rem, "slachtoffer0@swv.example") is not None


async def test_failures_leave_the_window(uow: UnitOfWork) -> None:
    rem = Inlogrem()
    await _mislukt(uow, rem, "a@swv.example", 9)
    await _mislukt(uow, rem, "a@swv.example", 1, nu=NU + 15 * 60 + 1)
    assert await _wachten(uow, rem, "a@swv.example", nu=NU + 15 * 60 + 1) is None


async def test_counts_live_in_the_database_without_names_or_addresses(uow: UnitOfWork) -> None:
    """Shared by every worker; the keys are hashes, so the table holds no personal data."""
    await _mislukt(uow, Inlogrem(), "geheim@swv.example", 1)
    async with uow:
        sleutels = list(await uow.session.scalars(text("SELECT sleutel FROM inlogpogingen")))
    assert len(sleutels) == 3
    assert all(len(s) == 64 and "geheim" not in s and ADRES not in s for s in sleutels)
    # Another process sees the same counts: a fresh throttle object reads them.
    assert await _wachten(uow, Inlogrem(), "geheim@swv.example") is None
