"""Actielijsten (taken), events (outbox, subscriptions, deliveries, e-mail) and the job queue.

Every table holding SWV data has row-level security forced per SWV, as the register's tables
(2026_11_23_rls). The job queue's tables (pgqueuer, docs/decisions/0020) hold entrypoint names
and schedules only, no personal data, and no SWV: they are created here from the pinned
library's own schema, not at run time.

Revision ID: 2026_12_07_taken
Revises: 2026_12_07_meldingen
Create Date: 2026-12-07 05:07:41.961244+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from pgqueuer.adapters.persistence.qb import QueryBuilderEnvironment
from sqlalchemy.dialects import postgresql
from sqlalchemy.util import await_

revision: str = "2026_12_07_taken"
down_revision: str | None = "2026_12_07_meldingen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SWV = "current_setting('app.swv_id', true)"
EIGEN_SWV = f"(swv_id::text = {SWV} OR {SWV} = '*')"
PER_SWV = (
    "taken",
    "taak_overgangen",
    "notificaties",
    "abonnementen",
    "afleveringen",
    "mails",
    "mailadressen",
)


def _script(sql: str) -> None:
    """A script of several statements (a function body among them): run by the driver itself,
    in the migration's transaction (a prepared statement takes one command)."""
    driver = op.get_bind().connection.driver_connection
    assert driver is not None  # noqa: S101 (asyncpg under the migration)
    await_(driver.execute(sql))


def upgrade() -> None:
    op.create_table(
        "worker_hartslagen",
        sa.Column("worker", sa.String(length=100), nullable=False),
        sa.Column("gezien_op", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("worker", name=op.f("pk_worker_hartslagen")),
    )
    op.create_table(
        "abonnementen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("eigenaar", sa.String(length=100), nullable=False),
        sa.Column("rol", sa.String(length=40), nullable=False),
        sa.Column("vestiging_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("gemeente_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("geheim_versleuteld", sa.LargeBinary(), nullable=False),
        sa.Column("soorten", postgresql.ARRAY(sa.String(length=60)), nullable=False),
        sa.Column("bron_referentie", sa.String(length=200), nullable=True),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_abonnementen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_abonnementen")),
    )
    op.create_table(
        "mails",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("sleutel", sa.String(length=200), nullable=False),
        sa.Column("aan", sa.String(length=320), nullable=False),
        sa.Column("onderwerp", sa.String(length=200), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("pogingen", sa.SmallInteger(), nullable=False),
        sa.Column("volgende_poging", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verzonden_op", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('wachtend', 'verzonden', 'dood')", name=op.f("ck_mails_status_bekend")
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_mails_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mails")),
        sa.UniqueConstraint("swv_id", "sleutel", name=op.f("uq_mails_swv_id_sleutel")),
    )
    op.create_index(
        "ix_mails_wachtend",
        "mails",
        ["volgende_poging"],
        unique=False,
        postgresql_where="status = 'wachtend'",
    )
    op.create_table(
        "mailadressen",
        sa.Column("gebruiker_id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("adres", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["gebruiker_id"],
            ["gebruikers.id"],
            name=op.f("fk_mailadressen_gebruiker_id_gebruikers"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_mailadressen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("gebruiker_id", name=op.f("pk_mailadressen")),
    )
    op.create_table(
        "notificaties",
        sa.Column("volgnummer", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(length=60), nullable=False),
        sa.Column("onderwerp_id", sa.Uuid(), nullable=False),
        sa.Column("leerling_id", sa.Uuid(), nullable=True),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("sleutel", sa.String(length=200), nullable=True),
        sa.Column(
            "transactie",
            sa.BigInteger(),
            server_default=sa.text("(pg_current_xact_id()::text)::bigint"),
            nullable=False,
        ),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verdeeld", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.ForeignKeyConstraint(
            ["leerling_id"], ["leerlingen.id"], name=op.f("fk_notificaties_leerling_id_leerlingen")
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_notificaties_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("volgnummer", name=op.f("pk_notificaties")),
        sa.UniqueConstraint("id", name=op.f("uq_notificaties_id")),
    )
    op.create_index(
        "ix_notificaties_feed", "notificaties", ["swv_id", "transactie", "volgnummer"], unique=False
    )
    op.create_index(
        "ix_notificaties_te_verdelen",
        "notificaties",
        ["volgnummer"],
        unique=False,
        postgresql_where="NOT verdeeld",
    )
    op.create_index(
        "uq_notificaties_sleutel",
        "notificaties",
        ["swv_id", "sleutel"],
        unique=True,
        postgresql_where="sleutel IS NOT NULL",
    )
    op.create_table(
        "taken",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("onderwerp", sa.String(length=80), nullable=False),
        sa.Column("periode", sa.String(length=20), nullable=False),
        sa.Column("rol", sa.String(length=40), nullable=False),
        sa.Column("toegewezen_aan", sa.String(length=100), nullable=True),
        sa.Column("leerling_id", sa.Uuid(), nullable=True),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.Column("peildatum", sa.Date(), nullable=True),
        sa.Column("opent_op", sa.Date(), nullable=False),
        sa.Column("vervalt_op", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column(
            "aangemaakt_op",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('open', 'afgerond', 'niet-van-toepassing')",
            name=op.f("ck_taken_status_bekend"),
        ),
        sa.ForeignKeyConstraint(
            ["leerling_id"], ["leerlingen.id"], name=op.f("fk_taken_leerling_id_leerlingen")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["scholen.id"], name=op.f("fk_taken_school_id_scholen")
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_taken_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taken")),
        sa.UniqueConstraint(
            "swv_id",
            "code",
            "onderwerp",
            "periode",
            name=op.f("uq_taken_swv_id_code_onderwerp_periode"),
        ),
    )
    op.create_index("ix_taken_leerling", "taken", ["leerling_id"], unique=False)
    op.create_index("ix_taken_werklijst", "taken", ["swv_id", "rol", "vervalt_op"], unique=False)
    op.create_table(
        "afleveringen",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("abonnement_id", sa.Uuid(), nullable=False),
        sa.Column("notificatie_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("pogingen", sa.SmallInteger(), nullable=False),
        sa.Column("volgende_poging", sa.DateTime(timezone=True), nullable=False),
        sa.Column("laatste_status", sa.SmallInteger(), nullable=True),
        sa.Column("afgeleverd_op", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('wachtend', 'afgeleverd', 'dood')",
            name=op.f("ck_afleveringen_status_bekend"),
        ),
        sa.ForeignKeyConstraint(
            ["abonnement_id"],
            ["abonnementen.id"],
            name=op.f("fk_afleveringen_abonnement_id_abonnementen"),
        ),
        sa.ForeignKeyConstraint(
            ["notificatie_id"],
            ["notificaties.id"],
            name=op.f("fk_afleveringen_notificatie_id_notificaties"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_afleveringen_swv_id_samenwerkingsverbanden"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_afleveringen")),
        sa.UniqueConstraint(
            "abonnement_id",
            "notificatie_id",
            name=op.f("uq_afleveringen_abonnement_id_notificatie_id"),
        ),
    )
    op.create_index(
        "ix_afleveringen_wachtend",
        "afleveringen",
        ["volgende_poging"],
        unique=False,
        postgresql_where="status = 'wachtend'",
    )
    op.create_table(
        "taak_overgangen",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("taak_id", sa.Uuid(), nullable=False),
        sa.Column("swv_id", sa.Uuid(), nullable=False),
        sa.Column("van", sa.String(length=24), nullable=True),
        sa.Column("naar", sa.String(length=24), nullable=False),
        sa.Column("door", sa.String(length=100), nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["samenwerkingsverbanden.id"],
            name=op.f("fk_taak_overgangen_swv_id_samenwerkingsverbanden"),
        ),
        sa.ForeignKeyConstraint(
            ["taak_id"], ["taken.id"], name=op.f("fk_taak_overgangen_taak_id_taken")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taak_overgangen")),
    )
    op.create_index("ix_taak_overgangen_taak", "taak_overgangen", ["taak_id"], unique=False)
    for tabel in PER_SWV:
        op.execute(f"ALTER TABLE {tabel} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {tabel} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY swv_scheiding ON {tabel} USING {EIGEN_SWV} WITH CHECK {EIGEN_SWV}"
        )
    _script(QueryBuilderEnvironment().build_install_query(create_schema=False))


def downgrade() -> None:
    _script(QueryBuilderEnvironment().build_uninstall_query())
    for tabel in PER_SWV:
        op.execute(f"DROP POLICY swv_scheiding ON {tabel}")
    op.drop_index("ix_taak_overgangen_taak", table_name="taak_overgangen")
    op.drop_table("taak_overgangen")
    op.drop_index(
        "ix_afleveringen_wachtend",
        table_name="afleveringen",
        postgresql_where="status = 'wachtend'",
    )
    op.drop_table("afleveringen")
    op.drop_index("ix_taken_werklijst", table_name="taken")
    op.drop_index("ix_taken_leerling", table_name="taken")
    op.drop_table("taken")
    op.drop_index(
        "uq_notificaties_sleutel", table_name="notificaties", postgresql_where="sleutel IS NOT NULL"
    )
    op.drop_index(
        "ix_notificaties_te_verdelen", table_name="notificaties", postgresql_where="NOT verdeeld"
    )
    op.drop_index("ix_notificaties_feed", table_name="notificaties")
    op.drop_table("notificaties")
    op.drop_table("mailadressen")
    op.drop_index("ix_mails_wachtend", table_name="mails", postgresql_where="status = 'wachtend'")
    op.drop_table("mails")
    op.drop_table("abonnementen")
    op.drop_table("worker_hartslagen")
