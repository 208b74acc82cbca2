"""Operational tables the tools need: idempotent tool calls, stock holds for emergency pickup, and the photos
users send (with the listings they are attached to)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, created_ts, uuid_pk


class ToolCall(Base):
    """One executed WRITE tool call, keyed by (user, idempotency key), with its stored result."""

    __tablename__ = "tool_calls"

    idempotency_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    tool_name: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    args_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict | None] = mapped_column(JSONB)  # type: ignore[type-arg]
    created_at: Mapped[created_ts]


class StockHold(Base):
    """Units set aside at a location for an emergency pickup: active until picked up, released by its holder
    (or their organization's stock managers) or expired."""

    __tablename__ = "stock_holds"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[uuid_pk]
    inventory_item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_items.id"), index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    pickup_code: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="active", server_default="active")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[created_ts]
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    released_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class Photo(Base):
    """A photo a user sent (nameplate, label, part): referenced by id from conversation turns."""

    __tablename__ = "photos"

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(50))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(String(30), default="upload", server_default="upload")
    created_at: Mapped[created_ts]


class ListingPhoto(Base):
    """A stored photo shown on a marketplace listing (`position` orders the gallery)."""

    __tablename__ = "listing_photos"

    listing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("marketplace_listings.id", ondelete="CASCADE"),
                                                  primary_key=True)
    photo_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("photos.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[created_ts]
