"""The SQL behind search_listings: visibility first, then filters, then one relevance score per listing from the
part number (including supersession), full text and the description embedding."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from knowledge.embeddings import embed_query
from knowledge.encoders import similarity_floor
from knowledge.partnumbers import normalize_part_number
from knowledge.search.query import SearchQueryError, parse_query, tsquery_text
from knowledge.search.vocabulary import load_vocabulary
from tools.catalog.parts import number_norm_sql, part_ids_numbered
from tools.catalog.supersession import Link, interchangeable_parts
from tools.context import Caller
from tools.listings.embedding import vector_literal
from tools.listings.marketplace import live_listing_sql
from tools.results import ToolFailed
from tools.rules.clock import utcnow
from tools.rules.geo import distance_sql
from tools.rules.visibility import listing_visibility_sql

# Cosine similarity above which a listing counts as "about the same thing" without sharing a word.
SEMANTIC_MIN = 0.5  # MiniLM cosine of the query to a listing's text that makes it a match
EXACT_SCORE, EQUIVALENT_SCORE = 3.0, 2.0


SORTED_KEEP = 0.75  # of the best match's score, what a result sorted other than by relevance must reach
# What a sort order puts before the relevance ranking (which breaks ties).
SORT_KEYS = {
    "relevance": "",
    "price_low": "COALESCE(s.price, s.current_bid, s.starting_bid) ASC NULLS LAST, ",
    "price_high": "COALESCE(s.price, s.current_bid, s.starting_bid) DESC NULLS LAST, ",
    "distance": "s.distance_km ASC NULLS LAST, ",
    "newest": "s.created_at DESC, ",
    "ending_soon": "s.auction_end ASC NULLS LAST, ",
}


@dataclass
class ListingQuery:
    query: str | None = None
    part_number: str | None = None
    listing_type: str | None = None
    conditions: list[str] | None = None
    max_price: Decimal | None = None
    min_price: Decimal | None = None
    manufacturer: str | None = None
    category: str | None = None
    emergency_only: bool = False
    compatible_with: str | None = None
    within_km: float | None = None
    mine_only: bool = False
    status: str | None = None
    limit: int = 20
    offset: int = 0
    sort_by: str = "relevance"
    origin: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class FoundListing:
    row: Any
    distance_km: float | None
    relevance: float
    match: str


def _part_number_terms(session: Session, numbers: list[str]) -> tuple[list[str], dict[uuid.UUID, Link]]:
    """Normalised numbers asked for, and the catalog parts they name plus their interchangeable parts."""
    norms = list(dict.fromkeys(n for n in numbers if n))
    if not norms:
        return [], {}
    return norms, interchangeable_parts(session, part_ids_numbered(session, norms))


def find_listings(
    session: Session, engine: Engine, caller: Caller, q: ListingQuery
) -> tuple[list[FoundListing], str | None]:
    params: dict[str, Any] = dict(q.origin)
    where = [listing_visibility_sql(caller, params, "l")]
    if q.mine_only:
        where.append("l.organization_id = :vis_org")
        if q.status:
            where.append("l.status = :status")
            params["status"] = q.status
    else:  # "wanted" listings are demand, not supply: list_wanted_posts covers them
        where.append(f"{live_listing_sql('l')} AND l.listing_type <> 'wanted'")
        params["now"] = utcnow()
    if q.listing_type:
        where.append("l.listing_type = :lt")
        params["lt"] = q.listing_type
    if q.conditions:
        where.append("l.condition = ANY(:conds)")
        params["conds"] = q.conditions
    if q.max_price is not None:
        where.append("COALESCE(l.price, l.current_bid, l.starting_bid) <= :max_price")
        params["max_price"] = q.max_price
    if q.min_price is not None:
        where.append("COALESCE(l.price, l.current_bid, l.starting_bid) >= :min_price")
        params["min_price"] = q.min_price
    if q.manufacturer:
        where.append("lower(l.manufacturer) = lower(:mfr)")
        params["mfr"] = q.manufacturer
    if q.category:
        where.append("l.category = :cat")
        params["cat"] = q.category
    if q.emergency_only:
        where.append("(l.emergency_available OR l.listing_type = 'emergency')")
    message = None
    if q.compatible_with:
        model_ids = [m.id for m in load_vocabulary(engine).resolve_model(q.compatible_with)]
        params["cw"], params["cw_models"] = normalize_part_number(q.compatible_with), model_ids
        where.append(
            "(EXISTS (SELECT 1 FROM jsonb_array_elements_text(l.compatible_equipment) ce "
            f"WHERE {number_norm_sql('ce')} = :cw) OR l.part_id IN (SELECT pc.part_id FROM part_compatibility pc "
            "WHERE pc.equipment_model_id = ANY(CAST(:cw_models AS uuid[]))))"
        )
        if not model_ids:
            message = f"No equipment model called '{q.compatible_with}' is in the catalog; matched listing text only."
    distance = distance_sql("l")
    if q.within_km is not None:
        if params.get("o_lat") is None:
            raise ToolFailed("invalid", "No location to measure distance from.",
                             hint="Pass lat and lng, or drop within_km.")
        where.append(f"{distance} <= :within_km")
        params["within_km"] = q.within_km

    numbers = [normalize_part_number(q.part_number)] if q.part_number else []
    parsed = None
    if q.query and q.query.strip():
        try:
            parsed = parse_query(q.query)
        except SearchQueryError as exc:
            raise ToolFailed("invalid", str(exc)) from None
        numbers += list(parsed.part_numbers)
    norms, links = _part_number_terms(session, numbers)
    equivalent = {pid: link for pid, link in links.items() if link.relation != "exact"}
    params.update(pn_exact=norms, pn_exact_ids=[p for p, link in links.items() if link.relation == "exact"],
                  pn_equiv=[normalize_part_number(link.part_number) for link in equivalent.values()],
                  pn_equiv_ids=list(equivalent))
    pn = number_norm_sql("l.part_number")
    pn_score = (
        f"(CASE WHEN l.part_id = ANY(CAST(:pn_exact_ids AS uuid[])) OR {pn} = ANY(CAST(:pn_exact AS text[])) "
        f"THEN {EXACT_SCORE} WHEN l.part_id = ANY(CAST(:pn_equiv_ids AS uuid[])) "
        f"OR {pn} = ANY(CAST(:pn_equiv AS text[])) THEN {EQUIVALENT_SCORE} "
        "ELSE 0.0 END)"
    )
    ts_score, sim_score, matched = "0.0", "0.0", [f"{pn_score} > 0"] if norms else []
    terms = tsquery_text(parsed.lexical_terms) if parsed else ""
    if terms:
        params["tsq"] = terms
        tsq = "(to_tsquery('english', :tsq) || to_tsquery('simple', :tsq))"
        ts_score = f"LEAST(ts_rank_cd(l.search_vector, {tsq}), 1.0)"
        matched.append(f"l.search_vector @@ {tsq}")
    if parsed and parsed.words:
        params["vec"] = vector_literal(embed_query(parsed.text))
        # A text of no known word embeds as a zero vector, whose cosine distance is NaN: no similarity at all.
        sim_score = "COALESCE(NULLIF(1 - (l.embedding <=> CAST(:vec AS vector)), 'NaN'), 0.0)"
        params["semantic_min"] = similarity_floor(SEMANTIC_MIN)
        matched.append(f"{sim_score} >= :semantic_min")
    searching = bool(norms or parsed)
    if searching:
        where.append("(" + " OR ".join(matched or ["FALSE"]) + ")")
    params["limit"], params["offset"] = q.limit, q.offset
    # sorted by price or distance, a text search keeps only its clear matches: the cheapest loose match is no answer
    keep = f"s.score >= {SORTED_KEEP} * s.best" if searching and q.sort_by != "relevance" else "TRUE"
    sql = f"""
        SELECT * FROM (
            SELECT r.*, r.pn_score + r.ts_score + r.sim_score AS score,
                   MAX(r.pn_score + r.ts_score + r.sim_score) OVER () AS best
            FROM (
                SELECT l.*, o.name AS seller_organization, {distance} AS distance_km,
                       {pn_score} AS pn_score, {ts_score} AS ts_score, GREATEST({sim_score}, 0.0) AS sim_score,
                       {number_norm_sql('l.part_number')} AS pn_norm
                FROM marketplace_listings l JOIN organizations o ON o.id = l.organization_id
                WHERE {' AND '.join(where)}
            ) r
        ) s
        WHERE {keep}
        ORDER BY {SORT_KEYS[q.sort_by]}round(CAST(s.pn_score + s.ts_score + s.sim_score AS numeric), 1) DESC,
                 s.distance_km NULLS LAST, s.price NULLS LAST, s.created_at DESC, s.id
        LIMIT :limit OFFSET :offset
    """
    rows = session.execute(text(sql), params).all()
    by_norm = {normalize_part_number(link.part_number): link for link in equivalent.values()}
    found = []
    for row in rows:
        relevance = float(row.pn_score) + float(row.ts_score) + float(row.sim_score)
        found.append(FoundListing(row, row.distance_km, round(relevance, 3), _match_reason(row, equivalent, by_norm)
                                  if searching else "filters only"))
    return found, message


def _match_reason(row: Any, equivalent: dict[uuid.UUID, Link], by_norm: dict[str, Link]) -> str:
    if row.pn_score >= EXACT_SCORE:
        return "exact part number"
    if row.pn_score >= EQUIVALENT_SCORE:
        link = equivalent.get(row.part_id) or by_norm.get(row.pn_norm)
        if link is None:
            return "interchangeable part number"
        kind = "newer part that supersedes it" if link.relation == "newer_replacement" else "older drop-in equivalent"
        return f"{kind}: {link.chain}"
    if row.ts_score > 0:
        return "text match"
    return "similar description"
