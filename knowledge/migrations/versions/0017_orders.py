"""orders: suppliers, carts, orders, invoices, spend limits

Revision ID: 0017_orders
Revises: 0016_wanted_open_indexes
Create Date: 2026-12-06 14:48:48.871913
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0017_orders'
down_revision: str | None = '0016_wanted_open_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence('order_number_seq', start=100001)))
    op.create_table('invoice_counters',
    sa.Column('seller_organization_id', sa.UUID(), nullable=False),
    sa.Column('prefix', sa.String(length=20), nullable=False),
    sa.Column('last_number', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['seller_organization_id'], ['organizations.id'], name=op.f('fk_invoice_counters_seller_organization_id_organizations')),
    sa.PrimaryKeyConstraint('seller_organization_id', name=op.f('pk_invoice_counters'))
    )
    op.create_table('shipping_addresses',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('organization_id', sa.UUID(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=True),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('state_province', sa.String(length=100), nullable=True),
    sa.Column('postal_code', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=100), server_default='US', nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_shipping_addresses_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipping_addresses')),
    sa.UniqueConstraint('organization_id', 'label', name=op.f('uq_shipping_addresses_organization_id'))
    )
    op.create_index(op.f('ix_shipping_addresses_organization_id'), 'shipping_addresses', ['organization_id'], unique=False)
    op.create_table('spend_limits',
    sa.Column('organization_id', sa.UUID(), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('max_order_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_spend_limits_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organization_id', 'role', name=op.f('pk_spend_limits'))
    )
    op.create_table('suppliers',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('organization_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('supplier_type', sa.String(length=30), nullable=False),
    sa.Column('authorized', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('authorized_brands', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.Column('orders_email', sa.String(length=255), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('timezone', sa.String(length=60), server_default='America/Denver', nullable=False),
    sa.Column('payment_terms', sa.String(length=60), server_default='Net 30', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("supplier_type IN ('authorized_distributor', 'oem', 'independent')", name=op.f('ck_suppliers_supplier_type')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_suppliers_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('name', name=op.f('uq_suppliers_name')),
    sa.UniqueConstraint('organization_id', name=op.f('uq_suppliers_organization_id'))
    )
    op.create_table('carts',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('organization_id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_carts_organization_id_organizations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_carts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carts')),
    sa.UniqueConstraint('user_id', name=op.f('uq_carts_user_id'))
    )
    op.create_table('orders',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('order_number', sa.String(length=20), server_default=sa.text("'ORD-' || lpad(nextval('order_number_seq')::text, 6, '0')"), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('buyer_id', sa.UUID(), nullable=False),
    sa.Column('buyer_organization_id', sa.UUID(), nullable=False),
    sa.Column('seller_organization_id', sa.UUID(), nullable=False),
    sa.Column('subtotal', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('shipping_cost', sa.Numeric(precision=10, scale=2), server_default='0', nullable=False),
    sa.Column('tax', sa.Numeric(precision=10, scale=2), server_default='0', nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('po_number', sa.String(length=60), nullable=True),
    sa.Column('shipping_method', sa.String(length=30), server_default='ground', nullable=False),
    sa.Column('ship_to', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('site_name', sa.String(length=200), nullable=True),
    sa.Column('equipment_id', sa.UUID(), nullable=True),
    sa.Column('payment_method', sa.String(length=30), server_default='invoice', nullable=False),
    sa.Column('invoice_number', sa.String(length=40), nullable=True),
    sa.Column('invoice_issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.UUID(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('payment_verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('packed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('carrier', sa.String(length=50), nullable=True),
    sa.Column('tracking_number', sa.String(length=100), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('return_authorization', sa.String(length=40), nullable=True),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('marketplace', 'supplier', 'transfer')", name=op.f('ck_orders_kind')),
    sa.CheckConstraint("status IN ('awaiting_approval', 'pending_payment', 'payment_verified', 'processing', 'packed', 'shipped', 'delivered', 'return_requested', 'returned', 'cancelled')", name=op.f('ck_orders_status')),
    sa.ForeignKeyConstraint(['approved_by'], ['users.id'], name=op.f('fk_orders_approved_by_users')),
    sa.ForeignKeyConstraint(['buyer_id'], ['users.id'], name=op.f('fk_orders_buyer_id_users')),
    sa.ForeignKeyConstraint(['buyer_organization_id'], ['organizations.id'], name=op.f('fk_orders_buyer_organization_id_organizations')),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_orders_equipment_id_equipment')),
    sa.ForeignKeyConstraint(['seller_organization_id'], ['organizations.id'], name=op.f('fk_orders_seller_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_orders_idempotency_key')),
    sa.UniqueConstraint('order_number', name=op.f('uq_orders_order_number')),
    sa.UniqueConstraint('seller_organization_id', 'invoice_number', name=op.f('uq_orders_seller_organization_id'))
    )
    op.create_index('ix_orders_buyer_created', 'orders', ['buyer_organization_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_orders_buyer_id'), 'orders', ['buyer_id'], unique=False)
    op.create_index('ix_orders_seller_created', 'orders', ['seller_organization_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_orders_status'), 'orders', ['status'], unique=False)
    op.create_table('supplier_branches',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('supplier_id', sa.UUID(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('state_province', sa.String(length=100), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lng', sa.Float(), nullable=True),
    sa.Column('cutoff_time', sa.Time(), server_default='17:00', nullable=False),
    sa.Column('will_call', sa.Boolean(), server_default='true', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_branches_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_branches')),
    sa.UniqueConstraint('supplier_id', 'code', name=op.f('uq_supplier_branches_supplier_id'))
    )
    op.create_index(op.f('ix_supplier_branches_supplier_id'), 'supplier_branches', ['supplier_id'], unique=False)
    op.create_table('order_events',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=True),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_events_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_order_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_events'))
    )
    op.create_index(op.f('ix_order_events_order_id'), 'order_events', ['order_id'], unique=False)
    op.create_table('supplier_offers',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('supplier_id', sa.UUID(), nullable=False),
    sa.Column('branch_id', sa.UUID(), nullable=False),
    sa.Column('part_id', sa.UUID(), nullable=True),
    sa.Column('part_number', sa.String(length=100), nullable=False),
    sa.Column('part_number_norm', sa.String(length=100), nullable=False),
    sa.Column('manufacturer', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('price_breaks', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('stock_on_hand', sa.Integer(), server_default='0', nullable=False),
    sa.Column('stock_reserved', sa.Integer(), server_default='0', nullable=False),
    sa.Column('lead_time_days', sa.Integer(), server_default='7', nullable=False),
    sa.Column('backorder_allowed', sa.Boolean(), server_default='true', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='true', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('stock_on_hand >= 0 AND stock_reserved >= 0 AND stock_reserved <= stock_on_hand', name=op.f('ck_supplier_offers_stock_quantities')),
    sa.CheckConstraint('unit_price >= 0', name=op.f('ck_supplier_offers_price_nonnegative')),
    sa.ForeignKeyConstraint(['branch_id'], ['supplier_branches.id'], name=op.f('fk_supplier_offers_branch_id_supplier_branches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['part_id'], ['parts_catalog.id'], name=op.f('fk_supplier_offers_part_id_parts_catalog')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_offers_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_offers')),
    sa.UniqueConstraint('branch_id', 'part_number_norm', name=op.f('uq_supplier_offers_branch_id'))
    )
    op.create_index(op.f('ix_supplier_offers_part_id'), 'supplier_offers', ['part_id'], unique=False)
    op.create_index('ix_supplier_offers_part_number_norm', 'supplier_offers', ['part_number_norm'], unique=False)
    op.create_index(op.f('ix_supplier_offers_supplier_id'), 'supplier_offers', ['supplier_id'], unique=False)
    op.create_table('cart_items',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('cart_id', sa.UUID(), nullable=False),
    sa.Column('listing_id', sa.UUID(), nullable=True),
    sa.Column('supplier_offer_id', sa.UUID(), nullable=True),
    sa.Column('inventory_item_id', sa.UUID(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_at_add', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('available_at_add', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('(listing_id IS NOT NULL)::int + (supplier_offer_id IS NOT NULL)::int + (inventory_item_id IS NOT NULL)::int = 1', name=op.f('ck_cart_items_one_source')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_cart_items_quantity_positive')),
    sa.ForeignKeyConstraint(['cart_id'], ['carts.id'], name=op.f('fk_cart_items_cart_id_carts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inventory_item_id'], ['inventory_items.id'], name=op.f('fk_cart_items_inventory_item_id_inventory_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['listing_id'], ['marketplace_listings.id'], name=op.f('fk_cart_items_listing_id_marketplace_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_offer_id'], ['supplier_offers.id'], name=op.f('fk_cart_items_supplier_offer_id_supplier_offers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cart_items')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_cart_items_idempotency_key'))
    )
    op.create_index(op.f('ix_cart_items_cart_id'), 'cart_items', ['cart_id'], unique=False)
    op.create_table('order_items',
    sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('listing_id', sa.UUID(), nullable=True),
    sa.Column('supplier_offer_id', sa.UUID(), nullable=True),
    sa.Column('inventory_item_id', sa.UUID(), nullable=True),
    sa.Column('part_id', sa.UUID(), nullable=True),
    sa.Column('part_number', sa.String(length=100), nullable=False),
    sa.Column('manufacturer', sa.String(length=100), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('condition', sa.String(length=30), server_default='new', nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('quantity_reserved', sa.Integer(), server_default='0', nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('line_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('eta_days', sa.Integer(), nullable=True),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_items_quantity_positive')),
    sa.ForeignKeyConstraint(['inventory_item_id'], ['inventory_items.id'], name=op.f('fk_order_items_inventory_item_id_inventory_items')),
    sa.ForeignKeyConstraint(['listing_id'], ['marketplace_listings.id'], name=op.f('fk_order_items_listing_id_marketplace_listings')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_items_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['part_id'], ['parts_catalog.id'], name=op.f('fk_order_items_part_id_parts_catalog')),
    sa.ForeignKeyConstraint(['supplier_offer_id'], ['supplier_offers.id'], name=op.f('fk_order_items_supplier_offer_id_supplier_offers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_items'))
    )
    op.create_index(op.f('ix_order_items_order_id'), 'order_items', ['order_id'], unique=False)
    op.create_index(op.f('ix_order_items_part_id'), 'order_items', ['part_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_order_items_part_id'), table_name='order_items')
    op.drop_index(op.f('ix_order_items_order_id'), table_name='order_items')
    op.drop_table('order_items')
    op.drop_index(op.f('ix_cart_items_cart_id'), table_name='cart_items')
    op.drop_table('cart_items')
    op.drop_index(op.f('ix_supplier_offers_supplier_id'), table_name='supplier_offers')
    op.drop_index('ix_supplier_offers_part_number_norm', table_name='supplier_offers')
    op.drop_index(op.f('ix_supplier_offers_part_id'), table_name='supplier_offers')
    op.drop_table('supplier_offers')
    op.drop_index(op.f('ix_order_events_order_id'), table_name='order_events')
    op.drop_table('order_events')
    op.drop_index(op.f('ix_supplier_branches_supplier_id'), table_name='supplier_branches')
    op.drop_table('supplier_branches')
    op.drop_index(op.f('ix_orders_status'), table_name='orders')
    op.drop_index('ix_orders_seller_created', table_name='orders')
    op.drop_index(op.f('ix_orders_buyer_id'), table_name='orders')
    op.drop_index('ix_orders_buyer_created', table_name='orders')
    op.drop_table('orders')
    op.drop_table('carts')
    op.drop_table('suppliers')
    op.drop_table('spend_limits')
    op.drop_index(op.f('ix_shipping_addresses_organization_id'), table_name='shipping_addresses')
    op.drop_table('shipping_addresses')
    op.drop_table('invoice_counters')
    op.execute(sa.schema.DropSequence(sa.Sequence('order_number_seq')))
