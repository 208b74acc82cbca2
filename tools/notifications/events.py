"""Telling a person that something they care about happened: one notification row per person and event,
written with the caller's own connection or session — in the same transaction as the change that causes it,
so the change and its notice commit together or not at all. The inbox (the "web" channel) has it at once;
a pending delivery on the person's own channel (routing.py: their choice, quiet hours, digests) is the outbox
the job workers send from."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from tools.notifications.categories import topic_of
from tools.notifications.routing import Route, route
from tools.rules.clock import utcnow


@dataclass(frozen=True)
class Action:
    """One way to answer a notice where it arrives: a button's `label`, and what answering says to Partpilot in
    the conversation the notice entered (over SMS, `say` in capitals is the reply word)."""

    label: str
    say: str

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "say": self.say}


_INSERT = text(
    "INSERT INTO notifications (user_id, organization_id, category, title, body, subject_type, subject_id, event_key, "
    "actions, created_at) SELECT u.id, u.organization_id, :category, :title, :body, :stype, :sid, :key, "
    "CAST(:actions AS jsonb), :now FROM users u "
    "WHERE u.id = :user AND u.is_active ON CONFLICT (event_key) DO NOTHING RETURNING id")
_INBOX = text("INSERT INTO notification_deliveries (notification_id, channel, status, created_at, sent_at) "
              "VALUES (:id, 'web', 'delivered', :now, :now) ON CONFLICT DO NOTHING")
_ANNOUNCE = text("SELECT pg_notify('partpilot_notices', '')")
_THEIR_CHANNEL = text(
    "INSERT INTO notification_deliveries (notification_id, channel, status, cadence, due_at, created_at) "
    "VALUES (:id, :channel, 'pending', :cadence, :due, :now) ON CONFLICT DO NOTHING")


def notify(db: Any, user_id: uuid.UUID | None, category: str, title: str, body: str, *, subject_type: str,
           subject_id: uuid.UUID | None, event: str, actions: list[Action] | None = None) -> bool:
    """Record a notice for `user_id` (a Session or Connection: the caller's transaction). `event` names this
    occurrence (the same event recorded twice — a retried job — is one notice). `actions`: the answers it can
    be given where it arrives. False when it was already there, or the person is gone."""
    return record(db, user_id, category, title, body, subject_type=subject_type, subject_id=subject_id,
                  event=event, actions=actions) is not None


def record(db: Any, user_id: uuid.UUID | None, category: str, title: str, body: str, *, subject_type: str,
           subject_id: uuid.UUID | None, event: str, actions: list[Action] | None = None,
           only: Route | None = None) -> uuid.UUID | None:
    """notify(), returning the new notification's id. `only`: this one delivery instead of the inbox and the
    person's routing (a digest goes where the notices it folds were headed)."""
    if user_id is None:
        return None
    topic_of(category)  # an unknown category is a bug
    now = utcnow()
    new = db.execute(_INSERT, {"now": now, "category": category, "title": title[:200], "body": body,
                               "stype": subject_type, "sid": subject_id,
                               "key": f"{category}:{subject_id}:{event}:{user_id}"[:300], "user": user_id,
                               "actions": json.dumps([a.as_json() for a in actions]) if actions else None}).scalar()
    if new is not None:
        if only is None:
            db.execute(_INBOX, {"id": new, "now": now})
        way = only or route(db, user_id, category, now)
        if way is not None:
            db.execute(_THEIR_CHANNEL, {"id": new, "channel": way.channel, "cadence": way.cadence,
                                        "due": way.due_at, "now": now})
            if way.cadence == "immediate" and way.due_at is None:
                db.execute(_ANNOUNCE)  # heard by the workers' notice pumps at commit (partpilot/notice_pump.py)
    return new
