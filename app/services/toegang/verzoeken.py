"""Login throttling: a sliding window of failures per key, with exponential back-off.

Pure and in memory: time comes in as `nu` (unix seconds). One process only; with several
workers or instances each keeps its own counts, so a deployment with more than one worker
must keep these counts in the database (or another shared store) instead.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rembeleid:
    """How many failures are free within the window, and how the wait grows after that."""

    vrije_pogingen: int = 5
    venster_seconden: float = 15 * 60
    maximum_wachttijd: float = 15 * 60
    # Bounds memory: an attacker can invent any number of account names.
    maximum_sleutels: int = 100_000

    def __post_init__(self) -> None:
        if self.vrije_pogingen < 1 or self.venster_seconden <= 0 or self.maximum_wachttijd <= 0:
            raise ValueError("vrije_pogingen, venster en maximum moeten positief zijn")
        if self.maximum_sleutels < 1:
            raise ValueError("maximum_sleutels moet positief zijn")

    def wachttijd(self, mislukt: int) -> float:
        """Seconds to wait after the last failure: 0, then 2, 4, 8, ... up to the maximum."""
        if mislukt < self.vrije_pogingen:
            return 0.0
        exponent = mislukt - self.vrije_pogingen + 1
        # Past 2**20 s the cap has long been reached; the bound keeps the power small.
        return float(min(self.maximum_wachttijd, 2 ** min(exponent, 20)))


class Rem:
    """Failures per key (an account name or a client address) in a sliding window."""

    def __init__(self, beleid: Rembeleid | None = None) -> None:
        self._beleid = beleid or Rembeleid()
        self._mislukt: dict[Hashable, deque[float]] = {}
        # Enough to reach the maximum wait; older failures add nothing.
        self._bewaard = self._beleid.vrije_pogingen + 21
        self._laatst_opgeruimd = float("-inf")

    def _recent(self, sleutel: Hashable, nu: float) -> deque[float] | None:
        tijden = self._mislukt.get(sleutel)
        if tijden is None:
            return None
        grens = nu - self._beleid.venster_seconden
        while tijden and tijden[0] <= grens:
            tijden.popleft()
        if not tijden:
            del self._mislukt[sleutel]
            return None
        return tijden

    def mag_proberen(self, sleutel: Hashable, nu: float) -> float | None:
        """Return the seconds still to wait before the next attempt, or None when allowed now."""
        tijden = self._recent(sleutel, nu)
        if tijden is None:
            return None
        resterend = tijden[-1] + self._beleid.wachttijd(len(tijden)) - nu
        return resterend if resterend > 0 else None

    def registreer(self, sleutel: Hashable, gelukt: bool, nu: float) -> None:
        """Record an attempt: a failure counts in the window, a success clears the key."""
        if gelukt:
            self._mislukt.pop(sleutel, None)
            return
        tijden = self._recent(sleutel, nu)
        if tijden is None:
            if len(self._mislukt) >= self._beleid.maximum_sleutels:
                self._maak_ruimte(nu)
            tijden = deque(maxlen=self._bewaard)
        else:
            # Move to the end: the dict's order is then least recently failed first.
            del self._mislukt[sleutel]
        self._mislukt[sleutel] = tijden
        tijden.append(nu)

    def _maak_ruimte(self, nu: float) -> None:
        # A full sweep at most once per window: a flood of new names costs O(1) each, amortised.
        if nu - self._laatst_opgeruimd >= self._beleid.venster_seconden:
            self.opruimen(nu)
        if len(self._mislukt) >= self._beleid.maximum_sleutels:
            # Still full of live keys: forget the least recently failed one. Losing a count is
            # better than running out of memory, and the address count still holds.
            del self._mislukt[next(iter(self._mislukt))]

    def opruimen(self, nu: float) -> None:
        """Forget every key without failures inside the window."""
        self._laatst_opgeruimd = nu
        for sleutel in list(self._mislukt):
            self._recent(sleutel, nu)

    def __len__(self) -> int:
        return len(self._mislukt)


class Inlogrem:
    """Throttles logins per account name and per client address together."""

    def __init__(
        self,
        *,
        per_account: Rembeleid | None = None,
        per_adres: Rembeleid | None = None,
    ) -> None:
        self._accounts = Rem(per_account or Rembeleid())
        # An address may carry many people (a school behind one NAT), so it gets more room.
        self._adressen = Rem(per_adres or Rembeleid(vrije_pogingen=20))

    @staticmethod
    def _account(naam: str) -> str:
        # Keyed on the name as typed (normalised), whether or not the account exists, so the
        # throttle answers an unknown user exactly as a known one.
        return naam.strip().casefold()

    def mag_proberen(self, account: str, adres: str, nu: float) -> float | None:
        """Return the longest wait of the account and the address, or None when allowed now."""
        wachten = [
            w
            for w in (
                self._accounts.mag_proberen(self._account(account), nu),
                self._adressen.mag_proberen(adres, nu),
            )
            if w is not None
        ]
        return max(wachten) if wachten else None

    def registreer(self, account: str, adres: str, gelukt: bool, nu: float) -> None:
        """Record a login; a success clears the account but not the address."""
        self._accounts.registreer(self._account(account), gelukt, nu)
        # One valid account of their own must not let an attacker reset the address count
        # between guesses at other accounts.
        if not gelukt:
            self._adressen.registreer(adres, False, nu)
