"""channel deliveries, outbound messages and SMS opt-outs

Revision ID: 0007_channel_deliveries
Revises: 0006_chat_threads
Create Date: 2026-11-23 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_channel_deliveries'
down_revision: str | None = '0006_chat_threads'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('channel_deliveries',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('delivery_id', sa.String(length=200), nullable=False),
    sa.Column('conversation_key', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'delivery_id', name=op.f('pk_channel_deliveries'))
    )
    op.create_table('channel_outbound_messages',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('message_id', sa.String(length=100), nullable=False),
    sa.Column('conversation_key', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('segments', sa.Integer(), nullable=True),
    sa.Column('error_code', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'message_id', name=op.f('pk_channel_outbound_messages'))
    )
    op.create_index(op.f('ix_channel_outbound_messages_conversation_key'), 'channel_outbound_messages',
                    ['conversation_key'], unique=False)
    op.create_table('channel_opt_outs',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'address', name=op.f('pk_channel_opt_outs'))
    )


def downgrade() -> None:
    op.drop_table('channel_opt_outs')
    op.drop_index(op.f('ix_channel_outbound_messages_conversation_key'), table_name='channel_outbound_messages')
    op.drop_table('channel_outbound_messages')
    op.drop_table('channel_deliveries')
