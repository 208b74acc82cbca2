"""the durable job queue (procrastinate's schema), the channel outbox, and which job owns a delivery

Revision ID: 0012_durable_channel_jobs
Revises: 0011_hold_release_response_deal
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012_durable_channel_jobs'
down_revision: str | None = '0011_hold_release_response_deal'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from procrastinate.schema import SchemaManager

    # procrastinate's own schema at the installed version; a later procrastinate release ships its migration
    # scripts, which get an Alembic revision of their own when the pin moves.
    # Straight to the driver without parameters: the schema's PL/pgSQL has literal % signs.
    op.get_bind().connection.driver_connection.execute(SchemaManager.get_schema())  # type: ignore[union-attr]
    op.add_column('channel_deliveries', sa.Column('job_id', sa.BigInteger(), nullable=True))
    op.add_column('channel_deliveries', sa.Column('turn_from', sa.String(length=100), nullable=True))
    op.create_table('channel_outbox',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('delivery_id', sa.String(length=200), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('conversation_key', sa.String(length=200), nullable=False),
    sa.Column('payload', sa.dialects.postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('provider_id', sa.String(length=100), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_outbox')),
    sa.UniqueConstraint('channel', 'delivery_id', 'seq', name=op.f('uq_channel_outbox_channel'))
    )
    op.create_index(op.f('ix_channel_outbox_conversation_key'), 'channel_outbox', ['conversation_key'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_channel_outbox_conversation_key'), table_name='channel_outbox')
    op.drop_table('channel_outbox')
    op.drop_column('channel_deliveries', 'turn_from')
    op.drop_column('channel_deliveries', 'job_id')
    op.execute("""
        DO $$ DECLARE item record; BEGIN
          FOR item IN SELECT tablename FROM pg_tables WHERE tablename LIKE 'procrastinate%' LOOP
            EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename); END LOOP;
          FOR item IN SELECT p.oid::regprocedure AS fn FROM pg_proc p WHERE p.proname LIKE 'procrastinate%' LOOP
            EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', item.fn); END LOOP;
          FOR item IN SELECT typname FROM pg_type WHERE typname LIKE 'procrastinate%' AND typtype IN ('e', 'c') LOOP
            EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname); END LOOP;
        END $$""")
