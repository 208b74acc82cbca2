"""What Partpilot tells people: one row per person and event (written in the same transaction as the change
that causes it, so an event is never lost or told twice), and how it went out on each channel."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, created_ts, uuid_pk


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    category: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    subject_type: Mapped[str | None] = mapped_column(String(30))
    subject_id: Mapped[uuid.UUID | None] = mapped_column()
    event_key: Mapped[str] = mapped_column(String(300), unique=True)  # one notification per person per event
    created_at: Mapped[created_ts]
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How it can be answered where it arrives: [{"label": "Accept $380", "say": "accept"}, …]
    actions: Mapped[list[dict[str, str]] | None] = mapped_column(JSONB)


class NotificationDelivery(Base):
    """A notification on one channel: "web" (the inbox) at once; Slack, SMS and email as they are sent."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (UniqueConstraint("notification_id", "channel"),
                      Index("ix_notification_deliveries_waiting", "status", "due_at",
                            postgresql_where=text("status IN ('pending', 'sending')")))

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    provider_id: Mapped[str | None] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(Integer, server_default="0", default=0)
    created_at: Mapped[created_ts]
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cadence: Mapped[str] = mapped_column(String(10), server_default="immediate", default="immediate")
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # quiet hours or a digest's time
    digest_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("notifications.id", ondelete="SET NULL"))


class NotificationSettings(Base):
    """A person's quiet hours (in their time zone), whether urgent notices break through, their hourly cap."""

    __tablename__ = "notification_settings"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    time_zone: Mapped[str | None] = mapped_column(String(60))
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    urgent_breaks_quiet: Mapped[bool] = mapped_column(Boolean, server_default="false", default=False)
    max_per_hour: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[created_ts]


class NotificationPreference(Base):
    """Per person and topic ("all" for the rest): which channel, on or off, now or in a digest."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(30), primary_key=True)
    channel: Mapped[str | None] = mapped_column(String(20))
    enabled: Mapped[bool] = mapped_column(Boolean, server_default="true", default=True)
    cadence: Mapped[str] = mapped_column(String(10), server_default="immediate", default="immediate")
