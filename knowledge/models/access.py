"""API keys: how programs act as a user over the REST API. Only a SHA-256 digest of each key is stored."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, created_ts, uuid_pk


class ApiKey(Base):
    """One API key of one user; `key_hash` is the hex SHA-256 of the plaintext, which is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[created_ts]
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WidgetKey(Base):
    """An organization's chat-widget credentials: the publishable key goes in page HTML; the secret signs user
    tokens on the organization's own servers and is stored as is (verifying an HMAC needs it), never shown to
    a browser."""

    __tablename__ = "widget_keys"

    id: Mapped[uuid_pk]
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    publishable_key: Mapped[str] = mapped_column(String(64), unique=True)
    secret: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[created_ts]
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
