"""notification preferences per person and topic, quiet hours and rate limits, deliveries that wait, answers

Revision ID: 0014_notification_preferences
Revises: 0013_notifications
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014_notification_preferences'
down_revision: str | None = '0013_notifications'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notification_settings',
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('time_zone', sa.String(length=60), nullable=True),
    sa.Column('quiet_start', sa.Time(), nullable=True),
    sa.Column('quiet_end', sa.Time(), nullable=True),
    sa.Column('urgent_breaks_quiet', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('max_per_hour', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_settings'))
    )
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('topic', sa.String(length=30), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('enabled', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('cadence', sa.String(length=10), server_default='immediate', nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'topic', name=op.f('pk_notification_preferences'))
    )
    op.add_column('notifications', sa.Column('actions', sa.dialects.postgresql.JSONB(), nullable=True))
    op.add_column('notification_deliveries', sa.Column('cadence', sa.String(length=10), server_default='immediate',
                                                       nullable=False))
    op.add_column('notification_deliveries', sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('notification_deliveries', sa.Column('digest_id', sa.UUID(), nullable=True))
    op.create_foreign_key(op.f('fk_notification_deliveries_digest_id_notifications'), 'notification_deliveries',
                          'notifications', ['digest_id'], ['id'], ondelete='SET NULL')
    op.create_index('ix_notification_deliveries_waiting', 'notification_deliveries', ['status', 'due_at'],
                    unique=False, postgresql_where=sa.text("status IN ('pending', 'sending')"))


def downgrade() -> None:
    op.drop_index('ix_notification_deliveries_waiting', table_name='notification_deliveries')
    op.drop_constraint(op.f('fk_notification_deliveries_digest_id_notifications'), 'notification_deliveries',
                       type_='foreignkey')
    op.drop_column('notification_deliveries', 'digest_id')
    op.drop_column('notification_deliveries', 'due_at')
    op.drop_column('notification_deliveries', 'cadence')
    op.drop_column('notifications', 'actions')
    op.drop_table('notification_preferences')
    op.drop_table('notification_settings')
