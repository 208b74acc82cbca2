"""catalog_manufacturers: manufacturer spellings kept by triggers; the plain words of part_term_stats indexed

Revision ID: 0019_catalog_manufacturers
Revises: 0018_widget_keys
Create Date: 2026-12-06 19:00:00

Search spots manufacturer names in a query; reading them with `SELECT DISTINCT manufacturer FROM
parts_catalog` scans the whole catalog (~3 GB at a million parts) every time the cache expires, on the request
path. Inserts and deletes keep the table by statement triggers over transition tables, so a COPY of a million
rows adds each new name once instead of probing the table per row; a changed manufacturer is rare and handled
per row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_catalog_manufacturers"
down_revision: str | None = "0018_widget_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FORGET = ("DELETE FROM catalog_manufacturers m WHERE m.name IN (SELECT manufacturer FROM {old}) "
           "AND NOT EXISTS (SELECT 1 FROM parts_catalog p WHERE p.manufacturer = m.name)")


def upgrade() -> None:
    op.create_table(
        "catalog_manufacturers",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_catalog_manufacturers")),
    )
    op.execute(
        "CREATE FUNCTION catalog_manufacturers_add() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO catalog_manufacturers (name) SELECT DISTINCT manufacturer FROM new_parts ORDER BY 1 "
        "ON CONFLICT (name) DO NOTHING; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE FUNCTION catalog_manufacturers_forget() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{_FORGET.format(old='old_parts')}; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE FUNCTION catalog_manufacturers_rename() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO catalog_manufacturers (name) VALUES (NEW.manufacturer) ON CONFLICT (name) DO NOTHING; "
        "DELETE FROM catalog_manufacturers m WHERE m.name = OLD.manufacturer "
        "AND NOT EXISTS (SELECT 1 FROM parts_catalog p WHERE p.manufacturer = m.name); RETURN NULL; END $$"
    )
    op.execute(
        "CREATE FUNCTION catalog_manufacturers_clear() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "DELETE FROM catalog_manufacturers; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER parts_catalog_manufacturers_insert AFTER INSERT ON parts_catalog "
        "REFERENCING NEW TABLE AS new_parts FOR EACH STATEMENT EXECUTE FUNCTION catalog_manufacturers_add()"
    )
    op.execute(
        "CREATE TRIGGER parts_catalog_manufacturers_delete AFTER DELETE ON parts_catalog "
        "REFERENCING OLD TABLE AS old_parts FOR EACH STATEMENT EXECUTE FUNCTION catalog_manufacturers_forget()"
    )
    op.execute(
        "CREATE TRIGGER parts_catalog_manufacturers_update AFTER UPDATE OF manufacturer ON parts_catalog "
        "FOR EACH ROW WHEN (OLD.manufacturer IS DISTINCT FROM NEW.manufacturer) "
        "EXECUTE FUNCTION catalog_manufacturers_rename()"
    )
    op.execute(
        "CREATE TRIGGER parts_catalog_manufacturers_truncate AFTER TRUNCATE ON parts_catalog "
        "FOR EACH STATEMENT EXECUTE FUNCTION catalog_manufacturers_clear()"
    )
    op.execute("INSERT INTO catalog_manufacturers (name) SELECT DISTINCT manufacturer FROM parts_catalog")
    # The local planner reads the catalog's plain words (knowledge.lookups); at a million parts the view also holds
    # a million part-number lexemes, which a filter over the whole view would read every few minutes.
    op.execute("CREATE INDEX idx_part_term_stats_words ON part_term_stats (word) WHERE word ~ '^[a-z]{3,}$'")


def downgrade() -> None:
    op.execute("DROP INDEX idx_part_term_stats_words")
    for trigger in ("insert", "delete", "update", "truncate"):
        op.execute(f"DROP TRIGGER parts_catalog_manufacturers_{trigger} ON parts_catalog")
    for function in ("add", "forget", "rename", "clear"):
        op.execute(f"DROP FUNCTION catalog_manufacturers_{function}()")
    op.drop_table("catalog_manufacturers")
