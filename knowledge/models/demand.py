"""Demand-side and market-intelligence tables: wanted posts, bids, watchlist, ratings, price history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import EMBEDDING_DIMS, Base, created_ts, currency, json_list, money, uuid_pk
from knowledge.models.catalog import PART_NUMBER_NORM_SQL


class WantedPost(Base):
    __tablename__ = "wanted_posts"
    __table_args__ = (
        Index("idx_wanted_status", "status", postgresql_where="status = 'active'"),
        # a published listing finds the open posts it could fill (tools/wanted/listing_matches.py)
        Index("ix_wanted_posts_open_part_id", "part_id", postgresql_where=text("status = 'active'")),
        Index("ix_wanted_posts_open_number", text(PART_NUMBER_NORM_SQL.format(col="part_number")),
              postgresql_where=text("status = 'active'")),
        Index(
            "idx_wanted_embedding", "embedding", postgresql_using="hnsw",
            postgresql_ops={"embedding": "vector_cosine_ops"},
        ),
    )

    id: Mapped[uuid_pk]
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    requester_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    part_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parts_catalog.id"))
    part_number: Mapped[str | None] = mapped_column(String(100))
    manufacturer: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(50), index=True)
    equipment_type: Mapped[str | None] = mapped_column(String(100))
    equipment_manufacturer: Mapped[str | None] = mapped_column(String(100))
    equipment_model: Mapped[str | None] = mapped_column(String(100))
    equipment_serial: Mapped[str | None] = mapped_column(String(100))
    fault_code: Mapped[str | None] = mapped_column(String(50))
    quantity_needed: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    acceptable_conditions: Mapped[json_list]
    needed_by_date: Mapped[date | None] = mapped_column(Date)
    urgency: Mapped[str] = mapped_column(String(20), default="standard", server_default="standard", index=True)
    max_price: Mapped[money | None]
    currency: Mapped[currency]
    city: Mapped[str] = mapped_column(String(100))
    state_province: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    visibility: Mapped[str] = mapped_column(String(20), default="industry", server_default="industry")
    status: Mapped[str] = mapped_column(String(20), default="active", server_default="active")
    responses_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    embedding: Mapped[list[float] | None] = mapped_column(Vector(EMBEDDING_DIMS))
    created_at: Mapped[created_ts]
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class AuctionBid(Base):
    __tablename__ = "auction_bids"
    __table_args__ = (CheckConstraint("bid_amount > 0", name="bid_amount_positive"),)

    id: Mapped[uuid_pk]
    listing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("marketplace_listings.id", ondelete="CASCADE"), index=True
    )
    bidder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    bidder_organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    bid_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    max_bid: Mapped[money | None]
    is_winning: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    outbid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[created_ts]
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class SavedListing(Base):
    __tablename__ = "saved_listings"
    __table_args__ = (UniqueConstraint("user_id", "listing_id", name="unique_saved"),)

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    listing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("marketplace_listings.id", ondelete="CASCADE"))
    notes: Mapped[str | None] = mapped_column(Text)
    price_alert_threshold: Mapped[money | None]
    created_at: Mapped[created_ts]


class SellerRating(Base):
    __tablename__ = "seller_ratings"

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    total_transactions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total_sales_volume: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0, server_default="0")
    average_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    rating_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    on_time_shipping_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    response_time_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    return_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    last_updated: Mapped[created_ts]


class PartPriceHistory(Base):
    __tablename__ = "part_price_history"
    __table_args__ = (Index("idx_price_history_part", "part_number", "manufacturer"),)

    id: Mapped[uuid_pk]
    part_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parts_catalog.id"), index=True)
    part_number: Mapped[str] = mapped_column(String(100))
    manufacturer: Mapped[str] = mapped_column(String(100))
    condition: Mapped[str] = mapped_column(String(30))
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[currency]
    source: Mapped[str | None] = mapped_column(String(50))
    source_id: Mapped[uuid.UUID | None] = mapped_column()
    region: Mapped[str | None] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class WantedResponse(Base):
    """A seller's answer to a wanted post: what they can supply, at what price, optionally as a listing.
    open → accepted (the requester took it: `transaction_id` is the deal) or closed (the post was filled)."""

    __tablename__ = "wanted_responses"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[uuid_pk]
    wanted_post_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("wanted_posts.id", ondelete="CASCADE"), index=True)
    responder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    responder_organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    listing_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("marketplace_listings.id"))
    part_number: Mapped[str] = mapped_column(String(100))
    condition: Mapped[str] = mapped_column(String(30))
    quantity: Mapped[int] = mapped_column(Integer)
    price: Mapped[money | None]
    currency: Mapped[currency]
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    created_at: Mapped[created_ts]
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    transaction_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("part_transactions.id"), unique=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


__all__ = ["AuctionBid", "PartPriceHistory", "SavedListing", "SellerRating", "WantedPost", "WantedResponse"]
