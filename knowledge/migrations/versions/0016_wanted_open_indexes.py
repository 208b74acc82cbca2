"""open wanted posts by part and by normalised part number: a published listing finds the posts it could fill

Revision ID: 0016_wanted_open_indexes
Revises: 0015_deal_alerts
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016_wanted_open_indexes'
down_revision: str | None = '0015_deal_alerts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NORM = "translate(upper(regexp_replace(part_number, '[^A-Za-z0-9]', '', 'g')), 'OILSBZ', '011582')"


def upgrade() -> None:
    op.create_index('ix_wanted_posts_open_part_id', 'wanted_posts', ['part_id'], unique=False,
                    postgresql_where=sa.text("status = 'active'"))
    op.create_index('ix_wanted_posts_open_number', 'wanted_posts', [sa.text(_NORM)], unique=False,
                    postgresql_where=sa.text("status = 'active'"))


def downgrade() -> None:
    op.drop_index('ix_wanted_posts_open_number', table_name='wanted_posts')
    op.drop_index('ix_wanted_posts_open_part_id', table_name='wanted_posts')
