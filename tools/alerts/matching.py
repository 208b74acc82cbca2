"""Telling alert owners of a listing: when a listing is published or its price drops, the rules that could match
it are found by index — part-number rules by the normalised numbers the listing's part stands in for (itself,
the older numbers it supersedes, and newer ones it is a drop-in equivalent of), free-text rules by the nearest
query embeddings and by their words all being in the listing's text — then filtered in the same statement
(price, condition, type, trade, category, distance). Each match becomes a notice in the caller's transaction,
so the publish or price change and its alerts commit together."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.encoders import similarity_floor
from knowledge.models import MarketplaceListing
from knowledge.partnumbers import normalize_part_number
from knowledge.supersession import MAX_HOPS
from tools.alerts.views import KM_PER_MILE
from tools.context import Caller
from tools.listings.embedding import vector_literal
from tools.listings.marketplace import is_visible, org_name
from tools.notifications.events import notify
from tools.rules.clock import utcnow
from tools.rules.geo import distance_sql
from tools.rules.money import usd
from tools.rules.wording import condition_words

SIMILAR_MIN = 0.45  # MiniLM cosine of a rule's words (a query) to a listing's text (a document) that counts
NEAREST_QUERY_RULES = 40  # free-text rules looked at per listing, nearest first (an HNSW walk)

# The parts a listed part may be sold as: those it supersedes (any kind of hop: new replaces old) and the
# newer parts it is a drop-in equivalent of — the mirror of tools/catalog/supersession.interchangeable_parts.
_STANDS_IN_FOR = text(f"""
    WITH RECURSIVE older AS (
        SELECT e.old_part_id AS id, 1 AS depth FROM part_supersessions e WHERE e.new_part_id = ANY(:ids)
        UNION SELECT e.old_part_id, o.depth + 1 FROM older o JOIN part_supersessions e ON e.new_part_id = o.id
        WHERE o.depth < {MAX_HOPS}
    ), newer AS (
        SELECT e.new_part_id AS id, 1 AS depth FROM part_supersessions e
        WHERE e.old_part_id = ANY(:ids) AND e.interchangeability = 'drop_in'
        UNION SELECT e.new_part_id, n.depth + 1 FROM newer n JOIN part_supersessions e ON e.old_part_id = n.id
        WHERE e.interchangeability = 'drop_in' AND n.depth < {MAX_HOPS}
    )
    SELECT DISTINCT p.part_number_norm FROM parts_catalog p
    WHERE p.id = ANY(:ids) OR p.id IN (SELECT id FROM older) OR p.id IN (SELECT id FROM newer)
""")

_WORDS = "tsvector_to_array(to_tsvector('english'::regconfig, :words))"
_RULE_DISTANCE = distance_sql("l").replace(":o_lat", "a.lat").replace(":o_lng", "a.lng")
_MATCHING_RULES = text(f"""
    WITH l AS (SELECT * FROM marketplace_listings WHERE id = :lid),
    candidates AS (
        SELECT a.id FROM deal_alerts a WHERE NOT a.paused AND a.part_number_norm = ANY(CAST(:norms AS text[]))
        UNION
        SELECT n.id FROM (SELECT a.id, a.embedding <=> CAST(:vec AS vector) AS d FROM deal_alerts a
                          WHERE a.embedding IS NOT NULL ORDER BY a.embedding <=> CAST(:vec AS vector)
                          LIMIT {NEAREST_QUERY_RULES}) n
        WHERE n.d <= :far
        UNION
        SELECT a.id FROM deal_alerts a WHERE NOT a.paused AND a.part_number_norm IS NULL
        AND a.query_terms && {_WORDS}  -- found by the GIN index; then all its words must be in (array_cat keeps
        AND array_cat(a.query_terms, '{{}}') <@ {_WORDS}  -- this test off the index, which scans all for <@)
    )
    SELECT DISTINCT ON (a.user_id) a.id, a.user_id, a.organization_id, a.name, a.place, {_RULE_DISTANCE} AS km
    FROM deal_alerts a JOIN candidates c ON c.id = a.id CROSS JOIN l
    WHERE NOT a.paused AND a.organization_id <> l.organization_id
      AND (a.max_price IS NULL OR COALESCE(l.price, l.current_bid, l.starting_bid) <= a.max_price)
      AND (cardinality(a.conditions) = 0 OR l.condition = ANY(a.conditions))
      AND (a.listing_type IS NULL OR a.listing_type = l.listing_type)
      AND (a.category IS NULL OR a.category = l.category)
      AND (a.trade IS NULL OR a.trade = l.trade)
      AND (a.part_number_norm IS NOT NULL OR a.manufacturer IS NULL OR lower(a.manufacturer) = lower(l.manufacturer))
      AND (a.radius_km IS NULL OR {_RULE_DISTANCE} <= a.radius_km)
    ORDER BY a.user_id, a.created_at, a.id
""")

_PARTNERS = text("SELECT o.id, ARRAY(SELECT p.partner_organization_id FROM organization_partners p "
                 "WHERE p.organization_id = o.id) AS partners FROM organizations o WHERE o.id = ANY(:ids)")
_COUNTED = text("UPDATE deal_alerts SET match_count = match_count + 1, last_matched_at = :now "
                "WHERE id = ANY(CAST(:ids AS uuid[]))")


def standing_in_numbers(session: Session, listing: MarketplaceListing) -> list[str]:
    """The normalised numbers a listing can be sold as: its own, and through supersession."""
    own = normalize_part_number(listing.part_number)
    ids = [listing.part_id] if listing.part_id else list(session.execute(
        text("SELECT id FROM parts_catalog WHERE part_number_norm = :n"), {"n": own}).scalars())
    norms = {own}
    if ids:
        norms.update(session.execute(_STANDS_IN_FOR, {"ids": ids}).scalars())
    return sorted(n for n in norms if n)


def _seeing(session: Session, rules: list[Any], listing_id: uuid.UUID) -> set[uuid.UUID]:
    """The organizations among the rules' owners that may see the listing (the one visibility rule)."""
    orgs = {r.organization_id: r.user_id for r in rules}
    partners = {r.id: r.partners or [] for r in session.execute(_PARTNERS, {"ids": list(orgs)})}
    return {org for org, user in orgs.items()
            if is_visible(session, Caller(user_id=user, organization_id=org, role="", email="", name="",
                                          organization_name="", partner_organization_ids=frozenset(partners[org])),
                          listing_id)}


def matching_rules(session: Session, listing: MarketplaceListing) -> list[Any]:
    """The deal alerts a live listing matches, one per person, whose owners may see it."""
    if listing.status != "active" or listing.listing_type == "wanted" or (
            listing.is_auction and listing.auction_end is not None and listing.auction_end <= utcnow()):
        return []
    params = {"lid": listing.id, "norms": standing_in_numbers(session, listing),
              "vec": vector_literal(listing.embedding) if listing.embedding is not None else None,
              "far": 1 - similarity_floor(SIMILAR_MIN),
              "words": " ".join(w for w in (listing.manufacturer, listing.part_number, listing.name,
                                            listing.description) if w)}
    rules = list(session.execute(_MATCHING_RULES, params).all())
    if not rules:
        return []
    seeing = _seeing(session, rules, listing.id)
    return [rule for rule in rules if rule.organization_id in seeing]


def alert_on_listing(session: Session, listing: MarketplaceListing, *, price_drop: bool = False,
                     rules: list[Any] | None = None) -> int:
    """Tell the owners of the deal alerts a live listing matches (one notice per person, listing and rule);
    how many notices were new. Call it in the transaction that publishes the listing or lowers its price.
    `rules`: matching_rules' answer when the caller already has it."""
    rules = matching_rules(session, listing) if rules is None else rules
    if not rules:
        return 0
    price = listing.price if listing.price is not None else (listing.current_bid or listing.starting_bid)
    seller = org_name(session, listing.organization_id)
    told = []
    for rule in rules:
        far = f", {round(float(rule.km) / KM_PER_MILE):g} mi from {rule.place}" if rule.km is not None and \
            rule.place else ""
        now = "now " if price_drop else ""
        title = f"Deal alert: {listing.part_number} {now}at {usd(price)}"
        body = (f"{condition_words(listing.condition).capitalize()} {listing.part_number} ({listing.name}) from "
                f"{seller}, {now}{usd(price)}{far}. Your alert: {rule.name}.")
        if notify(session, rule.user_id, "deal_alert", title, body, subject_type="listing", subject_id=listing.id,
                  event=f"alert:{rule.id}"):
            told.append(rule.id)
    if told:
        session.execute(_COUNTED, {"ids": told, "now": utcnow()})
    return len(told)
