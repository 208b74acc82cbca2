"""Chat threads of the web channel: which user a conversation belongs to (its messages live in the
LangGraph checkpoint under the same thread id)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from knowledge import clock
from knowledge.models.base import Base, created_ts


class ChatThread(Base):
    """One conversation of one user; `id` is the agent thread id (`web:<client id>`)."""

    __tablename__ = "chat_threads"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20), default="web", server_default="web")
    title: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[created_ts]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now,
                                                 server_default=func.now())
