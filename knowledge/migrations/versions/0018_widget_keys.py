"""widget keys: an organization's publishable chat-widget key and the secret that signs its user tokens

Revision ID: 0018_widget_keys
Revises: 0017_orders
Create Date: 2026-12-06 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_widget_keys"
down_revision: str | None = "0017_orders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "widget_keys",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("organization_id", sa.UUID(), nullable=False),
        sa.Column("publishable_key", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name=op.f("fk_widget_keys_organization_id_organizations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_widget_keys")),
        sa.UniqueConstraint("publishable_key", name=op.f("uq_widget_keys_publishable_key")),
    )
    op.create_index(op.f("ix_widget_keys_organization_id"), "widget_keys", ["organization_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_widget_keys_organization_id"), table_name="widget_keys")
    op.drop_table("widget_keys")
