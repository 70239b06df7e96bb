"""Meldingen and casusregie: meldingen, casussen, their transition history, plans, records,
consents and document metadata; row-level security per SWV as the register tables.

Revision ID: 2026_12_07_meldingen
Revises: 2026_12_07_tlv
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "2026_12_07_meldingen"
down_revision: str | None = "2026_12_07_tlv"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As the other per-SWV tables (2026_11_23_rls): the transaction's SWV, '*' for maintenance.
SWV = "current_setting('app.swv_id', true)"
EIGEN_SWV = f"(swv_id::text = {SWV} OR {SWV} = '*')"
TABELLEN = (
    "meldingen",
    "melding_overgangen",
    "casussen",
    "casus_overgangen",
    "casus_plannen",
    "casus_verslagen",
    "casus_toestemmingen",
    "casus_documenten",
)
HISTORIE = ("melding_overgangen", "casus_overgangen")


def _fk(tabel: str, kolom: str, naar: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([kolom], [f"{naar}.id"], name=op.f(f"fk_{tabel}_{kolom}_{naar}"))


def _overgangen(tabel: str, ouder: str, kolom: str, naam: str) -> None:
    op.create_table(
        tabel,
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column(kolom, sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("van", sa.String(length=20), nullable=True),
        sa.Column("naar", sa.String(length=20), nullable=False),
        sa.Column("actie", sa.String(length=30), nullable=False),
        sa.Column("door", sa.String(length=100), nullable=False),
        sa.Column("rol", sa.String(length=40), nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reden", sa.Text(), nullable=True),
        _fk(tabel, kolom, ouder),
        _fk(tabel, "swv_id", "samenwerkingsverbanden"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{tabel}")),
    )
    op.create_index(f"ix_{tabel}_{naam}", tabel, [kolom, "id"], unique=False)


def upgrade() -> None:
    op.create_table(
        "meldingen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("aard", sa.String(length=20), nullable=True),
        sa.Column("verzuim_begin", sa.Date(), nullable=True),
        sa.Column("verzuim_einde", sa.Date(), nullable=True),
        sa.Column("ouders_geinformeerd_op", sa.Date(), nullable=True),
        sa.Column("gevraagde_acties", postgresql.ARRAY(sa.String(length=30)), nullable=False),
        sa.Column("toelichting", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("bron", sa.String(length=100), nullable=False),
        sa.Column("bron_referentie", sa.String(length=200), nullable=True),
        sa.Column("ingediend_door", sa.String(length=100), nullable=False),
        sa.Column("ingediend_door_rol", sa.String(length=40), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("toegewezen_aan", sa.String(length=100), nullable=True),
        sa.Column("contact_uiterlijk", sa.Date(), nullable=True),
        sa.Column("sluitreden", sa.String(length=40), nullable=True),
        sa.Column("casus_id", sa.Uuid(), nullable=True),
        sa.Column("feit_ids", postgresql.ARRAY(sa.String(length=36)), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        _fk("meldingen", "swv_id", "samenwerkingsverbanden"),
        _fk("meldingen", "leerling_id", "leerlingen"),
        _fk("meldingen", "school_id", "scholen"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meldingen")),
    )
    op.create_index(
        "ix_meldingen_swv_status", "meldingen", ["swv_id", "status", "ontvangen_op"], unique=False
    )
    op.create_index("ix_meldingen_leerling", "meldingen", ["leerling_id"], unique=False)
    op.create_index(
        "uq_meldingen_bron_referentie",
        "meldingen",
        ["swv_id", "bron", "bron_referentie"],
        unique=True,
        postgresql_where="bron_referentie IS NOT NULL",
    )
    _overgangen("melding_overgangen", "meldingen", "melding_id", "melding")
    op.create_table(
        "casussen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("melding_id", sa.Uuid(), nullable=True),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("coordinatie", sa.String(length=20), nullable=False),
        sa.Column("coordinator", sa.String(length=100), nullable=True),
        sa.Column("vertrouwensbreuk", sa.Boolean(), nullable=False),
        sa.Column("mediator", sa.String(length=100), nullable=True),
        sa.Column("scenario", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("sluitreden", sa.String(length=40), nullable=True),
        sa.Column("geopend_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("plan_sinds", sa.Date(), nullable=True),
        sa.Column("laatste_evaluatie", sa.Date(), nullable=True),
        sa.Column("laatste_contact_ouders", sa.Date(), nullable=True),
        sa.Column("bron", sa.String(length=100), nullable=False),
        sa.Column("bron_referentie", sa.String(length=200), nullable=True),
        sa.Column("versie", sa.Integer(), nullable=False),
        _fk("casussen", "swv_id", "samenwerkingsverbanden"),
        _fk("casussen", "leerling_id", "leerlingen"),
        _fk("casussen", "melding_id", "meldingen"),
        _fk("casussen", "school_id", "scholen"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casussen")),
    )
    op.create_index("ix_casussen_swv_status", "casussen", ["swv_id", "status"], unique=False)
    op.create_index("ix_casussen_leerling", "casussen", ["leerling_id"], unique=False)
    op.create_index(
        "uq_casussen_bron_referentie",
        "casussen",
        ["swv_id", "bron", "bron_referentie"],
        unique=True,
        postgresql_where="bron_referentie IS NOT NULL",
    )
    _overgangen("casus_overgangen", "casussen", "casus_id", "casus")
    op.create_table(
        "casus_plannen",
        sa.Column("casus_id", sa.Uuid(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("doel", sa.Text(), nullable=False),
        sa.Column("acties", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("vastgesteld_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("door", sa.String(length=100), nullable=False),
        _fk("casus_plannen", "casus_id", "casussen"),
        _fk("casus_plannen", "swv_id", "samenwerkingsverbanden"),
        sa.PrimaryKeyConstraint("casus_id", "versie", name=op.f("pk_casus_plannen")),
    )
    op.create_table(
        "casus_verslagen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("gegevens", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("door", sa.String(length=100), nullable=False),
        sa.Column("vastgelegd_op", sa.DateTime(timezone=True), nullable=False),
        _fk("casus_verslagen", "casus_id", "casussen"),
        _fk("casus_verslagen", "swv_id", "samenwerkingsverbanden"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casus_verslagen")),
    )
    op.create_index(
        "ix_casus_verslagen_casus", "casus_verslagen", ["casus_id", "soort", "datum"], unique=False
    )
    op.create_table(
        "casus_toestemmingen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("gegeven_op", sa.Date(), nullable=False),
        sa.Column("geldig_tot", sa.Date(), nullable=True),
        sa.Column("ingetrokken_op", sa.Date(), nullable=True),
        sa.Column("door", sa.String(length=100), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        _fk("casus_toestemmingen", "casus_id", "casussen"),
        _fk("casus_toestemmingen", "swv_id", "samenwerkingsverbanden"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casus_toestemmingen")),
    )
    op.create_table(
        "casus_documenten",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("titel", sa.String(length=200), nullable=False),
        sa.Column("referentie", sa.String(length=300), nullable=False),
        sa.Column("vastgelegd_door", sa.String(length=100), nullable=False),
        sa.Column("vastgelegd_door_rol", sa.String(length=40), nullable=False),
        sa.Column("vastgelegd_op", sa.DateTime(timezone=True), nullable=False),
        _fk("casus_documenten", "casus_id", "casussen"),
        _fk("casus_documenten", "swv_id", "samenwerkingsverbanden"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casus_documenten")),
    )
    for tabel in TABELLEN:
        op.execute(f"ALTER TABLE {tabel} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {tabel} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY swv_scheiding ON {tabel} USING {EIGEN_SWV} WITH CHECK {EIGEN_SWV}"
        )
    # Transition history is append-only: the current state is its projection (no UPDATE or
    # DELETE, except blanking the reason's free text on anonymisation).
    op.execute(
        """
        CREATE FUNCTION overgang_alleen_toevoegen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND current_setting('app.anonimiseren', true) = 'aan'
               AND NEW.id = OLD.id AND NEW.naar = OLD.naar AND NEW.op = OLD.op THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'de geschiedenis van een workflow wordt nooit gewijzigd'
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$
        """
    )
    for tabel in HISTORIE:
        op.execute(
            f"CREATE TRIGGER alleen_toevoegen BEFORE UPDATE OR DELETE ON {tabel} "
            "FOR EACH ROW EXECUTE FUNCTION overgang_alleen_toevoegen()"
        )


def downgrade() -> None:
    for tabel in HISTORIE:
        op.execute(f"DROP TRIGGER alleen_toevoegen ON {tabel}")
    op.execute("DROP FUNCTION overgang_alleen_toevoegen()")
    for tabel in TABELLEN:
        op.execute(f"DROP POLICY swv_scheiding ON {tabel}")
    op.drop_table("casus_documenten")
    op.drop_table("casus_toestemmingen")
    op.drop_index("ix_casus_verslagen_casus", table_name="casus_verslagen")
    op.drop_table("casus_verslagen")
    op.drop_table("casus_plannen")
    op.drop_index("ix_casus_overgangen_casus", table_name="casus_overgangen")
    op.drop_table("casus_overgangen")
    op.drop_index("uq_casussen_bron_referentie", table_name="casussen")
    op.drop_index("ix_casussen_leerling", table_name="casussen")
    op.drop_index("ix_casussen_swv_status", table_name="casussen")
    op.drop_table("casussen")
    op.drop_index("ix_melding_overgangen_melding", table_name="melding_overgangen")
    op.drop_table("melding_overgangen")
    op.drop_index("uq_meldingen_bron_referentie", table_name="meldingen")
    op.drop_index("ix_meldingen_leerling", table_name="meldingen")
    op.drop_index("ix_meldingen_swv_status", table_name="meldingen")
    op.drop_table("meldingen")
