"""Marketplace: listings, offers, transactions, wanted posts, auctions, watchlist, ratings, price history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pgvector.sqlalchemy import Vector
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
    Numeric,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import EMBEDDING_DIMS, Base, Timestamped, created_ts, currency, json_list, money, uuid_pk

LISTING_SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple', coalesce(part_number, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(manufacturer, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(name, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(description, '')), 'C')"
)


class PartCondition(StrEnum):
    NEW = "new"
    REFURBISHED = "refurbished"
    USED_EXCELLENT = "used_excellent"
    USED_GOOD = "used_good"
    USED_FAIR = "used_fair"
    SALVAGE = "salvage"
    FOR_PARTS = "for_parts"


class ListingType(StrEnum):
    SALE = "sale"
    TRADE = "trade"
    WANTED = "wanted"
    AUCTION = "auction"
    EMERGENCY = "emergency"


class ListingVisibility(StrEnum):
    INTERNAL = "internal"
    NETWORK = "network"
    INDUSTRY = "industry"
    PUBLIC = "public"


class ListingStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RESERVED = "reserved"
    SOLD = "sold"
    TRADED = "traded"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class OfferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COUNTERED = "countered"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class FulfillmentType(StrEnum):
    SHIPPING = "shipping"
    LOCAL_PICKUP = "local_pickup"
    WILL_CALL = "will_call"
    EMERGENCY_DELIVERY = "emergency_delivery"


class MarketplaceListing(Base, Timestamped):
    __tablename__ = "marketplace_listings"
    __table_args__ = (
        CheckConstraint("quantity_available >= 0", name="quantity_nonnegative"),
        Index("idx_listings_status", "status", postgresql_where="status = 'active'"),
        Index("idx_listings_search", "search_vector", postgresql_using="gin"),
        Index(
            "idx_listings_embedding", "embedding", postgresql_using="hnsw",
            postgresql_ops={"embedding": "vector_cosine_ops"},
        ),
        Index("idx_listings_part", "part_number", "manufacturer"),
    )

    id: Mapped[uuid_pk]
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    seller_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    listing_type: Mapped[str] = mapped_column(String(30), index=True)
    visibility: Mapped[str] = mapped_column(String(20), default="industry", server_default="industry")
    inventory_item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inventory_items.id"))
    part_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parts_catalog.id"), index=True)
    part_number: Mapped[str] = mapped_column(String(100))
    manufacturer: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(50), index=True)
    trade: Mapped[str | None] = mapped_column(String(30))
    condition: Mapped[str] = mapped_column(String(30))
    quantity_available: Mapped[int] = mapped_column(Integer)
    minimum_order_quantity: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    price: Mapped[money | None]
    price_negotiable: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    currency: Mapped[currency]
    accepts_trade: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    trade_for: Mapped[json_list]
    is_auction: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    starting_bid: Mapped[money | None]
    current_bid: Mapped[money | None]
    bid_increment: Mapped[money | None]
    bid_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    auction_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reserve_price: Mapped[money | None]
    stock_location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stock_locations.id"))
    city: Mapped[str] = mapped_column(String(100))
    state_province: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    fulfillment_options: Mapped[list[str]] = mapped_column(
        JSONB, default=lambda: ["shipping", "local_pickup"], server_default='["shipping", "local_pickup"]'
    )
    shipping_cost: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    estimated_shipping_days: Mapped[int | None] = mapped_column(Integer)
    local_pickup_available: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    emergency_available: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    emergency_premium: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    images: Mapped[json_list]
    videos: Mapped[json_list]
    compatible_equipment: Mapped[json_list]
    compatible_manufacturers: Mapped[json_list]
    warranty_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    return_policy: Mapped[str | None] = mapped_column(Text)
    ai_verified_compatibility: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    ai_price_assessment: Mapped[dict | None] = mapped_column(JSONB)  # type: ignore[type-arg]
    embedding: Mapped[list[float] | None] = mapped_column(Vector(EMBEDDING_DIMS))
    search_vector: Mapped[str] = mapped_column(TSVECTOR, Computed(LISTING_SEARCH_VECTOR_SQL, persisted=True))
    status: Mapped[str] = mapped_column(String(20), default="draft", server_default="draft")
    featured: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    views_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    inquiry_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    offer_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class PartOffer(Base):
    __tablename__ = "part_offers"

    id: Mapped[uuid_pk]
    listing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("marketplace_listings.id", ondelete="CASCADE"), index=True
    )
    buyer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    buyer_organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    offer_type: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    offered_price: Mapped[money | None]
    currency: Mapped[currency]
    trade_items: Mapped[json_list]
    message: Mapped[str | None] = mapped_column(Text)
    fulfillment_preference: Mapped[str | None] = mapped_column(String(30))
    delivery_address: Mapped[str | None] = mapped_column(Text)
    needed_by_date: Mapped[date | None] = mapped_column(Date)
    is_urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending", index=True)
    counter_offer: Mapped[dict | None] = mapped_column(JSONB)  # type: ignore[type-arg]
    response_message: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[created_ts]
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class PartTransaction(Base):
    __tablename__ = "part_transactions"
    __table_args__ = (
        CheckConstraint("seller_rating BETWEEN 1 AND 5", name="seller_rating_range"),
        CheckConstraint("buyer_rating BETWEEN 1 AND 5", name="buyer_rating_range"),
    )

    id: Mapped[uuid_pk]
    listing_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("marketplace_listings.id"), index=True)
    offer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("part_offers.id"), unique=True)
    seller_organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    buyer_organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    transaction_type: Mapped[str] = mapped_column(String(30))
    parts: Mapped[json_list]
    subtotal: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    shipping_cost: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=0, server_default="0")
    tax: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=0, server_default="0")
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[currency]
    trade_parts_received: Mapped[json_list]
    trade_value_difference: Mapped[money | None]
    payment_method: Mapped[str | None] = mapped_column(String(50))
    payment_status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending")
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    fulfillment_type: Mapped[str | None] = mapped_column(String(30))
    shipping_address: Mapped[str | None] = mapped_column(Text)
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pickup_code: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending", index=True)
    seller_rating: Mapped[int | None] = mapped_column(Integer)
    seller_review: Mapped[str | None] = mapped_column(Text)
    buyer_rating: Mapped[int | None] = mapped_column(Integer)
    buyer_review: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_ts]
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
