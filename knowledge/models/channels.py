"""What the messaging channels remember: deliveries already handled (platform retries are ignored),
messages sent with their delivery status, and SMS numbers that opted out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Identity, Integer, String, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, created_ts


class ChannelDelivery(Base):
    """One inbound delivery (Slack event id, Twilio MessageSid, button click) claimed exactly once."""

    __tablename__ = "channel_deliveries"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    conversation_key: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[created_ts]
    job_id: Mapped[int | None] = mapped_column(BigInteger)  # the queued job that answers it (its retries too)
    turn_from: Mapped[str | None] = mapped_column(String(100))  # the checkpoint its agent turn started from


class ChannelOutbox(Base):
    """A reply rendered for its platform and waiting to be sent, or sent (`provider_id`: Slack ts, Twilio sid).

    Stored before sending, so a job retried after a crash sends what the first attempt decided instead of
    running the agent again."""

    __tablename__ = "channel_outbox"
    __table_args__ = (UniqueConstraint("channel", "delivery_id", "seq"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    delivery_id: Mapped[str] = mapped_column(String(200))
    seq: Mapped[int] = mapped_column(Integer)
    conversation_key: Mapped[str] = mapped_column(String(200), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    provider_id: Mapped[str | None] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    created_at: Mapped[created_ts]
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ChannelOutboundMessage(Base):
    """A reply sent through a platform API (Twilio message sid, Slack ts) and its latest delivery status."""

    __tablename__ = "channel_outbound_messages"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    conversation_key: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(30))
    segments: Mapped[int | None] = mapped_column(Integer)
    error_code: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[created_ts]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ChannelOptOut(Base):
    """An address (phone number) that sent STOP: nothing is sent to it until it sends START."""

    __tablename__ = "channel_opt_outs"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    address: Mapped[str] = mapped_column(String(100), primary_key=True)
    created_at: Mapped[created_ts]
