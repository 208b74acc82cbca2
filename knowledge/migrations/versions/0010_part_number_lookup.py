"""part_number_lookup: part numbers in a narrow table for trigram lookups, kept in step by a trigger

Revision ID: 0010_part_number_lookup
Revises: 0007_channel_deliveries
Create Date: 2026-11-23 12:30:00

A GIN trigram match is lossy: every candidate row is rechecked in the heap. In `parts_catalog` a row
(descriptions, tsvector, a 384-float vector) fills a large part of a page, so at 100k parts a common number
prefix costs some 2,000 page reads (~20 ms); the same candidates in a two-column table sit on a few pages.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_part_number_lookup'
down_revision: str | None = '0007_channel_deliveries'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'part_number_lookup',
        sa.Column('part_id', sa.UUID(), nullable=False),
        sa.Column('part_number_norm', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['part_id'], ['parts_catalog.id'], ondelete='CASCADE',
                                name=op.f('fk_part_number_lookup_part_id_parts_catalog')),
        sa.PrimaryKeyConstraint('part_id', name=op.f('pk_part_number_lookup')),
    )
    op.execute(
        "CREATE FUNCTION part_number_lookup_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO part_number_lookup (part_id, part_number_norm) VALUES (NEW.id, NEW.part_number_norm) "
        "ON CONFLICT (part_id) DO UPDATE SET part_number_norm = EXCLUDED.part_number_norm; "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER parts_catalog_number_lookup AFTER INSERT OR UPDATE OF part_number ON parts_catalog "
        "FOR EACH ROW EXECUTE FUNCTION part_number_lookup_sync()"
    )
    op.execute("INSERT INTO part_number_lookup (part_id, part_number_norm) SELECT id, part_number_norm FROM parts_catalog")
    op.create_index('idx_part_number_lookup_trgm', 'part_number_lookup', ['part_number_norm'], postgresql_using='gin',
                    postgresql_ops={'part_number_norm': 'gin_trgm_ops'})
    op.drop_index('idx_parts_number_trgm', table_name='parts_catalog')


def downgrade() -> None:
    op.create_index('idx_parts_number_trgm', 'parts_catalog', ['part_number_norm'], postgresql_using='gin',
                    postgresql_ops={'part_number_norm': 'gin_trgm_ops'})
    op.execute("DROP TRIGGER parts_catalog_number_lookup ON parts_catalog")
    op.execute("DROP FUNCTION part_number_lookup_sync()")
    op.drop_table('part_number_lookup')
