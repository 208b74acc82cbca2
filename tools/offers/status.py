"""An offer's status as of now, in SQL (alias f = part_offers)."""

from __future__ import annotations

# An open offer past its expires_at is expired at :now whether or not a write has recorded it yet: reads
# show it so and never change the row (alias f = part_offers).
OFFER_STATUS_SQL = ("CASE WHEN f.status IN ('pending', 'countered') AND f.expires_at <= :now THEN 'expired' "
                    "ELSE f.status END")
OPEN_OFFER_SQL = "(f.status IN ('pending', 'countered') AND (f.expires_at IS NULL OR f.expires_at > :now))"
