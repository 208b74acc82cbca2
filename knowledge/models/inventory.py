"""Where stock physically is (warehouses, trucks, sites, offices) and how much of it."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, Timestamped, created_ts, currency, json_list, money, uuid_pk

LOCATION_TYPES = ("warehouse", "truck", "site", "office")


class StockLocation(Base):
    __tablename__ = "stock_locations"
    __table_args__ = (
        CheckConstraint("location_type IN ('warehouse', 'truck', 'site', 'office')", name="location_type"),
    )

    id: Mapped[uuid_pk]
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    location_type: Mapped[str] = mapped_column(String(30), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(100))
    state_province: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    is_mobile: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    assigned_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    contact_email: Mapped[str | None] = mapped_column(String(255))
    pickup_hours: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_at: Mapped[created_ts]


class InventoryItem(Base, Timestamped):
    __tablename__ = "inventory_items"
    __table_args__ = (
        CheckConstraint(
            "quantity_on_hand >= 0 AND quantity_reserved >= 0 AND quantity_on_order >= 0 "
            "AND quantity_reserved <= quantity_on_hand",
            name="positive_quantities",
        ),
        Index("idx_inventory_part", "part_number", "manufacturer"),
        Index(
            "idx_inventory_available", "available_for_sale", "available_for_trade",
            postgresql_where="quantity_on_hand > quantity_reserved",
        ),
    )

    id: Mapped[uuid_pk]
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    part_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parts_catalog.id"), index=True)
    part_number: Mapped[str] = mapped_column(String(100))
    manufacturer: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    stock_location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stock_locations.id"), index=True)
    bin_location: Mapped[str | None] = mapped_column(String(50))
    quantity_on_hand: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    quantity_reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    quantity_available: Mapped[int] = mapped_column(
        Integer, Computed("quantity_on_hand - quantity_reserved", persisted=True)
    )
    quantity_on_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reorder_point: Mapped[int | None] = mapped_column(Integer)
    reorder_quantity: Mapped[int | None] = mapped_column(Integer)
    condition: Mapped[str] = mapped_column(String(30))
    acquisition_cost: Mapped[money | None]
    current_value: Mapped[money | None]
    currency: Mapped[currency]
    serial_numbers: Mapped[json_list]
    lot_number: Mapped[str | None] = mapped_column(String(100))
    manufacture_date: Mapped[date | None] = mapped_column(Date)
    expiration_date: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(30))
    source_equipment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("equipment.id"))
    purchase_order_id: Mapped[uuid.UUID | None] = mapped_column()
    supplier_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organizations.id"))
    available_for_sale: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    available_for_trade: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    list_price: Mapped[money | None]
    last_counted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class InventoryMovement(Base):
    """One change of stock with its reason: an adjustment (count, use, damage…) or one leg of a transfer."""

    __tablename__ = "inventory_movements"
    __table_args__ = (CheckConstraint("quantity_change <> 0", name="nonzero_change"),)

    id: Mapped[uuid_pk]
    inventory_item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_items.id"), index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    quantity_change: Mapped[int] = mapped_column(Integer)
    quantity_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    transfer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    created_at: Mapped[created_ts]
