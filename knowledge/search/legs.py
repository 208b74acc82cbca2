"""The SQL behind each search signal, run as one statement so a search is one round trip."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

LEGS = ("exact", "trigram", "fulltext", "vector")

# The query's lexemes (both dictionaries the catalog is indexed with), kept when they discriminate: ORed
# if any is rarer than COMMON_SHARE of the catalog, else ANDed (several common words together still
# narrow the set; one common word alone carries no signal worth ranking thousands of rows for).
COMMON_SHARE = 0.02
DISCRIMINATING_TSQUERY = (
    "SELECT CASE WHEN bool_or(s.ndoc <= c.cutoff) "
    "THEN to_tsquery('simple', string_agg(s.word, ' | ') FILTER (WHERE s.ndoc <= c.cutoff)) "
    "WHEN count(*) > 1 THEN to_tsquery('simple', string_agg(s.word, ' & ')) END AS q "
    "FROM part_term_stats s, "
    f"(SELECT greatest(50, {COMMON_SHARE} * reltuples) AS cutoff FROM pg_class "
    "WHERE oid = 'parts_catalog'::regclass) c "
    "WHERE s.word = ANY(tsvector_to_array(to_tsvector('english', :ftext) || to_tsvector('simple', :ftext)))"
)


@dataclass
class LegFilters:
    trade: str | None = None
    category: str | None = None
    manufacturer: str | None = None
    equipment_model_ids: list[uuid.UUID] | None = None

    def where(self, params: dict[str, Any]) -> str:
        clauses = ["TRUE"]
        if self.trade:
            clauses.append("p.trade = :f_trade")
            params["f_trade"] = self.trade.lower()
        if self.category:
            clauses.append("p.category = :f_category")
            params["f_category"] = self.category.lower()
        if self.manufacturer:
            clauses.append("lower(p.manufacturer) = :f_manufacturer")
            params["f_manufacturer"] = self.manufacturer.lower()
        if self.equipment_model_ids is not None:
            clauses.append(
                "p.id IN (SELECT pc.part_id FROM part_compatibility pc WHERE pc.equipment_model_id = ANY(:f_models))"
            )
            params["f_models"] = self.equipment_model_ids
        return " AND ".join(clauses)


@dataclass
class LegRequest:
    part_numbers: list[str]
    terms: str  # the query's words, space-separated [a-z0-9] fragments
    embedding: list[float] | None
    per_leg: int
    per_number_leg: int = 100
    filters: LegFilters = field(default_factory=LegFilters)
    exact_vector: bool = False  # sequential scan instead of HNSW (benchmark reference)


@dataclass(frozen=True)
class LegHit:
    part_id: uuid.UUID
    leg: str
    rank: int
    strength: float
    part_number_norm: str


def run_legs(conn: Connection, req: LegRequest, legs: tuple[str, ...] = LEGS) -> list[LegHit]:
    params: dict[str, Any] = {"k": req.per_leg, "kn": req.per_number_leg}
    where = req.filters.where(params)
    parts: list[str] = []
    if "exact" in legs and req.part_numbers:
        params["pns"] = req.part_numbers
        parts.append(
            f"(SELECT p.id, 'exact' AS leg, 0.0::float8 AS sort_key, 1.0::float8 AS strength, p.part_number_norm "
            f"FROM parts_catalog p "
            f"WHERE p.part_number_norm = ANY(:pns) AND {where} LIMIT :k)"
        )
    if "trigram" in legs:
        for i, pn in enumerate(req.part_numbers[:3]):
            params[f"pn{i}"] = pn
            parts.append(
                f"(SELECT p.id, 'trigram' AS leg, "
                f"(p.part_number_norm <-> :pn{i})::float8 AS sort_key, "
                f"similarity(p.part_number_norm, :pn{i})::float8 AS strength, p.part_number_norm FROM parts_catalog p "
                f"WHERE {where} ORDER BY p.part_number_norm <-> :pn{i} LIMIT :kn)"
            )
    if "fulltext" in legs and req.terms:
        params["ftext"] = req.terms
        parts.append(
            "(SELECT p.id, 'fulltext' AS leg, "
            "(-ts_rank_cd(p.search_vector, q.q))::float8 AS sort_key, "
            "ts_rank_cd(p.search_vector, q.q)::float8 AS strength, p.part_number_norm "
            f"FROM parts_catalog p, ({DISCRIMINATING_TSQUERY}) q "
            f"WHERE q.q IS NOT NULL AND p.search_vector @@ q.q AND {where} "
            "ORDER BY ts_rank_cd(p.search_vector, q.q) DESC LIMIT :k)"
        )
    if "vector" in legs and req.embedding is not None:
        params["vec"] = "[" + ",".join(f"{x:.6f}" for x in req.embedding) + "]"
        distance = "(p.embedding <=> CAST(:vec AS vector))"
        order = f"{distance} + 0" if req.exact_vector else distance
        parts.append(
            f"(SELECT p.id, 'vector' AS leg, {distance}::float8 AS sort_key, "
            f"(1 - {distance})::float8 AS strength, p.part_number_norm FROM parts_catalog p "
            f"WHERE p.embedding IS NOT NULL AND {where} ORDER BY {order} LIMIT :k)"
        )
    if not parts:
        return []
    if "vector" in legs and not req.exact_vector:
        # On a small catalog the planner prefers scanning every vector (with detoasting) to the HNSW
        # graph, which costs far more than its estimate; every leg has an index it should use.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
    rows = conn.execute(text(" UNION ALL ".join(parts)), params).all()
    # Ranks are assigned here: a window function in SQL would make Postgres score every row before LIMIT.
    by_leg: dict[str, dict[uuid.UUID, tuple[float, float, str]]] = {}
    for row in rows:
        best = by_leg.setdefault(row.leg, {})
        seen = best.get(row.id)
        if seen is None or row.sort_key < seen[0]:
            best[row.id] = (float(row.sort_key), float(row.strength), row.part_number_norm)
    hits: list[LegHit] = []
    for leg, found in by_leg.items():
        ordered = sorted(found.items(), key=lambda item: item[1][0])
        hits.extend(LegHit(pid, leg, rank, strength, norm)
                    for rank, (pid, (_, strength, norm)) in enumerate(ordered, 1))
    return hits
