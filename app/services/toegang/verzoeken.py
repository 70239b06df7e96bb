"""Login throttling: failures counted per account, per account and address together, and per
address, in PostgreSQL (shared by every worker and instance), with exponential back-off.

Time comes in as `nu` (unix seconds). Keys are stored as SHA-256 hashes: the table holds no
account names or addresses. One address may carry a whole school or every user behind a reverse
proxy, so the address alone gets far more room than an account: failures on one account never
throttle another account (NIST SP 800-63B §5.2.2 limits failures per account).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from app.db.session import UnitOfWork


@dataclass(frozen=True, slots=True)
class Rembeleid:
    """How many failures are free within the window, and how the wait grows after that."""

    vrije_pogingen: int = 5
    venster_seconden: float = 15 * 60
    maximum_wachttijd: float = 15 * 60

    def __post_init__(self) -> None:
        if self.vrije_pogingen < 1 or self.venster_seconden <= 0 or self.maximum_wachttijd <= 0:
            raise ValueError("vrije_pogingen, venster en maximum moeten positief zijn")

    def wachttijd(self, mislukt: int) -> float:
        """Seconds to wait after the last failure: 0, then 2, 4, 8, ... up to the maximum."""
        if mislukt < self.vrije_pogingen:
            return 0.0
        exponent = mislukt - self.vrije_pogingen + 1
        # Past 2**20 s the cap has long been reached; the bound keeps the power small.
        return float(min(self.maximum_wachttijd, 2 ** min(exponent, 20)))


VENSTER_SECONDEN = 15 * 60


class Inlogrem:
    """Throttles logins per account, per account and address, and per address (in the database)."""

    def __init__(
        self,
        *,
        per_paar: Rembeleid | None = None,
        per_account: Rembeleid | None = None,
        per_adres: Rembeleid | None = None,
    ) -> None:
        # One guesser at one account from one address: throttled first.
        self._paar = per_paar or Rembeleid(vrije_pogingen=5)
        # Guessing one account from many addresses.
        self._account = per_account or Rembeleid(vrije_pogingen=20)
        # Spraying over many accounts from one address; a proxy or a school's NAT carries many
        # people, so this is the widest.
        self._adres = per_adres or Rembeleid(vrije_pogingen=100)
        for beleid in (self._paar, self._account, self._adres):
            if beleid.venster_seconden != VENSTER_SECONDEN:
                raise ValueError("alle remmen delen één venster")

    @staticmethod
    def _sleutels(account: str, adres: str) -> dict[str, str]:
        # Keyed on the name as typed (normalised), whether or not the account exists, so the
        # throttle answers an unknown user exactly as a known one.
        naam = account.strip().casefold()

        def h(tekst: str) -> str:
            return hashlib.sha256(tekst.encode()).hexdigest()

        return {
            "paar": h(f"paar\0{naam}\0{adres}"),
            "account": h(f"account\0{naam}"),
            "adres": h(f"adres\0{adres}"),
        }

    def _beleid(self, soort: str) -> Rembeleid:
        return {"paar": self._paar, "account": self._account}.get(soort, self._adres)

    async def mag_proberen(
        self, uow: UnitOfWork, account: str, adres: str, nu: float
    ) -> float | None:
        """Return the longest wait of the three counts, or None when allowed now."""
        sleutels = self._sleutels(account, adres)
        grens = datetime.fromtimestamp(nu - VENSTER_SECONDEN, UTC)
        rijen = await uow.toegang.mislukte_pogingen(list(sleutels.values()), grens)
        wachten: list[float] = []
        for soort, sleutel in sleutels.items():
            rij = rijen.get(sleutel)
            if rij is None:
                continue
            resterend = rij.laatste.timestamp() + self._beleid(soort).wachttijd(rij.mislukt) - nu
            if resterend > 0:
                wachten.append(resterend)
        return max(wachten) if wachten else None

    async def registreer(
        self, uow: UnitOfWork, account: str, adres: str, gelukt: bool, nu: float
    ) -> None:
        """Record a login in the caller's transaction; a success clears the account's counts
        but not the address's (one valid account must not reset a sprayer's count)."""
        sleutels = self._sleutels(account, adres)
        if gelukt:
            await uow.toegang.wis_pogingen([sleutels["paar"], sleutels["account"]])
            return
        await uow.toegang.tel_mislukt(
            list(sleutels.values()),
            datetime.fromtimestamp(nu, UTC),
            datetime.fromtimestamp(nu - VENSTER_SECONDEN, UTC),
        )
