"""Telling a person that something they care about happened: one notification row per person and event,
written with the caller's own connection or session — in the same transaction as the change that causes it,
so the change and its notice commit together or not at all. The inbox (the "web" channel) has it at once;
a pending delivery on the person's own channel (Slack, else SMS) is the outbox the job workers send from."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from tools.notifications.categories import topic_of

_INSERT = text(
    "INSERT INTO notifications (user_id, organization_id, category, title, body, subject_type, subject_id, event_key) "
    "SELECT u.id, u.organization_id, :category, :title, :body, :stype, :sid, :key FROM users u "
    "WHERE u.id = :user AND u.is_active ON CONFLICT (event_key) DO NOTHING RETURNING id")
_INBOX = text("INSERT INTO notification_deliveries (notification_id, channel, status, sent_at) "
              "VALUES (:id, 'web', 'delivered', now()) ON CONFLICT DO NOTHING")
# Their own channel besides the inbox: Slack when their account is linked, else a text to their phone; the
# channels' job workers send it (channels/notices.py).
_THEIR_CHANNEL = text(
    "INSERT INTO notification_deliveries (notification_id, channel, status) "
    "SELECT :id, CASE WHEN u.slack_user_id IS NOT NULL THEN 'slack' ELSE 'sms' END, 'pending' FROM users u "
    "WHERE u.id = :user AND (u.slack_user_id IS NOT NULL OR u.phone IS NOT NULL) ON CONFLICT DO NOTHING")


def notify(db: Any, user_id: uuid.UUID | None, category: str, title: str, body: str, *, subject_type: str,
           subject_id: uuid.UUID, event: str) -> bool:
    """Record a notice for `user_id` (a Session or Connection: the caller's transaction). `event` names this
    occurrence (the same event recorded twice — a retried job — is one notice). False when it was already
    there, or the person is gone."""
    if user_id is None:
        return False
    topic_of(category)  # an unknown category is a bug
    new = db.execute(_INSERT, {"category": category, "title": title[:200], "body": body, "stype": subject_type,
                               "sid": subject_id, "key": f"{category}:{subject_id}:{event}:{user_id}"[:300],
                               "user": user_id}).scalar()
    if new is not None:
        db.execute(_INBOX, {"id": new})
        db.execute(_THEIR_CHANNEL, {"id": new, "user": user_id})
    return new is not None
