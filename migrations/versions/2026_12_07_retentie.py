"""Anonymisation may only blank: the facts table lets an anonymising transaction empty the
free-text fields and the source reference of an anonymised child's facts, and nothing else
(AVG art. 5 lid 1 sub e; docs/privacy.md, docs/decisions/0033-retentie-houdt-het-verleden.md).

Revision ID: 2026_12_07_retentie
Revises: 2026_12_07_leerplichtleveringen
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "2026_12_07_retentie"
down_revision: str | None = "2026_12_07_leerplichtleveringen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# True when `nieuw` is `oud` with only free-text strings emptied, also inside a nested fact
# (a correction's replacement): same keys, every other value identical.
ALLEEN_GELEEGD = """
CREATE FUNCTION feiten_alleen_geleegd(oud jsonb, nieuw jsonb) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    sleutel text;
    o jsonb;
    n jsonb;
BEGIN
    IF jsonb_typeof(oud) <> 'object' OR jsonb_typeof(nieuw) <> 'object' THEN
        RETURN false;
    END IF;
    IF (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(oud) AS k)
       IS DISTINCT FROM (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(nieuw) AS k) THEN
        RETURN false;
    END IF;
    FOR sleutel, o IN SELECT key, value FROM jsonb_each(oud) LOOP
        n := nieuw -> sleutel;
        CONTINUE WHEN o = n;
        CONTINUE WHEN sleutel IN (
            'toelichting', 'reden', 'voorziening', 'melder', 'klas', 'niveau', 'gemeente',
            'organisatie'
        )
            AND jsonb_typeof(o) = 'string' AND n = '""'::jsonb;
        CONTINUE WHEN jsonb_typeof(o) = 'object' AND feiten_alleen_geleegd(o, n);
        RETURN false;
    END LOOP;
    RETURN true;
END;
$$
"""

NAUW = """
CREATE OR REPLACE FUNCTION feiten_alleen_toevoegen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('app.anonimiseren', true) = 'aan'
       AND EXISTS (
           SELECT 1 FROM leerlingen l
           WHERE l.id = OLD.leerling_id AND l.geanonimiseerd_op IS NOT NULL
       )
       AND (to_jsonb(NEW) - 'payload' - 'bron_referentie')
           = (to_jsonb(OLD) - 'payload' - 'bron_referentie')
       AND (NEW.bron_referentie IS NULL
            OR NEW.bron_referentie IS NOT DISTINCT FROM OLD.bron_referentie)
       AND feiten_alleen_geleegd(OLD.payload, NEW.payload) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'feiten worden nooit gewijzigd of verwijderd'
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""

RUIM = """
CREATE OR REPLACE FUNCTION feiten_alleen_toevoegen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('app.anonimiseren', true) = 'aan'
       AND NEW.id = OLD.id AND NEW.leerling_id = OLD.leerling_id
       AND NEW.swv_id = OLD.swv_id AND NEW.soort = OLD.soort
       AND NEW.geldig_vanaf = OLD.geldig_vanaf
       AND NEW.geregistreerd_op = OLD.geregistreerd_op THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'feiten worden nooit gewijzigd of verwijderd'
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


def upgrade() -> None:
    op.execute(ALLEEN_GELEEGD)
    op.execute(NAUW)


def downgrade() -> None:
    op.execute(RUIM)
    op.execute("DROP FUNCTION feiten_alleen_geleegd(jsonb, jsonb)")
