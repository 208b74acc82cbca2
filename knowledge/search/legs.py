"""The SQL behind each search signal, run as one statement that also fetches what results show."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from knowledge.search.fulltext import ALL_WORDS_BONUS, fulltext_sql

LEGS = ("exact", "trigram", "fulltext", "vector")
MIN_NEAR_NUMBER_CHARS = 5

def adjacent_swaps(number: str) -> list[str]:
    """The number with two neighbouring characters swapped, each way: a transposition breaks three
    trigrams at once, so a short number typed "35" for "53" falls below trigram similarity."""
    return [number[:i] + number[i + 1] + number[i] + number[i + 2:] for i in range(len(number) - 1)
            if number[i] != number[i + 1]]


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
    boost_equipment_ids: list[uuid.UUID] = field(default_factory=list)  # flags parts that fit these models
    with_specs: bool = False  # also fetch each part's specifications (the query states some)


@dataclass(frozen=True)
class LegHit:
    part_id: uuid.UUID
    leg: str
    rank: int
    strength: float
    part_number_norm: str
    every_word: bool = False  # a full-text hit carrying every word of the query


@dataclass(frozen=True)
class PartRow:
    """What a search result shows of a part, fetched with the signals that found it."""

    id: uuid.UUID
    part_number: str
    manufacturer: str
    name: str
    category: str
    trade: str
    msrp: Any
    compatible_equipment: list[str]
    superseded: bool = False  # the head of a supersession chain: its replacement must be looked up
    fits_equipment: bool = False  # fits an equipment model named in the query
    subcategory: str | None = None
    specifications: dict[str, Any] | None = None  # fetched only when the query states specs


@dataclass
class LegResult:
    hits: list[LegHit] = field(default_factory=list)
    parts: dict[uuid.UUID, PartRow] = field(default_factory=dict)

    def __iadd__(self, other: LegResult) -> LegResult:
        self.hits += other.hits
        self.parts.update(other.parts)
        return self


PART_COLUMNS = "id, part_number, manufacturer, name, category, trade, msrp, compatible_equipment"


def run_legs(conn: Connection, req: LegRequest, legs: tuple[str, ...] = LEGS) -> LegResult:
    """Run the chosen signals in one statement; each row also carries the part's details and flags, so
    that fusing and showing the results need no further round trips. The caller's transaction should
    have sequential scans off (see `search_parts`)."""
    params: dict[str, Any] = {"k": req.per_leg, "kn": req.per_number_leg}
    selects = _leg_selects(req, legs, params)
    if not selects:
        return LegResult()
    fits = "FALSE"
    if req.boost_equipment_ids:
        params["boost_eq"] = req.boost_equipment_ids
        fits = ("l.id IN (SELECT pc.part_id FROM part_compatibility pc "
                "WHERE pc.equipment_model_id = ANY(:boost_eq))")
    detail = ", ".join(f"d.{column}" for column in PART_COLUMNS.split(", ")[1:])
    rows = conn.execute(text(
        f"SELECT l.id, l.leg, l.sort_key, l.strength, l.part_number_norm, {detail}, "
        "EXISTS (SELECT 1 FROM part_supersessions e WHERE e.old_part_id = l.id) AS superseded, "
        f"{fits} AS fits_equipment, d.subcategory, {'d.specifications' if req.with_specs else 'NULL::jsonb'} "
        f"AS specifications FROM ({' UNION ALL '.join(selects)}) l JOIN parts_catalog d ON d.id = l.id"
    ), params).all()
    result = LegResult()
    # Ranks are assigned here: a window function in SQL would make Postgres score every row before LIMIT.
    by_leg: dict[str, dict[uuid.UUID, tuple[float, float, str]]] = {}
    for row in rows:
        best = by_leg.setdefault(row.leg, {})
        seen = best.get(row.id)
        if seen is None or row.sort_key < seen[0]:
            best[row.id] = (float(row.sort_key), float(row.strength), row.part_number_norm)
        if row.id not in result.parts:
            result.parts[row.id] = PartRow(
                row.id, row.part_number, row.manufacturer, row.name, row.category, row.trade, row.msrp,
                list(row.compatible_equipment or []), row.superseded, row.fits_equipment, row.subcategory,
                row.specifications)
    for leg, found in by_leg.items():
        ordered = sorted(found.items(), key=lambda item: item[1][0])
        result.hits.extend(LegHit(pid, leg, rank, strength, norm, every_word=key <= -ALL_WORDS_BONUS)
                           for rank, (pid, (key, strength, norm)) in enumerate(ordered, 1))
    return result


def _leg_selects(req: LegRequest, legs: tuple[str, ...], params: dict[str, Any]) -> list[str]:
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
        # Four characters or fewer ("410a", "xr16") are specs or models more often than part numbers, and
        # thousands of parts share their trigrams: only an exact match counts for them. A number the catalog
        # holds exactly was typed right: its near numbers are not looked for (a one-time check Postgres makes
        # before the trigram scan, which over a million numbers costs tens of milliseconds).
        near = [pn for pn in req.part_numbers if len(pn) >= MIN_NEAR_NUMBER_CHARS]
        for i, pn in enumerate(near[:3]):
            params[f"pn{i}"] = pn
            params[f"swaps{i}"] = adjacent_swaps(pn)
            # The narrow lookup table answers alone; filters need the catalog row.
            source = "part_number_lookup n" if where == "TRUE" else (
                f"part_number_lookup n JOIN parts_catalog p ON p.id = n.part_id AND {where}")
            parts.append(
                f"(SELECT n.part_id AS id, 'trigram' AS leg, "
                f"(-similarity(n.part_number_norm, :pn{i}))::float8 AS sort_key, "
                f"similarity(n.part_number_norm, :pn{i})::float8 AS strength, n.part_number_norm FROM {source} "
                f"WHERE (n.part_number_norm % :pn{i} OR n.part_number_norm = ANY(:swaps{i})) "
                f"AND NOT EXISTS (SELECT 1 FROM parts_catalog x WHERE x.part_number_norm = :pn{i}) "
                f"ORDER BY similarity(n.part_number_norm, :pn{i}) DESC LIMIT :kn)"
            )
    if "fulltext" in legs and req.terms:
        params["ftext"] = req.terms
        parts.append(fulltext_sql(where))
    if "vector" in legs and req.embedding is not None:
        params["vec"] = "[" + ",".join(f"{x:.6f}" for x in req.embedding) + "]"
        distance = "(p.embedding <=> CAST(:vec AS vector))"
        order = f"{distance} + 0" if req.exact_vector else distance
        parts.append(
            f"(SELECT p.id, 'vector' AS leg, {distance}::float8 AS sort_key, "
            f"(1 - {distance})::float8 AS strength, p.part_number_norm FROM parts_catalog p "
            f"WHERE p.embedding IS NOT NULL AND {where} ORDER BY {order} LIMIT :k)"
        )
    return parts
