"""An offer's status as of now, in SQL (alias f = part_offers), and closing offers whose time is up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from tools.notifications.marketplace_events import offer_expired
from tools.rules.clock import utcnow
from tools.schedule import scheduled

# An open offer past its expires_at is expired at :now whether or not a write has recorded it yet: reads
# show it so and never change the row (alias f = part_offers).
OFFER_STATUS_SQL = ("CASE WHEN f.status IN ('pending', 'countered') AND f.expires_at <= :now THEN 'expired' "
                    "ELSE f.status END")
OPEN_OFFER_SQL = "(f.status IN ('pending', 'countered') AND (f.expires_at IS NULL OR f.expires_at > :now))"


NEWEST_FIRST_PAGE = "ORDER BY f.created_at DESC, f.id LIMIT :limit OFFSET :offset"


def count_offers(session: Session, where: list[str], params: dict[str, Any]) -> int:
    """How many offers match all of `where` (aliases f = part_offers, l = its listing): a list's every page."""
    sql = "SELECT count(*) FROM part_offers f JOIN marketplace_listings l ON l.id = f.listing_id WHERE " + \
        " AND ".join(where)
    return int(session.execute(text(sql), {**params, "now": utcnow()}).scalar_one())


@scheduled("expire_offers")
def expire_offers(engine: Engine, now: datetime) -> int:
    """Open offers past their expiry are recorded as expired (reads already showed them so); how many."""
    with engine.begin() as conn:
        rows = conn.execute(text(
            "UPDATE part_offers f SET status = 'expired', responded_at = COALESCE(f.responded_at, f.expires_at) "
            "FROM marketplace_listings l WHERE l.id = f.listing_id AND f.status IN ('pending', 'countered') "
            "AND f.expires_at <= :now RETURNING f.id, f.buyer_id, l.part_number"), {"now": now}).all()
        for row in rows:
            offer_expired(conn, row, now)
    return len(rows)
