"""Every ORM model, imported so that `Base.metadata` is complete (Alembic, tests)."""

from __future__ import annotations


def import_all_models() -> None:
    """Import each table module once; their classes register on `Base.metadata`."""
    import app.db.audit
    import app.db.casussen
    import app.db.escalaties
    import app.db.idempotentie
    import app.db.leerlingen
    import app.db.leerplichtleveringen
    import app.db.meldingen
    import app.db.monitor
    import app.db.notificaties
    import app.db.organisaties
    import app.db.rapportage
    import app.db.scholen
    import app.db.schoolvakanties
    import app.db.sso
    import app.db.taken
    import app.db.tlv
    import app.db.toegang  # noqa: F401
