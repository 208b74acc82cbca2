"""Hybrid part search: exact and trigram part-number match, full text and vectors, fused by weighted RRF.

Reciprocal-rank fusion needs no score calibration between signals; the weights encode what a
technician's query means: an exact part number beats everything, a near part number beats prose.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field
from rapidfuzz.distance import OSA
from sqlalchemy import Connection, Engine, text

from knowledge.embeddings import embed_query
from knowledge.search.kinds import kinds_in
from knowledge.search.legs import LEGS, PART_COLUMNS, LegFilters, LegHit, LegRequest, LegResult, PartRow, run_legs
from knowledge.search.query import SearchQueryError, lexical_text, parse_query
from knowledge.search.specs import Specs, compare_specs, extract_specs, part_specs
from knowledge.search.vocabulary import load_vocabulary
from knowledge.settings import get_settings
from knowledge.supersession import Hop, resolve_chains

RRF_K = 60.0
# A query that is mostly a part number is about that number; prose signals only break ties there.
PROSE_WEIGHTS = {"exact": 4.0, "trigram": 1.0, "fulltext": 1.0, "vector": 1.0}
NUMBER_WEIGHTS = {"exact": 4.0, "trigram": 3.0, "fulltext": 0.4, "vector": 0.25}
MIN_NUMBER_SIMILARITY = 0.5
# Same top-1 on the labeled number queries as pg_trgm's default 0.3, at the demo world and at 1M parts, where it
# halves the p95 of a mistyped number (24 → 15 ms): bench search, docs/scale.md.
NEAR_NUMBER_TRIGRAMS = 0.4
NEAR_MISS_SIMILARITY = 0.8  # one typo in an eight-character number
NEAR_MISS_BOOST = 1.5 / (RRF_K + 1)
EQUIPMENT_BOOST = 0.9 / (RRF_K + 1)
MANUFACTURER_BOOST = 0.6 / (RRF_K + 1)
KIND_BOOST = 0.8 / (RRF_K + 1)
SPEC_MATCH_BOOST = 0.8 / (RRF_K + 1)
# Several words, all on the part: a part matching a few of them twice (by words and by meaning) must not pass it.
EVERY_WORD_BOOST = 0.3 / (RRF_K + 1)
# A contradicted refrigerant, voltage, capacitance or pole count costs more than every prose signal together:
# such a part never outranks one that fits, unless its number was typed. A size that is off (3 ton asked,
# 2 ton found) costs less: the nearest size of the right kind still beats another kind of part.
SPEC_CONFLICT_PENALTY = 4.0 / (RRF_K + 1)
SIZE_CONFLICT_PENALTY = 1.5 / (RRF_K + 1)
MAX_LIMIT = 100
# Up to this many parts every vector is compared (~20 ms for 3,400, no slower than the graph walk): the HNSW graph
# of a small, clustered catalog can leave a near part out of its walk altogether.
EXACT_VECTOR_MAX_PARTS = 5_000
_EMBEDDER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="query-embedding")


class SearchFilters(BaseModel):
    """Optional filters; each narrows every signal."""

    trade: str | None = None
    category: str | None = None
    manufacturer: str | None = None
    compatible_with: str | None = Field(default=None, description="Equipment model, e.g. 'Gen2'")


class SearchHit(BaseModel):
    part_id: uuid.UUID
    part_number: str
    manufacturer: str
    name: str
    category: str
    trade: str
    msrp: Decimal | None
    score: float
    matched_by: list[str]
    superseded_by: str | None = None
    supersession_chain: list[dict[str, str]] | None = None
    replaces: str | None = Field(default=None, description="Set on a replacement shown for a superseded hit")
    compatible_equipment: list[str] = Field(default_factory=list)


class SearchResponse(BaseModel):
    query: str
    results: list[SearchHit]
    detected_equipment: list[str] = Field(default_factory=list)
    detected_manufacturers: list[str] = Field(default_factory=list)
    message: str | None = None


@dataclass
class _Candidate:
    score: float = 0.0
    matched_by: list[str] = field(default_factory=list)


def search_parts(
    engine: Engine,
    query: str | None,
    *,
    limit: int = 10,
    filters: SearchFilters | None = None,
    legs: tuple[str, ...] = LEGS,
    exact_vector: bool = False,
) -> SearchResponse:
    """Search the catalog. Raises SearchQueryError (a clear message) for empty or oversized queries."""
    parsed = parse_query(query)
    limit = max(1, min(limit, MAX_LIMIT))
    filters = filters or SearchFilters()
    vocab = load_vocabulary(engine)
    leg_filters = LegFilters(filters.trade, filters.category, filters.manufacturer)
    if filters.compatible_with:
        models = vocab.resolve_model(filters.compatible_with)
        if not models:
            return SearchResponse(query=parsed.text, results=[],
                                  message=f"No equipment model called '{filters.compatible_with}' is known.")
        leg_filters.equipment_model_ids = [m.id for m in models]
    lowered = parsed.text.lower()
    equipment = vocab.equipment_in(parsed.words)
    manufacturers = vocab.manufacturers_in(lowered)
    # The raw text: cleaning drops symbols such as the "+" of "45+5 mfd".
    asked, kinds = extract_specs(parsed.raw), kinds_in(lowered)
    if not parsed.lexical_terms and not parsed.part_numbers:
        return SearchResponse(query=parsed.text, results=[], message="Nothing searchable in the query.")

    # "b650" or "411m" in a query names equipment, not a part.
    numbers = [pn for pn in parsed.part_numbers if pn not in vocab.equipment]
    request = LegRequest(
        part_numbers=numbers,
        terms=lexical_text(parsed.lexical_terms),
        embedding=None,
        per_leg=max(get_settings().search_candidates_per_signal, limit),
        filters=leg_filters,
        exact_vector=exact_vector or 0 <= vocab.catalog_size <= EXACT_VECTOR_MAX_PARTS,
        boost_equipment_ids=[e.id for e in equipment],
        with_specs=bool(asked),
    )
    # The vector signal (embedding the query, ~8 ms on one core, then the HNSW walk) runs on its own
    # connection while Postgres runs the lexical signals on this one.
    wants_vector = "vector" in legs and parsed.words and parsed.has_prose
    pending = _EMBEDDER.submit(_vector_leg, engine, parsed.text, request) if wants_vector else None
    number_query = bool(numbers) and len(parsed.words) <= 3
    with engine.connect() as conn:
        _prefer_indexes(conn, exact_vector)
        found = run_legs(conn, request, tuple(leg for leg in legs if leg != "vector"))
        if pending is not None:
            found += pending.result()
        hits = _rerank_numbers(found.hits, tuple(numbers))
        ranked = _fuse(hits, found.parts, weights=NUMBER_WEIGHTS if number_query else PROSE_WEIGHTS,
                       manufacturers=manufacturers, asked=asked, kinds=kinds,
                       several_words=len(request.terms.split()) >= 2)
        results = _materialise(conn, ranked[:limit], found.parts, limit)
    return SearchResponse(
        query=parsed.text,
        results=results,
        detected_equipment=[f"{e.manufacturer} {e.model}" for e in equipment],
        detected_manufacturers=manufacturers,
    )


def _prefer_indexes(conn: Connection, exact_vector: bool) -> None:
    # Every leg has an index, and the planner misjudges both alternatives to it: it costs `%` (a
    # trigram similarity per row) like a plain comparison, and on a small catalog it prefers reading
    # every vector to the HNSW graph. The benchmark's exact reference wants the scan instead.
    # A near number shares at least NEAR_NUMBER_TRIGRAMS of its trigrams with the typed one: at pg_trgm's 0.3,
    # a million numbers give tens of thousands of candidates sharing a maker's prefix ("GAL…") to recheck.
    scan = "SET LOCAL enable_indexscan = off" if exact_vector else "SET LOCAL enable_seqscan = off"
    conn.execute(text(f"{scan}; SET LOCAL pg_trgm.similarity_threshold = {NEAR_NUMBER_TRIGRAMS}"))


def _vector_leg(engine: Engine, query_text: str, request: LegRequest) -> LegResult:
    with engine.connect() as conn:
        _prefer_indexes(conn, request.exact_vector)
        return run_legs(conn, replace(request, embedding=embed_query(query_text)), ("vector",))


def _rerank_numbers(hits: list[LegHit], query_numbers: tuple[str, ...]) -> list[LegHit]:
    """Order trigram candidates by edit similarity (transpositions count once): trigrams find the
    neighbourhood of a mistyped number, edit distance says which neighbour was meant."""
    if not query_numbers:
        return hits
    near: list[LegHit] = []
    for hit in hits:
        if hit.leg != "trigram":
            continue
        edit = max(OSA.normalized_similarity(q, hit.part_number_norm) for q in query_numbers)
        strength = max(edit, hit.strength)
        if strength >= MIN_NUMBER_SIMILARITY:
            near.append(LegHit(hit.part_id, "trigram", 0, strength, hit.part_number_norm))
    near.sort(key=lambda h: (-h.strength, h.part_number_norm))
    ranked = [LegHit(h.part_id, h.leg, rank, h.strength, h.part_number_norm) for rank, h in enumerate(near, 1)]
    return [h for h in hits if h.leg != "trigram"] + ranked


def _fuse(
    hits: list[LegHit], parts: dict[uuid.UUID, PartRow], *, weights: dict[str, float], manufacturers: list[str],
    asked: Specs | None = None, kinds: frozenset[str] = frozenset(), several_words: bool = False,
) -> list[tuple[uuid.UUID, _Candidate]]:
    candidates: dict[uuid.UUID, _Candidate] = {}
    for hit in hits:
        weight = weights[hit.leg] * (hit.strength if hit.leg == "trigram" else 1.0)
        cand = candidates.setdefault(hit.part_id, _Candidate())
        cand.score += weight / (RRF_K + hit.rank)
        if several_words and hit.every_word:
            cand.score += EVERY_WORD_BOOST
        if hit.leg == "trigram" and hit.strength >= NEAR_MISS_SIMILARITY:
            cand.score += NEAR_MISS_BOOST
        if hit.leg not in cand.matched_by:
            cand.matched_by.append(hit.leg)
    for pid, cand in candidates.items():
        # A part that fits the equipment or comes from the maker the technician named is likelier meant.
        if parts[pid].fits_equipment:
            cand.score += EQUIPMENT_BOOST
            cand.matched_by.append("equipment")
        if parts[pid].manufacturer in manufacturers:
            cand.score += MANUFACTURER_BOOST
            cand.matched_by.append("manufacturer")
        if parts[pid].subcategory in kinds:
            cand.score += KIND_BOOST
            cand.matched_by.append("kind")
        if asked:
            fit = compare_specs(asked, part_specs(parts[pid].specifications, parts[pid].name, asked))
            # Specs describe the kind of part asked for: a compressor's "3 ton" does not make it a TXV.
            if fit.matched and (not kinds or parts[pid].subcategory in kinds):
                cand.score += SPEC_MATCH_BOOST * fit.matched
                cand.matched_by.append("specs")
            cand.score -= SPEC_CONFLICT_PENALTY * fit.hard_conflicts + SIZE_CONFLICT_PENALTY * fit.size_conflicts
    return sorted(candidates.items(), key=lambda item: item[1].score, reverse=True)


_DETAIL_SQL = text(f"SELECT {PART_COLUMNS} FROM parts_catalog WHERE id = ANY(:ids)")


def _materialise(conn: Connection, ranked: list[tuple[uuid.UUID, _Candidate]], parts: dict[uuid.UUID, PartRow],
                 limit: int) -> list[SearchHit]:
    chains = resolve_chains(conn, [pid for pid, _ in ranked if parts[pid].superseded])
    missing = [chain[-1].to_part_id for chain in chains.values() if chain and chain[-1].to_part_id not in parts]
    rows: dict[uuid.UUID, Any] = dict(parts)
    if missing:
        rows.update((row.id, row) for row in conn.execute(_DETAIL_SQL, {"ids": missing}))
    results: list[SearchHit] = []
    shown: set[uuid.UUID] = set()
    candidates = dict(ranked)
    for pid, cand in ranked:
        if pid in shown:
            continue
        chain = chains.get(pid)
        score = round(cand.score, 6)
        found = _hit(rows[pid], score, cand.matched_by, chain)
        current = chain[-1].to_part_id if chain else None
        if current is None or current in shown or current not in rows:
            results.append(found)
            shown.add(pid)
            continue
        # A superseded hit comes with its current replacement: that is the part to order. When the
        # technician typed the old number, it leads (and says what replaces it); otherwise the current part does.
        own = candidates.get(current)
        replacement = _hit(rows[current], score, [*(own.matched_by if own else []), "supersession"], None,
                           replaces=rows[pid].part_number)
        typed_old_number = bool({"exact", "trigram"} & set(cand.matched_by))
        first, second = (found, replacement) if typed_old_number else (replacement, found)
        second.score = round(cand.score * 0.999, 6)
        results.extend((first, second))
        shown.update((pid, current))
    return results[:limit]


def _hit(row: Any, score: float, matched_by: list[str], chain: list[Hop] | None,
         replaces: str | None = None) -> SearchHit:
    return SearchHit(
        part_id=row.id,
        part_number=row.part_number,
        manufacturer=row.manufacturer,
        name=row.name,
        category=row.category,
        trade=row.trade,
        msrp=row.msrp,
        score=score,
        matched_by=matched_by,
        superseded_by=chain[-1].to_part_number if chain else None,
        supersession_chain=[hop.as_dict() for hop in chain] if chain else None,
        replaces=replaces,
        compatible_equipment=list(row.compatible_equipment or [])[:12],
    )


__all__ = ["SearchFilters", "SearchHit", "SearchQueryError", "SearchResponse", "search_parts"]
