"""Listings the graph tests watch and count: one nobody has saved yet, picked at random so tests sharing a
database do not step on each other."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, text

TECH = "maria.gonzalez@summitvm.example"


def watchable_listing(engine: Engine, email: str = TECH) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text(
            "SELECT l.id FROM marketplace_listings l WHERE l.status = 'active' AND l.visibility = 'public' "
            "AND l.organization_id <> (SELECT organization_id FROM users WHERE email = :e) "
            "AND NOT EXISTS (SELECT 1 FROM saved_listings s WHERE s.listing_id = l.id) "
            "ORDER BY l.id LIMIT 1 OFFSET :o"), {"e": email, "o": int(uuid.uuid4().int % 40)}).scalar_one())


def saved_count(engine: Engine, listing_id: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM saved_listings WHERE listing_id = :l"),
                                {"l": listing_id}).scalar_one())
