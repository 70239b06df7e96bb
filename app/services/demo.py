"""The synthetic demo data set of `make run` (no real person or school in it)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.db.scholen import SchoolRow
from app.db.session import UnitOfWork

# Fictitious vestigingen: BRIN codes in the 99xx range are not issued to real schools here.
DEMO_SCHOLEN = [
    ("99AA", "00", "Demo Lyceum De Horizon", "Groningen", "noord"),
    ("99AA", "01", "Demo Lyceum De Horizon, locatie Oost", "Groningen", "noord"),
    ("99AB", "00", "Demo Basisschool Het Kompas", "Utrecht", "midden"),
    ("99AC", "00", "Demo SO/VSO De Brug", "Eindhoven", "zuid"),
]


async def laad_demodata(uow: UnitOfWork) -> None:
    """Load the demo set once: a database that already has schools is left alone."""
    async with uow:
        existing = await uow.session.scalar(select(func.count()).select_from(SchoolRow))
        if existing:
            return
        for brin, vestiging, naam, plaats, regio in DEMO_SCHOLEN:
            uow.session.add(
                SchoolRow(
                    brin=brin, vestigingsnummer=vestiging, naam=naam, plaats=plaats, regio=regio
                )
            )
        await uow.commit()
