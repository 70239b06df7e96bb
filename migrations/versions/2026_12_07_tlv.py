"""TLVs, their plaatsingschecks and the append-only history of their transitions, per SWV
(row-level security), the history immutable (trigger), docs/tlv.md.

Revision ID: 2026_12_07_tlv
Revises: 2026_12_07_escalaties
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_07_tlv"
down_revision: str | None = "2026_12_07_escalaties"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As the other per-SWV tables (2026_11_23_rls): the transaction's SWV, '*' for maintenance.
SWV = "current_setting('app.swv_id', true)"
EIGEN_SWV = f"(swv_id::text = {SWV} OR {SWV} = '*')"
TABELLEN = ("tlvs", "plaatsingschecks", "tlv_overgangen")


def _fk(tabel: str, kolom: str, doel: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([kolom], [f"{doel}.id"], name=op.f(f"fk_{tabel}_{kolom}_{doel}"))


def upgrade() -> None:
    op.create_table(
        "tlvs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("afgegeven_op", sa.Date(), nullable=False),
        sa.Column("onderwijssoort", sa.String(length=3), nullable=False),
        sa.Column("categorie", sa.String(length=6), nullable=True),
        sa.Column("geldig_tot", sa.Date(), nullable=True),
        sa.Column("school_herkomst_id", sa.Uuid(), nullable=True),
        sa.Column("school_beoogd_id", sa.Uuid(), nullable=True),
        sa.Column("staat", sa.String(length=20), nullable=False),
        sa.Column("volgende_check", sa.Date(), nullable=True),
        sa.Column("plaatsingsdatum", sa.Date(), nullable=True),
        sa.Column("geplaatst_bij_id", sa.Uuid(), nullable=True),
        sa.Column("plaatsing_ingevoerd_op", sa.Date(), nullable=True),
        sa.Column("geen_onderwijs_sinds", sa.Date(), nullable=True),
        sa.Column("intrekkingsreden", sa.Text(), nullable=True),
        sa.Column("feit_id", sa.Uuid(), nullable=True),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column("bron", sa.String(length=100), nullable=False),
        sa.Column("bron_referentie", sa.String(length=200), nullable=True),
        sa.Column("aangemaakt_door", sa.String(length=100), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        _fk("tlvs", "swv_id", "samenwerkingsverbanden"),
        _fk("tlvs", "leerling_id", "leerlingen"),
        _fk("tlvs", "school_herkomst_id", "scholen"),
        _fk("tlvs", "school_beoogd_id", "scholen"),
        _fk("tlvs", "geplaatst_bij_id", "scholen"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tlvs")),
    )
    op.create_index("ix_tlvs_leerling", "tlvs", ["leerling_id", "afgegeven_op"], unique=False)
    op.create_index(
        "ix_tlvs_swv_volgende_check",
        "tlvs",
        ["swv_id", "volgende_check"],
        unique=False,
        postgresql_where="volgende_check IS NOT NULL",
    )
    op.create_index(
        "uq_tlvs_bron_referentie",
        "tlvs",
        ["swv_id", "bron", "bron_referentie"],
        unique=True,
        postgresql_where="bron_referentie IS NOT NULL",
    )
    op.create_table(
        "plaatsingschecks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tlv_id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("gecontroleerd_op", sa.Date(), nullable=False),
        sa.Column("oude_school_gesproken", sa.Boolean(), nullable=False),
        sa.Column("nieuwe_school_gesproken", sa.Boolean(), nullable=False),
        sa.Column("uitkomst", sa.String(length=30), nullable=False),
        sa.Column("datum", sa.Date(), nullable=True),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("feit_id", sa.Uuid(), nullable=True),
        sa.Column("bron", sa.String(length=100), nullable=False),
        sa.Column("bron_referentie", sa.String(length=200), nullable=True),
        sa.Column("door", sa.String(length=100), nullable=False),
        sa.Column("geregistreerd_op", sa.DateTime(timezone=True), nullable=False),
        _fk("plaatsingschecks", "tlv_id", "tlvs"),
        _fk("plaatsingschecks", "swv_id", "samenwerkingsverbanden"),
        _fk("plaatsingschecks", "leerling_id", "leerlingen"),
        _fk("plaatsingschecks", "school_id", "scholen"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plaatsingschecks")),
    )
    op.create_index(
        "ix_plaatsingschecks_tlv",
        "plaatsingschecks",
        ["tlv_id", "geregistreerd_op"],
        unique=False,
    )
    op.create_index(
        "uq_plaatsingschecks_bron_referentie",
        "plaatsingschecks",
        ["swv_id", "bron", "bron_referentie"],
        unique=True,
        postgresql_where="bron_referentie IS NOT NULL",
    )
    op.create_table(
        "tlv_overgangen",
        sa.Column("volgnummer", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("tlv_id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("van", sa.String(length=20), nullable=True),
        sa.Column("naar", sa.String(length=20), nullable=False),
        sa.Column("gebeurtenis", sa.String(length=30), nullable=False),
        sa.Column("rol", sa.String(length=40), nullable=False),
        sa.Column("door", sa.String(length=100), nullable=False),
        sa.Column("geregistreerd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("datum", sa.Date(), nullable=True),
        sa.Column("volgende_check", sa.Date(), nullable=True),
        sa.Column("check_id", sa.Uuid(), nullable=True),
        _fk("tlv_overgangen", "tlv_id", "tlvs"),
        _fk("tlv_overgangen", "swv_id", "samenwerkingsverbanden"),
        _fk("tlv_overgangen", "check_id", "plaatsingschecks"),
        sa.PrimaryKeyConstraint("volgnummer", name=op.f("pk_tlv_overgangen")),
    )
    op.create_index(
        "ix_tlv_overgangen_tlv", "tlv_overgangen", ["tlv_id", "volgnummer"], unique=False
    )
    op.execute(
        """
        CREATE FUNCTION tlv_overgangen_alleen_toevoegen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'de geschiedenis van een TLV wordt nooit gewijzigd of verwijderd'
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER tlv_overgangen_alleen_toevoegen BEFORE UPDATE OR DELETE "
        "ON tlv_overgangen FOR EACH ROW EXECUTE FUNCTION tlv_overgangen_alleen_toevoegen()"
    )
    op.execute(
        "CREATE TRIGGER tlv_overgangen_niet_legen BEFORE TRUNCATE ON tlv_overgangen "
        "FOR EACH STATEMENT EXECUTE FUNCTION tlv_overgangen_alleen_toevoegen()"
    )
    for tabel in TABELLEN:
        op.execute(f"ALTER TABLE {tabel} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {tabel} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY swv_scheiding ON {tabel} USING {EIGEN_SWV} WITH CHECK {EIGEN_SWV}"
        )


def downgrade() -> None:
    for tabel in TABELLEN:
        op.execute(f"DROP POLICY swv_scheiding ON {tabel}")
    op.execute("DROP TRIGGER tlv_overgangen_niet_legen ON tlv_overgangen")
    op.execute("DROP TRIGGER tlv_overgangen_alleen_toevoegen ON tlv_overgangen")
    op.execute("DROP FUNCTION tlv_overgangen_alleen_toevoegen()")
    op.drop_index("ix_tlv_overgangen_tlv", table_name="tlv_overgangen")
    op.drop_table("tlv_overgangen")
    op.drop_index("uq_plaatsingschecks_bron_referentie", table_name="plaatsingschecks")
    op.drop_index("ix_plaatsingschecks_tlv", table_name="plaatsingschecks")
    op.drop_table("plaatsingschecks")
    op.drop_index("uq_tlvs_bron_referentie", table_name="tlvs")
    op.drop_index("ix_tlvs_swv_volgende_check", table_name="tlvs")
    op.drop_index("ix_tlvs_leerling", table_name="tlvs")
    op.drop_table("tlvs")
