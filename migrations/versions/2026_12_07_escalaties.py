"""Escalations (doorzettingskracht → doorzettingsmacht, docs/escalaties.md) and their history:
append-only, row-level security per SWV as the register tables (2026_11_23_rls).

Revision ID: 2026_12_07_escalaties
Revises: 2026_12_07_integriteit
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "2026_12_07_escalaties"
down_revision: str | None = "2026_12_07_integriteit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SWV = "current_setting('app.swv_id', true)"
EIGEN_SWV = f"(swv_id::text = {SWV} OR {SWV} = '*')"
TABELLEN = ("escalaties", "escalatie_stappen")


def upgrade() -> None:
    op.create_table(
        "escalaties",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("casus_id", sa.Uuid(), nullable=True),
        sa.Column("aanleiding", sa.String(length=40), nullable=False),
        sa.Column("geopend_op", sa.Date(), nullable=False),
        sa.Column("geregistreerd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geopend_door", sa.String(length=100), nullable=False),
        sa.Column("bron", sa.String(length=100), nullable=False),
        sa.Column("bron_referentie", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["leerling_id"], ["leerlingen.id"], name=op.f("fk_escalaties_leerling_id_leerlingen")
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_escalaties_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalaties")),
    )
    op.create_index(
        "ix_escalaties_swv_leerling", "escalaties", ["swv_id", "leerling_id"], unique=False
    )
    op.create_index(
        "uq_escalaties_bron_referentie",
        "escalaties",
        ["swv_id", "bron", "bron_referentie"],
        unique=True,
        postgresql_where="bron_referentie IS NOT NULL",
    )
    op.create_table(
        "escalatie_stappen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("escalatie_id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("van_status", sa.String(length=40), nullable=True),
        sa.Column("naar_status", sa.String(length=40), nullable=False),
        sa.Column("geregistreerd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.String(length=100), nullable=False),
        sa.Column("actor_rol", sa.String(length=40), nullable=False),
        sa.Column("gegevens", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("toelichting", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("bron_referentie", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["escalatie_id"],
            ["escalaties.id"],
            name=op.f("fk_escalatie_stappen_escalatie_id_escalaties"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_escalatie_stappen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalatie_stappen")),
        sa.UniqueConstraint(
            "escalatie_id", "volgnummer", name=op.f("uq_escalatie_stappen_escalatie_id_volgnummer")
        ),
    )
    op.create_index(
        "uq_escalatie_stappen_bron_referentie",
        "escalatie_stappen",
        ["escalatie_id", "bron_referentie"],
        unique=True,
        postgresql_where="bron_referentie IS NOT NULL",
    )
    for tabel in TABELLEN:
        op.execute(f"ALTER TABLE {tabel} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {tabel} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY swv_scheiding ON {tabel} USING {EIGEN_SWV} WITH CHECK {EIGEN_SWV}"
        )
    # History is kept: an escalation and its steps are never changed or deleted. Anonymisation
    # after the retention period may blank a step's free text and the source references,
    # nothing else. (Nested IFs: a record field is only looked up on its own table.)
    op.execute(
        """
        CREATE FUNCTION escalaties_alleen_toevoegen() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND current_setting('app.anonimiseren', true) = 'aan' THEN
                IF TG_TABLE_NAME = 'escalatie_stappen' THEN
                    IF NEW.id = OLD.id AND NEW.escalatie_id = OLD.escalatie_id
                       AND NEW.swv_id = OLD.swv_id AND NEW.volgnummer = OLD.volgnummer
                       AND NEW.soort = OLD.soort AND NEW.datum = OLD.datum
                       AND NEW.van_status IS NOT DISTINCT FROM OLD.van_status
                       AND NEW.naar_status = OLD.naar_status
                       AND NEW.geregistreerd_op = OLD.geregistreerd_op
                       AND NEW.actor_id = OLD.actor_id AND NEW.actor_rol = OLD.actor_rol
                       AND NEW.gegevens = OLD.gegevens THEN
                        RETURN NEW;
                    END IF;
                ELSIF NEW.id = OLD.id AND NEW.swv_id = OLD.swv_id
                      AND NEW.leerling_id = OLD.leerling_id
                      AND NEW.casus_id IS NOT DISTINCT FROM OLD.casus_id
                      AND NEW.aanleiding = OLD.aanleiding AND NEW.geopend_op = OLD.geopend_op
                      AND NEW.geregistreerd_op = OLD.geregistreerd_op
                      AND NEW.geopend_door = OLD.geopend_door AND NEW.bron = OLD.bron THEN
                    RETURN NEW;
                END IF;
            END IF;
            RAISE EXCEPTION 'escalaties en hun stappen worden nooit gewijzigd of verwijderd'
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$
        """
    )
    for tabel in TABELLEN:
        op.execute(
            f"CREATE TRIGGER {tabel}_alleen_toevoegen BEFORE UPDATE OR DELETE ON {tabel} "
            "FOR EACH ROW EXECUTE FUNCTION escalaties_alleen_toevoegen()"
        )
        op.execute(
            f"CREATE TRIGGER {tabel}_niet_legen BEFORE TRUNCATE ON {tabel} "
            "FOR EACH STATEMENT EXECUTE FUNCTION escalaties_alleen_toevoegen()"
        )


def downgrade() -> None:
    for tabel in reversed(TABELLEN):
        op.execute(f"DROP TRIGGER {tabel}_niet_legen ON {tabel}")
        op.execute(f"DROP TRIGGER {tabel}_alleen_toevoegen ON {tabel}")
        op.execute(f"DROP POLICY swv_scheiding ON {tabel}")
    op.execute("DROP FUNCTION escalaties_alleen_toevoegen()")
    op.drop_index(
        "uq_escalatie_stappen_bron_referentie",
        table_name="escalatie_stappen",
        postgresql_where="bron_referentie IS NOT NULL",
    )
    op.drop_table("escalatie_stappen")
    op.drop_index(
        "uq_escalaties_bron_referentie",
        table_name="escalaties",
        postgresql_where="bron_referentie IS NOT NULL",
    )
    op.drop_index("ix_escalaties_swv_leerling", table_name="escalaties")
    op.drop_table("escalaties")
