"""Leerplicht deliveries in bulk: deliveries, their items and staged facts, the match of
leerplicht's references to children, the last delivered situations, koppelvoorstellen and their
history. Row-level security per SWV on every table, as the register's (2026_11_23_rls).

Revision ID: 2026_12_07_leerplichtleveringen
Revises: 2026_12_07_taken
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "2026_12_07_leerplichtleveringen"
down_revision: str | None = "2026_12_07_taken"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As the other per-SWV tables (2026_11_23_rls): the transaction's SWV, '*' for maintenance.
SWV = "current_setting('app.swv_id', true)"
EIGEN_SWV = f"(swv_id::text = {SWV} OR {SWV} = '*')"
TABELLEN = (
    "leerplicht_leveringen",
    "leerplicht_levering_items",
    "leerplicht_levering_feiten",
    "leerplicht_koppelingen",
    "leerplicht_standen",
    "leerplicht_koppelvoorstellen",
    "leerplicht_koppelvoorstel_historie",
)


def upgrade() -> None:
    op.create_table(
        "leerplicht_leveringen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("bron", sa.String(length=100), nullable=False),
        sa.Column("aangeleverd_door", sa.String(length=100), nullable=False),
        sa.Column("modus", sa.String(length=10), nullable=False),
        sa.Column("peildatum", sa.Date(), nullable=True),
        sa.Column("gemeente_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("aantal_items", sa.Integer(), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voltooid_op", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_leerplicht_leveringen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leerplicht_leveringen")),
    )
    op.create_table(
        "leerplicht_koppelingen",
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("bron", sa.String(length=100), nullable=False),
        sa.Column("referentie", sa.String(length=64), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["leerling_id"],
            ["leerlingen.id"],
            name=op.f("fk_leerplicht_koppelingen_leerling_id_leerlingen"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_leerplicht_koppelingen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint(
            "swv_id", "bron", "referentie", name=op.f("pk_leerplicht_koppelingen")
        ),
    )
    op.create_index(
        "ix_leerplicht_koppelingen_leerling_id",
        "leerplicht_koppelingen",
        ["leerling_id"],
        unique=False,
    )
    op.create_table(
        "leerplicht_koppelvoorstellen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("bron", sa.String(length=100), nullable=False),
        sa.Column("referentie", sa.String(length=64), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("kandidaat_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kandidaat_id"],
            ["leerlingen.id"],
            name=op.f("fk_leerplicht_koppelvoorstellen_kandidaat_id_leerlingen"),
        ),
        sa.ForeignKeyConstraint(
            ["leerling_id"],
            ["leerlingen.id"],
            name=op.f("fk_leerplicht_koppelvoorstellen_leerling_id_leerlingen"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_leerplicht_koppelvoorstellen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leerplicht_koppelvoorstellen")),
        sa.UniqueConstraint(
            "leerling_id",
            "kandidaat_id",
            name=op.f("uq_leerplicht_koppelvoorstellen_leerling_id_kandidaat_id"),
        ),
    )
    op.create_table(
        "leerplicht_levering_feiten",
        sa.Column("levering_id", sa.Uuid(), nullable=False),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("n", sa.SmallInteger(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("geldig_vanaf", sa.Date(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("sleutel", sa.String(length=200), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["levering_id"],
            ["leerplicht_leveringen.id"],
            name=op.f("fk_leerplicht_levering_feiten_levering_id_leerplicht_leveringen"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_leerplicht_levering_feiten_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint(
            "levering_id", "volgnummer", "n", name=op.f("pk_leerplicht_levering_feiten")
        ),
    )
    op.create_table(
        "leerplicht_levering_items",
        sa.Column("levering_id", sa.Uuid(), nullable=False),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("referentie", sa.String(length=64), nullable=True),
        sa.Column("soort", sa.String(length=40), nullable=True),
        sa.Column("vanaf", sa.Date(), nullable=True),
        sa.Column("einde", sa.Date(), nullable=True),
        sa.Column("open_einde", sa.Date(), nullable=True),
        sa.Column("grond", sa.String(length=10), nullable=True),
        sa.Column("geboortejaar", sa.SmallInteger(), nullable=True),
        sa.Column("geboortemaand", sa.SmallInteger(), nullable=True),
        sa.Column("woongemeente", sa.String(length=6), nullable=True),
        sa.Column("regio", sa.String(length=6), nullable=True),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.Column("bsn_zoekhash", sa.LargeBinary(), nullable=True),
        sa.Column("bsn_versleuteld", sa.LargeBinary(), nullable=True),
        sa.Column("nieuw_leerling_id", sa.Uuid(), nullable=True),
        sa.Column("registratie_fouten", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("uitkomst", sa.String(length=12), nullable=True),
        sa.Column("fouten", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("leerling_id", sa.Uuid(), nullable=True),
        sa.Column("nieuw", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.ForeignKeyConstraint(
            ["levering_id"],
            ["leerplicht_leveringen.id"],
            name=op.f("fk_leerplicht_levering_items_levering_id_leerplicht_leveringen"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_leerplicht_levering_items_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint(
            "levering_id", "volgnummer", name=op.f("pk_leerplicht_levering_items")
        ),
    )
    op.create_table(
        "leerplicht_standen",
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("bron", sa.String(length=100), nullable=False),
        sa.Column("referentie", sa.String(length=64), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("grond", sa.String(length=10), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=False),
        sa.Column("vanaf", sa.Date(), nullable=False),
        sa.Column("einde", sa.Date(), nullable=True),
        sa.Column("laatst_in", sa.Uuid(), nullable=False),
        sa.Column("ontbreekt_in", sa.Uuid(), nullable=True),
        sa.Column("ontbreekt_sinds", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["laatst_in"],
            ["leerplicht_leveringen.id"],
            name=op.f("fk_leerplicht_standen_laatst_in_leerplicht_leveringen"),
        ),
        sa.ForeignKeyConstraint(
            ["leerling_id"],
            ["leerlingen.id"],
            name=op.f("fk_leerplicht_standen_leerling_id_leerlingen"),
        ),
        sa.ForeignKeyConstraint(
            ["ontbreekt_in"],
            ["leerplicht_leveringen.id"],
            name=op.f("fk_leerplicht_standen_ontbreekt_in_leerplicht_leveringen"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_leerplicht_standen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint(
            "swv_id", "bron", "referentie", "soort", "grond", name=op.f("pk_leerplicht_standen")
        ),
    )
    op.create_table(
        "leerplicht_koppelvoorstel_historie",
        sa.Column("voorstel_id", sa.Uuid(), nullable=False),
        sa.Column("volgnummer", sa.SmallInteger(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("van", sa.String(length=12), nullable=True),
        sa.Column("naar", sa.String(length=12), nullable=False),
        sa.Column("door", sa.String(length=100), nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_leerplicht_koppelvoorstel_historie_swv_id_samenwerkingsverbanden"),
        ),
        sa.ForeignKeyConstraint(
            ["voorstel_id"],
            ["leerplicht_koppelvoorstellen.id"],
            name=op.f(
                "fk_leerplicht_koppelvoorstel_historie_voorstel_id_leerplicht_koppelvoorstellen"
            ),
        ),
        sa.PrimaryKeyConstraint(
            "voorstel_id", "volgnummer", name=op.f("pk_leerplicht_koppelvoorstel_historie")
        ),
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
    op.drop_table("leerplicht_koppelvoorstel_historie")
    op.drop_table("leerplicht_standen")
    op.drop_table("leerplicht_levering_items")
    op.drop_table("leerplicht_levering_feiten")
    op.drop_table("leerplicht_koppelvoorstellen")
    op.drop_index("ix_leerplicht_koppelingen_leerling_id", table_name="leerplicht_koppelingen")
    op.drop_table("leerplicht_koppelingen")
    op.drop_table("leerplicht_leveringen")
