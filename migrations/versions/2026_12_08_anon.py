"""Anonymisation may no longer blank the youth-care organisation: `organisatie` of a `jeugdhulp`
fact is a name from the SWV's closed list (regel 18) that fills the Inspectie register's
"Betrokken jeugdhulp", so the facts table refuses any change to it, also in an anonymising
transaction (AVG art. 5 lid 1 sub d; docs/decisions/0046, "Kenmerken"). No other kind of fact has
a field `organisatie`.

Revision ID: 2026_12_08_anon
Revises: 2026_12_07_sso
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from alembic import op

revision: str = "2026_12_08_anon"
down_revision: str | None = "2026_12_07_sso"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# `feiten_alleen_geleegd` of 2026_12_07_retentie with the list of blankable fields as given.
ALLEEN_GELEEGD = """
CREATE OR REPLACE FUNCTION feiten_alleen_geleegd(oud jsonb, nieuw jsonb) RETURNS boolean
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
        CONTINUE WHEN sleutel IN ({velden})
            AND jsonb_typeof(o) = 'string' AND n = '""'::jsonb;
        CONTINUE WHEN jsonb_typeof(o) = 'object' AND feiten_alleen_geleegd(o, n);
        RETURN false;
    END LOOP;
    RETURN true;
END;
$$
"""

VRIJE_TEKST = ("toelichting", "reden", "voorziening", "melder", "klas", "niveau", "gemeente")
"""The payload fields an anonymising transaction may empty (app/services/privacy.py)."""


def _functie(velden: Sequence[str]) -> str:
    return ALLEEN_GELEEGD.replace("{velden}", ", ".join(f"'{v}'" for v in velden))


def upgrade() -> None:
    op.execute(_functie(VRIJE_TEKST))


def downgrade() -> None:
    op.execute(_functie((*VRIJE_TEKST, "organisatie")))
