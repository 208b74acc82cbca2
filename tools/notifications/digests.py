"""Digests: the notices a person asked to get hourly or daily (or that went past their hourly limit) folded
into one message per person and channel when their time comes. Folding is one transaction — the digest and
the "digested" marks on what it folds commit together — so a restart mid-digest loses and repeats nothing;
the digest itself then goes out like any notice (channels/notices.py)."""

from __future__ import annotations

import logging
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Engine, text

from tools.notifications.events import record
from tools.notifications.routing import Route
from tools.schedule import scheduled

log = logging.getLogger(__name__)

_SHOWN = 8  # lines in one digest; an SMS stays a few segments long, the inbox has the rest

_DUE = text(
    "SELECT d.id, d.channel, n.user_id, n.title FROM notification_deliveries d "
    "JOIN notifications n ON n.id = d.notification_id WHERE d.status = 'pending' AND d.cadence <> 'immediate' "
    "AND d.due_at <= :now ORDER BY n.user_id, d.channel, n.created_at, d.id LIMIT 5000 FOR UPDATE OF d SKIP LOCKED")
_FOLDED = text("UPDATE notification_deliveries SET status = 'digested', digest_id = :digest, sent_at = :now "
               "WHERE id = ANY(:ids)")


def digest_text(titles: list[str]) -> tuple[str, str]:
    """The title and body of a digest of notices with these titles, oldest first."""
    title = f"{len(titles)} update{'s' if len(titles) != 1 else ''} while you were away"
    lines = [f"• {t}" for t in titles[:_SHOWN]]
    if len(titles) > _SHOWN:
        lines.append(f"…and {len(titles) - _SHOWN} more. Ask \"what did I miss?\" for all of them.")
    return title, "\n".join(lines)


@scheduled("send_digests", cron="* * * * *")
def send_digests(engine: Engine, now: datetime) -> int:
    """Fold every digest that is due; how many notices were folded."""
    folded = 0
    with engine.begin() as conn:
        rows = conn.execute(_DUE, {"now": now}).all()
        for (user_id, channel), group in groupby(rows, key=lambda r: (r.user_id, r.channel)):
            items: list[Any] = list(group)
            title, body = digest_text([r.title for r in items])
            digest = record(conn, user_id, "digest", title, body, subject_type="digest", subject_id=None,
                            event=f"{channel}:{items[0].id}", only=Route(channel, "immediate", None))
            conn.execute(_FOLDED, {"digest": digest, "ids": [r.id for r in items], "now": now})
            folded += len(items)
    if folded:
        log.info("folded %d notices into digests", folded)
    return folded
