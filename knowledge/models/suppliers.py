"""Supplier catalogs: organizations that sell new parts from branches (authorized distributors, OEMs,
independents), with per-part price breaks, stock on hand per branch, lead time and a daily cut-off time."""

from __future__ import annotations

import uuid
from datetime import time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, Timestamped, created_ts, currency, json_list, money, uuid_pk

SUPPLIER_TYPES = ("authorized_distributor", "oem", "independent")


class Supplier(Base, Timestamped):
    """The supplier profile of an organization: the organization is the seller of its orders."""

    __tablename__ = "suppliers"
    __table_args__ = (
        CheckConstraint("supplier_type IN ('authorized_distributor', 'oem', 'independent')", name="supplier_type"),
    )

    id: Mapped[uuid_pk]
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    supplier_type: Mapped[str] = mapped_column(String(30))
    authorized: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    # Brands the supplier is authorized for (empty: all it carries).
    authorized_brands: Mapped[json_list]
    orders_email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(50))
    timezone: Mapped[str] = mapped_column(String(60), default="America/Denver", server_default="America/Denver")
    payment_terms: Mapped[str] = mapped_column(String(60), default="Net 30", server_default="Net 30")


class SupplierBranch(Base):
    __tablename__ = "supplier_branches"
    __table_args__ = (UniqueConstraint("supplier_id", "code"),)

    id: Mapped[uuid_pk]
    supplier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    city: Mapped[str | None] = mapped_column(String(100))
    state_province: Mapped[str | None] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    # Orders placed before this local time ship the same day ("order by 6 pm ships today").
    cutoff_time: Mapped[time] = mapped_column(Time, default=time(17, 0), server_default="17:00")
    will_call: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_at: Mapped[created_ts]


class SupplierOffer(Base, Timestamped):
    """One part at one branch: price (with breaks), stock on hand and reserved, lead time when out of stock."""

    __tablename__ = "supplier_offers"
    __table_args__ = (
        UniqueConstraint("branch_id", "part_number_norm"),
        CheckConstraint("stock_on_hand >= 0 AND stock_reserved >= 0 AND stock_reserved <= stock_on_hand",
                        name="stock_quantities"),
        CheckConstraint("unit_price >= 0", name="price_nonnegative"),
        Index("ix_supplier_offers_part_number_norm", "part_number_norm"),
    )

    id: Mapped[uuid_pk]
    supplier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supplier_branches.id", ondelete="CASCADE"))
    part_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parts_catalog.id"), index=True)
    part_number: Mapped[str] = mapped_column(String(100))
    part_number_norm: Mapped[str] = mapped_column(String(100))
    manufacturer: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(255))
    unit_price: Mapped[money]
    # [{"min_quantity": 10, "unit_price": "95.00"}, …] ascending; the base price applies below the first break.
    price_breaks: Mapped[json_list]
    currency: Mapped[currency]
    stock_on_hand: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    stock_reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lead_time_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    backorder_allowed: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
