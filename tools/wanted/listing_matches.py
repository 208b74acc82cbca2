"""A listing just published, told to the people whose open wanted posts it could fill.

The posts are found by SQL from the listing's own part — its number and the parts before and after it in its
supersession chain; for posts that name no number, those of its category whose equipment it fits or whose
words are nearest (the HNSW index) — never by reading every post. Each candidate is then checked by the same
matching create_wanted_post uses (matching.find_matches), as its poster: nobody is told of a listing they
could not see, or that fits only one way round (an older part stands in for a newer one only across drop-in
hops)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import MarketplaceListing
from knowledge.partnumbers import normalize_part_number
from tools.catalog.parts import number_norm_sql
from tools.catalog.supersession import supersession_hops
from tools.listings.marketplace import org_name
from tools.notifications.more_events import wanted_match
from tools.notifications.recipients import callers
from tools.rules.clock import utcnow
from tools.wanted.matching import WantedMatch, find_matches, post_spec

MAX_POSTS = 100  # per listing: a part wanted by more posters than this is told to the oldest posts first
NEAREST_UNNUMBERED = 25

_OPEN = ("w.status = 'active' AND w.expires_at > :now AND w.organization_id <> :seller_org")
_NUMBERED = text(
    f"SELECT w.* FROM wanted_posts w WHERE {_OPEN} AND (w.part_id = ANY(CAST(:ids AS uuid[])) OR "
    f"{number_norm_sql('w.part_number')} = ANY(CAST(:norms AS text[]))) ORDER BY w.created_at, w.id LIMIT :max")
_UNNUMBERED = text(
    f"SELECT w.* FROM wanted_posts w WHERE w.id IN ("
    f" (SELECT w.id FROM wanted_posts w WHERE {_OPEN} AND w.part_number IS NULL AND w.category = :cat "
    f"  AND regexp_replace(upper(w.equipment_model), '[^A-Z0-9]', '', 'g') IN (SELECT m.model_norm FROM "
    f"  part_compatibility pc JOIN equipment_models m ON m.id = pc.equipment_model_id WHERE pc.part_id = :pid) "
    f"  ORDER BY w.created_at LIMIT :max)"
    f" UNION (SELECT w.id FROM wanted_posts w WHERE {_OPEN} AND w.part_number IS NULL AND w.category = :cat "
    f"  AND w.embedding IS NOT NULL ORDER BY w.embedding <=> (SELECT l.embedding FROM marketplace_listings l "
    f"  WHERE l.id = :lid) LIMIT :nearest)) ORDER BY w.created_at, w.id")


def _chain(session: Session, listing: MarketplaceListing) -> tuple[list[uuid.UUID], list[str]]:
    """The listing's part and every part before or after it in its supersession chain: ids and numbers."""
    ids, numbers = [], [listing.part_number]
    if listing.part_id is not None:
        older, newer = supersession_hops(session, listing.part_id)
        ids = [listing.part_id] + [h.from_part_id for h in older] + [h.to_part_id for h in newer]
        numbers += [h.from_part_number for h in older] + [h.to_part_number for h in newer]
    return list(dict.fromkeys(ids)), list(dict.fromkeys(normalize_part_number(n) for n in numbers))


def _candidates(session: Session, listing: MarketplaceListing) -> list[Any]:
    ids, norms = _chain(session, listing)
    params = {"now": utcnow(), "seller_org": listing.organization_id, "ids": ids, "norms": norms,
              "max": MAX_POSTS, "cat": listing.category, "pid": listing.part_id, "lid": listing.id,
              "nearest": NEAREST_UNNUMBERED}
    return list(session.execute(_NUMBERED, params)) + list(session.execute(_UNNUMBERED, params))


def _how(match: WantedMatch, post: Any) -> str:
    if match.relation == "newer_replacement":
        return f"supersedes it: {match.chain}"
    if match.relation == "older_equivalent":
        return f"a drop-in equivalent: {match.chain}"
    if match.relation == "similar":
        return f"fits {post.equipment_model} or is described alike" if post.equipment_model else "a similar part"
    return ""


def tell_wanted_posters(session: Session, listing: MarketplaceListing) -> int:
    """Tell the poster of each open wanted post the newly live `listing` fits (not the seller's own
    organization's posts); how many were told."""
    rows = _candidates(session, listing)
    posters = callers(session, {row.requester_id for row in rows})
    seller = org_name(session, listing.organization_id)
    told = 0
    for row in rows:
        poster = posters.get(row.requester_id)
        if poster is None or row.requester_id == listing.seller_id:
            continue
        found = find_matches(session, poster, post_spec(row, {}), limit=1, only_listing=listing.id)
        if found and wanted_match(session, row, listing, seller, _how(found[0], row), found[0].unit_price):
            told += 1
    return told
