"""Deal alerts: a person's saved search ("tell me when a used GAA26800LC1 under $400 shows up within 50 miles"),
checked against each listing when it is published or its price drops. Rules are found by index — a part number
rule by its normalised number, a free-text rule by its query's embedding or its words — never by a scan."""

from __future__ import annotations

import uuid
from datetime import datetime

from pgvector.sqlalchemy import Vector
from sqlalchemy import Boolean, Computed, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import EMBEDDING_DIMS, Base, Timestamped, money, uuid_pk


class DealAlert(Timestamped, Base):
    __tablename__ = "deal_alerts"
    __table_args__ = (
        Index("ix_deal_alerts_user_id_created_at", "user_id", "created_at"),
        Index("ix_deal_alerts_live_part", "part_number_norm",
              postgresql_where="NOT paused AND part_number_norm IS NOT NULL"),
        # read on every publish, written when someone saves an alert: no pending list to scan on each read
        Index("ix_deal_alerts_query_terms", "query_terms", postgresql_using="gin",
              postgresql_where="NOT paused AND part_number_norm IS NULL", postgresql_with={"fastupdate": "off"}),
        Index("ix_deal_alerts_embedding", "embedding", postgresql_using="hnsw",
              postgresql_ops={"embedding": "vector_cosine_ops"}),
    )

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    name: Mapped[str] = mapped_column(String(200))
    part_number: Mapped[str | None] = mapped_column(String(100))
    part_number_norm: Mapped[str | None] = mapped_column(String(100))
    manufacturer: Mapped[str | None] = mapped_column(String(100))
    query: Mapped[str | None] = mapped_column(Text)
    # The query's words as lexemes: a listing whose text holds all of them matches (GIN: terms <@ listing's).
    query_terms: Mapped[list[str] | None] = mapped_column(
        ARRAY(Text),
        Computed("tsvector_to_array(to_tsvector('english'::regconfig, COALESCE(query, '')))", persisted=True))
    embedding: Mapped[list[float] | None] = mapped_column(Vector(EMBEDDING_DIMS))
    conditions: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list, server_default="{}")
    max_price: Mapped[money | None]
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    radius_km: Mapped[float | None] = mapped_column(Float)
    place: Mapped[str | None] = mapped_column(String(200))
    trade: Mapped[str | None] = mapped_column(String(30))
    category: Mapped[str | None] = mapped_column(String(50))
    listing_type: Mapped[str | None] = mapped_column(String(20))
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    match_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_matched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
