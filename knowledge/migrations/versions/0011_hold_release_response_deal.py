"""who released a stock hold and when; the deal an accepted wanted response became

Revision ID: 0011_hold_release_response_deal
Revises: 0010_part_number_lookup
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011_hold_release_response_deal'
down_revision: str | None = '0010_part_number_lookup'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('stock_holds', sa.Column('released_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('stock_holds', sa.Column('released_by_id', sa.UUID(), nullable=True))
    op.create_foreign_key(op.f('fk_stock_holds_released_by_id_users'), 'stock_holds', 'users',
                          ['released_by_id'], ['id'])
    op.add_column('wanted_responses', sa.Column('transaction_id', sa.UUID(), nullable=True))
    op.add_column('wanted_responses', sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
    op.create_foreign_key(op.f('fk_wanted_responses_transaction_id_part_transactions'), 'wanted_responses',
                          'part_transactions', ['transaction_id'], ['id'])
    op.create_unique_constraint(op.f('uq_wanted_responses_transaction_id'), 'wanted_responses', ['transaction_id'])


def downgrade() -> None:
    op.drop_constraint(op.f('uq_wanted_responses_transaction_id'), 'wanted_responses', type_='unique')
    op.drop_constraint(op.f('fk_wanted_responses_transaction_id_part_transactions'), 'wanted_responses',
                       type_='foreignkey')
    op.drop_column('wanted_responses', 'decided_at')
    op.drop_column('wanted_responses', 'transaction_id')
    op.drop_constraint(op.f('fk_stock_holds_released_by_id_users'), 'stock_holds', type_='foreignkey')
    op.drop_column('stock_holds', 'released_by_id')
    op.drop_column('stock_holds', 'released_at')
