"""deal alerts: saved searches matched against listings as they are published or drop their price

Revision ID: 0015_deal_alerts
Revises: 0014_notification_preferences
Create Date: 2026-12-06 14:00:00
"""

from collections.abc import Sequence

import pgvector.sqlalchemy
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0015_deal_alerts'
down_revision: str | None = '0014_notification_preferences'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('deal_alerts',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('organization_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('part_number', sa.String(length=100), nullable=True),
    sa.Column('part_number_norm', sa.String(length=100), nullable=True),
    sa.Column('manufacturer', sa.String(length=100), nullable=True),
    sa.Column('query', sa.Text(), nullable=True),
    sa.Column('query_terms', postgresql.ARRAY(sa.Text()), sa.Computed(
        "tsvector_to_array(to_tsvector('english'::regconfig, COALESCE(query, '')))", persisted=True), nullable=True),
    sa.Column('embedding', pgvector.sqlalchemy.vector.VECTOR(dim=384), nullable=True),
    sa.Column('conditions', postgresql.ARRAY(sa.String(length=20)), server_default='{}', nullable=False),
    sa.Column('max_price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lng', sa.Float(), nullable=True),
    sa.Column('radius_km', sa.Float(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('trade', sa.String(length=30), nullable=True),
    sa.Column('category', sa.String(length=50), nullable=True),
    sa.Column('listing_type', sa.String(length=20), nullable=True),
    sa.Column('paused', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('match_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_matched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                            name=op.f('fk_deal_alerts_organization_id_organizations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deal_alerts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_alerts')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_deal_alerts_idempotency_key'))
    )
    op.create_index('ix_deal_alerts_user_id_created_at', 'deal_alerts', ['user_id', 'created_at'], unique=False)
    op.create_index('ix_deal_alerts_live_part', 'deal_alerts', ['part_number_norm'], unique=False,
                    postgresql_where='NOT paused AND part_number_norm IS NOT NULL')
    op.create_index('ix_deal_alerts_query_terms', 'deal_alerts', ['query_terms'], unique=False,
                    postgresql_using='gin', postgresql_where='NOT paused AND part_number_norm IS NULL',
                    postgresql_with={'fastupdate': 'off'})
    op.create_index('ix_deal_alerts_embedding', 'deal_alerts', ['embedding'], unique=False, postgresql_using='hnsw',
                    postgresql_ops={'embedding': 'vector_cosine_ops'})


def downgrade() -> None:
    op.drop_index('ix_deal_alerts_embedding', table_name='deal_alerts', postgresql_using='hnsw',
                  postgresql_ops={'embedding': 'vector_cosine_ops'})
    op.drop_index('ix_deal_alerts_query_terms', table_name='deal_alerts', postgresql_using='gin',
                  postgresql_where='NOT paused AND part_number_norm IS NULL')
    op.drop_index('ix_deal_alerts_live_part', table_name='deal_alerts',
                  postgresql_where='NOT paused AND part_number_norm IS NOT NULL')
    op.drop_index('ix_deal_alerts_user_id_created_at', table_name='deal_alerts')
    op.drop_table('deal_alerts')
