"""listing photos: the user's stored photos attached to a marketplace listing, in order

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('listing_photos',
    sa.Column('listing_id', sa.UUID(), nullable=False),
    sa.Column('photo_id', sa.UUID(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['marketplace_listings.id'],
                            name=op.f('fk_listing_photos_listing_id_marketplace_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], name=op.f('fk_listing_photos_photo_id_photos')),
    sa.PrimaryKeyConstraint('listing_id', 'photo_id', name=op.f('pk_listing_photos'))
    )
    op.create_index(op.f('ix_listing_photos_photo_id'), 'listing_photos', ['photo_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_listing_photos_photo_id'), table_name='listing_photos')
    op.drop_table('listing_photos')
