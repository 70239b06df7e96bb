"""The register: SWVs, gemeenten, scholen, leerlingen, append-only feiten, projection,
idempotency keys.

Revision ID: 2026_11_23_register
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "2026_11_23_register"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gemeenten",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("naam", sa.String(length=100), nullable=False),
        sa.CheckConstraint("code ~ '^GM[0-9]{4}$'", name=op.f("ck_gemeenten_code_formaat")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gemeenten")),
        sa.UniqueConstraint("code", name=op.f("uq_gemeenten_code")),
    )
    op.create_table(
        "idempotentie_sleutels",
        sa.Column("eigenaar", sa.String(length=100), nullable=False),
        sa.Column("sleutel", sa.String(length=255), nullable=False),
        sa.Column("vingerafdruk", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("body", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("eigenaar", "sleutel", name=op.f("pk_idempotentie_sleutels")),
    )
    op.create_table(
        "samenwerkingsverbanden",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("privacy_modus", sa.String(length=20), nullable=False),
        sa.Column("rechtsgrond", sa.String(length=500), nullable=True),
        sa.Column("beleid", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "privacy_modus = 'gepseudonimiseerd' OR rechtsgrond IS NOT NULL",
            name=op.f("ck_samenwerkingsverbanden_identificatie_vereist_rechtsgrond"),
        ),
        sa.CheckConstraint(
            "privacy_modus IN ('gepseudonimiseerd', 'geidentificeerd')",
            name=op.f("ck_samenwerkingsverbanden_privacy_modus"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_samenwerkingsverbanden")),
        sa.UniqueConstraint("code", name=op.f("uq_samenwerkingsverbanden_code")),
    )
    op.create_table(
        "leerlingen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("pseudoniem", sa.String(length=40), nullable=False),
        sa.Column("geboortejaar", sa.SmallInteger(), nullable=False),
        sa.Column("geboortemaand", sa.SmallInteger(), nullable=False),
        sa.Column("geboortedag", sa.SmallInteger(), nullable=True),
        sa.Column("regio", sa.String(length=6), nullable=False),
        sa.Column("woongemeente_id", sa.Uuid(), nullable=True),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "regio IN ('noord', 'midden', 'zuid')", name=op.f("ck_leerlingen_regio_bekend")
        ),
        sa.CheckConstraint(
            "geboortedag IS NULL OR geboortedag BETWEEN 1 AND 31",
            name=op.f("ck_leerlingen_geboortedag"),
        ),
        sa.CheckConstraint(
            "geboortemaand BETWEEN 1 AND 12", name=op.f("ck_leerlingen_geboortemaand")
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_leerlingen_swv_id_samenwerkingsverbanden"),
        ),
        sa.ForeignKeyConstraint(
            ["woongemeente_id"],
            ["gemeenten.id"],
            name=op.f("fk_leerlingen_woongemeente_id_gemeenten"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leerlingen")),
        sa.UniqueConstraint("swv_id", "pseudoniem", name=op.f("uq_leerlingen_swv_id_pseudoniem")),
    )
    op.create_table(
        "scholen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("brin", sa.String(length=4), nullable=False),
        sa.Column("vestigingsnummer", sa.String(length=2), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("plaats", sa.String(length=100), nullable=False),
        sa.Column("regio", sa.String(length=6), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("brin ~ '^[0-9]{2}[A-Z]{2}$'", name=op.f("ck_scholen_brin_formaat")),
        sa.CheckConstraint(
            "regio IN ('noord', 'midden', 'zuid')", name=op.f("ck_scholen_regio_bekend")
        ),
        sa.CheckConstraint(
            "vestigingsnummer ~ '^[0-9]{2}$'", name=op.f("ck_scholen_vestigingsnummer_formaat")
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_scholen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scholen")),
        sa.UniqueConstraint(
            "swv_id",
            "brin",
            "vestigingsnummer",
            name=op.f("uq_scholen_swv_id_brin_vestigingsnummer"),
        ),
    )
    op.create_table(
        "swv_gemeenten",
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("gemeente_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeenten.id"], name=op.f("fk_swv_gemeenten_gemeente_id_gemeenten")
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_swv_gemeenten_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("swv_id", "gemeente_id", name=op.f("pk_swv_gemeenten")),
    )
    op.create_table(
        "feiten",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("volgnummer", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("geldig_vanaf", sa.Date(), nullable=False),
        sa.Column("geregistreerd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("bron", sa.String(length=100), nullable=False),
        sa.Column("bron_referentie", sa.String(length=200), nullable=True),
        sa.Column("gemeld_door", sa.String(length=100), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["leerling_id"], ["leerlingen.id"], name=op.f("fk_feiten_leerling_id_leerlingen")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["scholen.id"], name=op.f("fk_feiten_school_id_scholen")
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_feiten_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feiten")),
        sa.UniqueConstraint("volgnummer", name=op.f("uq_feiten_volgnummer")),
    )
    op.create_index(
        "ix_feiten_leerling", "feiten", ["leerling_id", "geregistreerd_op"], unique=False
    )
    op.create_index(
        "uq_feiten_bron_referentie",
        "feiten",
        ["swv_id", "bron", "bron_referentie"],
        unique=True,
        postgresql_where="bron_referentie IS NOT NULL",
    )
    op.create_table(
        "leerling_vestigingen",
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["leerling_id"],
            ["leerlingen.id"],
            name=op.f("fk_leerling_vestigingen_leerling_id_leerlingen"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["scholen.id"], name=op.f("fk_leerling_vestigingen_school_id_scholen")
        ),
        sa.PrimaryKeyConstraint("leerling_id", "school_id", name=op.f("pk_leerling_vestigingen")),
    )
    op.create_table(
        "tijdlijn_perioden",
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("volgnummer", sa.SmallInteger(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("categorie", sa.String(length=12), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("einde", sa.Date(), nullable=True),
        sa.Column("regel", sa.String(length=40), nullable=False),
        sa.Column("feit_ids", postgresql.ARRAY(sa.String(length=36)), nullable=False),
        sa.Column("eindreden", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["leerling_id"],
            ["leerlingen.id"],
            name=op.f("fk_tijdlijn_perioden_leerling_id_leerlingen"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_tijdlijn_perioden_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("leerling_id", "volgnummer", name=op.f("pk_tijdlijn_perioden")),
    )
    op.create_index(
        "ix_tijdlijn_perioden_swv_categorie",
        "tijdlijn_perioden",
        ["swv_id", "categorie", "start"],
        unique=False,
    )
    # Facts are never changed or deleted (docs/domain.md regel 15): the database refuses it too.
    op.execute(
        """
        CREATE FUNCTION feiten_alleen_toevoegen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'feiten worden nooit gewijzigd of verwijderd'
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER feiten_alleen_toevoegen BEFORE UPDATE OR DELETE ON feiten "
        "FOR EACH ROW EXECUTE FUNCTION feiten_alleen_toevoegen()"
    )
    op.execute(
        "CREATE TRIGGER feiten_niet_legen BEFORE TRUNCATE ON feiten "
        "FOR EACH STATEMENT EXECUTE FUNCTION feiten_alleen_toevoegen()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER feiten_niet_legen ON feiten")
    op.execute("DROP TRIGGER feiten_alleen_toevoegen ON feiten")
    op.execute("DROP FUNCTION feiten_alleen_toevoegen()")
    op.drop_index("ix_tijdlijn_perioden_swv_categorie", table_name="tijdlijn_perioden")
    op.drop_table("tijdlijn_perioden")
    op.drop_table("leerling_vestigingen")
    op.drop_index(
        "uq_feiten_bron_referentie",
        table_name="feiten",
        postgresql_where="bron_referentie IS NOT NULL",
    )
    op.drop_index("ix_feiten_leerling", table_name="feiten")
    op.drop_table("feiten")
    op.drop_table("swv_gemeenten")
    op.drop_table("scholen")
    op.drop_table("leerlingen")
    op.drop_table("samenwerkingsverbanden")
    op.drop_table("idempotentie_sleutels")
    op.drop_table("gemeenten")
