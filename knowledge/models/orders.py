"""Buying: a persisted cart per user, orders (one per seller at checkout) with the seed-001 status workflow,
their history, per-seller invoice numbering, saved ship-to addresses and per-role spend limits."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    Sequence,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, Timestamped, created_ts, currency, json_dict, money, uuid_pk

ORDER_NUMBERS = Sequence("order_number_seq", start=100001, metadata=Base.metadata)
ORDER_STATUSES = (
    "awaiting_approval", "pending_payment", "payment_verified", "processing", "packed", "shipped", "delivered",
    "return_requested", "returned", "cancelled",
)
_ONE_SOURCE = (
    "(listing_id IS NOT NULL)::int + (supplier_offer_id IS NOT NULL)::int + (inventory_item_id IS NOT NULL)::int = 1"
)


class Cart(Base, Timestamped):
    __tablename__ = "carts"

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))


class CartItem(Base, Timestamped):
    """A marketplace listing at its fixed price, a supplier offer, or own-organization stock to transfer."""

    __tablename__ = "cart_items"
    __table_args__ = (
        CheckConstraint(_ONE_SOURCE, name="one_source"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[uuid_pk]
    cart_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("marketplace_listings.id", ondelete="CASCADE"))
    supplier_offer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("supplier_offers.id", ondelete="CASCADE"))
    inventory_item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inventory_items.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(Integer)
    # What the buyer saw when adding: checkout says so when either has changed since.
    unit_price_at_add: Mapped[money | None]
    available_at_add: Mapped[int | None] = mapped_column(Integer)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class ShippingAddress(Base, Timestamped):
    __tablename__ = "shipping_addresses"
    __table_args__ = (UniqueConstraint("organization_id", "label"),)

    id: Mapped[uuid_pk]
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    recipient: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(100))
    state_province: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(100), default="US", server_default="US")
    is_default: Mapped[bool] = mapped_column(default=False, server_default="false")


class SpendLimit(Base):
    """Orders above `max_order_total` placed by someone of `role` wait for a parts manager's approval."""

    __tablename__ = "spend_limits"

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"),
                                                       primary_key=True)
    role: Mapped[str] = mapped_column(String(30), primary_key=True)
    max_order_total: Mapped[money]


class InvoiceCounter(Base):
    __tablename__ = "invoice_counters"

    seller_organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(20))
    last_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Order(Base, Timestamped):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in ORDER_STATUSES) + ")", name="status"),
        CheckConstraint("kind IN ('marketplace', 'supplier', 'transfer')", name="kind"),
        UniqueConstraint("seller_organization_id", "invoice_number"),
        Index("ix_orders_buyer_created", "buyer_organization_id", "created_at"),
        Index("ix_orders_seller_created", "seller_organization_id", "created_at"),
    )

    id: Mapped[uuid_pk]
    order_number: Mapped[str] = mapped_column(
        String(20), unique=True, server_default=text("'ORD-' || lpad(nextval('order_number_seq')::text, 6, '0')"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30), index=True)
    buyer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    buyer_organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    seller_organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    subtotal: Mapped[money]
    shipping_cost: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=0, server_default="0")
    tax: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=0, server_default="0")
    total: Mapped[money]
    currency: Mapped[currency]
    po_number: Mapped[str | None] = mapped_column(String(60))
    shipping_method: Mapped[str] = mapped_column(String(30), default="ground", server_default="ground")
    # {"label", "address", "city", "kind": address|site|location, "site_name", "equipment_id"}
    ship_to: Mapped[json_dict]
    site_name: Mapped[str | None] = mapped_column(String(200))
    equipment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("equipment.id"))
    payment_method: Mapped[str] = mapped_column(String(30), default="invoice", server_default="invoice")
    invoice_number: Mapped[str | None] = mapped_column(String(40))
    invoice_issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    payment_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    packed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    carrier: Mapped[str | None] = mapped_column(String(50))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    return_reason: Mapped[str | None] = mapped_column(Text)
    return_authorization: Mapped[str | None] = mapped_column(String(40))
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notes: Mapped[str | None] = mapped_column(Text)
    # The checkout call that created it (with the seller's id: one call makes one order per seller).
    idempotency_key: Mapped[str | None] = mapped_column(String(300), unique=True)


class OrderItem(Base):
    __tablename__ = "order_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[uuid_pk]
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("marketplace_listings.id"))
    supplier_offer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("supplier_offers.id"))
    inventory_item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inventory_items.id"))
    part_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parts_catalog.id"), index=True)
    part_number: Mapped[str] = mapped_column(String(100))
    manufacturer: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(255))
    condition: Mapped[str] = mapped_column(String(30), default="new", server_default="new")
    quantity: Mapped[int] = mapped_column(Integer)
    # Units reserved from stock at checkout; the rest (supplier backorder) ships after the lead time.
    quantity_reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    unit_price: Mapped[money]
    line_total: Mapped[money]
    eta_days: Mapped[int | None] = mapped_column(Integer)


class OrderEvent(Base):
    """Every status change of an order, who made it and why (the order's history)."""

    __tablename__ = "order_events"

    id: Mapped[uuid_pk]
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_ts]
