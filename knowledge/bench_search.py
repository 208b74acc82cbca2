"""`partpilot bench search`: latency and recall@10 of hybrid, full-text, vector and ILIKE search.

Recall@10 of a method is measured against the same method run as an exact scan (HNSW and trigram
indexes switched off), so it isolates what the approximate indexes lose. For the vector method a returned
part also counts when its exact distance is within `TIE_EPSILON` of the tenth exact neighbour's, as
ann-benchmarks counts k-NN recall: among parts that far from the query equally, which ten the exact scan
lists is an accident of storage order. Latencies are of a warm server: every query runs once untimed first.
"""

from __future__ import annotations

import json
import logging
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL

from knowledge.db import engine_for_url, get_engine
from knowledge.embeddings import _embed_query_cached, embed_query
from knowledge.migrate import upgrade
from knowledge.search import SearchQueryError, search_parts
from knowledge.search.hybrid import _prefer_indexes
from knowledge.search.legs import LegRequest, run_legs
from knowledge.search.query import clean_text, parse_query
from knowledge.seed.bulk import ensure_search_indexes
from knowledge.seed.loader import embed_missing, refresh_statistics, seed_store

log = logging.getLogger(__name__)
QUERY_FILE = Path(__file__).resolve().parent.parent / "evals" / "retrieval" / "search_queries.jsonl"
METHODS = ("hybrid", "fulltext", "vector", "ilike")
TIE_EPSILON = 1e-3
NUMBER_SAMPLE = 200
ILIKE_FULL_MAX_PARTS = 200_000
ILIKE_STRIDE = 5
Labeled = Callable[[Engine], dict[str, float]]


def bench_engine(main: Engine) -> Engine:
    """An engine on a separate database (`<main>_bench`) of the same server, created when missing."""
    name = f"{main.url.database}_bench"
    admin = create_engine(main.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url: URL = main.url.set(database=name)
    # The same engine factory as production, so the benchmark runs with the same session settings.
    return engine_for_url(url)


def prepare(engine: Engine, parts: int,
            progress: Callable[[str, int, int], None] | None = None) -> dict[str, float | int | bool] | None:
    """Migrate and seed the benchmark database up to `parts` catalog parts (the demo world plus generated).
    Returns the rates of the catalog's bulk load when it loaded parts."""
    from knowledge.seed.world import build_world

    upgrade(engine)
    with engine.connect() as conn:
        have = int(conn.execute(text("SELECT count(*) FROM parts_catalog")).scalar_one())
    if have < parts:
        world_parts = len(build_world().tables["parts_catalog"])
        started = time.perf_counter()
        report = seed_store(engine, scale=max(parts - world_parts, 0), progress=progress)
        if report.load and report.load.parts:
            return {**report.load.rates(), "seed_seconds": round(time.perf_counter() - started, 1)}
        return None
    # An interrupted earlier run may have left rows without vectors or the search indexes dropped.
    ensure_search_indexes(engine, progress=progress)
    refresh_statistics(engine, vacuum=bool(embed_missing(engine, progress)))
    return None


def _ilike(engine: Engine, query: str, exact: bool) -> list[str]:
    pattern = "%" + clean_text(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id::text FROM parts_catalog WHERE part_number ILIKE :p OR name ILIKE :p "
                 "OR description ILIKE :p ORDER BY part_number LIMIT 10"),
            {"p": pattern},
        ).scalars()
        return list(rows)


def _run(engine: Engine, method: str, query: str, exact: bool) -> list[str]:
    if method == "ilike":
        return _ilike(engine, query, exact)
    legs = {"hybrid": ("exact", "trigram", "fulltext", "vector"), "fulltext": ("fulltext",),
            "vector": ("vector",)}[method]
    try:
        response = search_parts(engine, query, limit=10, legs=legs, exact_vector=exact)
    except SearchQueryError:
        return []
    return [str(hit.part_id) for hit in response.results]


def _recall(engine: Engine, method: str, query: str, got: list[str], reference: list[str]) -> float:
    """Share of the exact top ten that `got` found; for vectors, neighbours tied with the tenth count."""
    found = set(got) & set(reference)
    if method == "vector":
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id::text, embedding <=> CAST(:v AS vector) FROM parts_catalog "
                     "WHERE id = ANY(CAST(:ids AS uuid[]))"),
                {"v": str(embed_query(parse_query(query).text)), "ids": got + reference},
            )
            distance = {pid: float(d) for pid, d in rows}
        tenth = max(distance[pid] for pid in reference)
        found |= {pid for pid in got[:len(reference)] if distance[pid] <= tenth + TIE_EPSILON}
    return min(len(found), len(reference)) / len(reference)


def _nearest(engine: Engine, query: str, exact: bool) -> list[str]:
    """The vector signal's ten nearest parts as the index (or an exact scan) returns them, before fusion: the
    boosts search applies after (maker, equipment, kind, specs) would reorder candidates and blur what the
    approximate index lost, which is what the vector method's recall measures."""
    parsed = parse_query(query)
    if not (parsed.words and parsed.has_prose):
        return []
    request = LegRequest(part_numbers=[], terms="", embedding=embed_query(parsed.text), per_leg=10,
                         exact_vector=exact)
    with engine.connect() as conn:
        _prefer_indexes(conn, exact)
        hits = sorted(run_legs(conn, request, ("vector",)).hits, key=lambda hit: hit.rank)
    return [str(hit.part_id) for hit in hits[:10]]


def measure(engine: Engine, all_queries: list[str], parts: int) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for method in METHODS:
        latencies: list[float] = []
        recalls: list[float] = []
        strict: list[float] = []
        # A sequential ILIKE scan takes seconds at a million parts (it is the baseline, not a search we run)
        queries = all_queries[::ILIKE_STRIDE] if method == "ilike" and parts > ILIKE_FULL_MAX_PARTS else all_queries
        for query in queries:  # steady state: a serving database has its working set in memory
            _run(engine, method, query, exact=False)
        for query in queries:
            _embed_query_cached.cache_clear()  # every timed query pays for its embedding
            start = time.perf_counter()
            got = _run(engine, method, query, exact=False)
            latencies.append((time.perf_counter() - start) * 1000)
            if method == "vector":  # timed as searched; its recall is of the raw signal (`_nearest`)
                got, reference = _nearest(engine, query, exact=False), _nearest(engine, query, exact=True)
            else:
                reference = _run(engine, method, query, exact=True)
            if reference:
                recalls.append(_recall(engine, method, query, got, reference))
                strict.append(len(set(got) & set(reference)) / len(reference))
        latencies.sort()
        results[method] = {
            "p50_ms": round(statistics.median(latencies), 2),
            "p95_ms": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 2),
            "recall_at_10": round(statistics.fmean(recalls), 4) if recalls else 0.0, "queries": len(queries),
        }
        log.info("%s: %s (recall@10 without ties: %.4f)", method, results[method],
                 statistics.fmean(strict) if strict else 0.0)
    return results


def catalog_numbers(engine: Engine, sample: int = NUMBER_SAMPLE) -> list[tuple[str, str]]:
    """A fixed spread of the catalog's (part id, part number), as a technician types them off a label."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id::text, part_number FROM parts_catalog ORDER BY md5(part_number) "
                                 "LIMIT :n"), {"n": sample})
        return [(pid, number) for pid, number in rows]


def measure_part_numbers(engine: Engine, numbers: list[tuple[str, str]]) -> dict[str, float]:
    """Part-number lookup: a part number as the whole query, through the number signals (exact and near
    numbers); recall@10 is the share of lookups that return the part itself."""
    legs = ("exact", "trigram")
    for _, number in numbers:
        search_parts(engine, number, limit=10, legs=legs)
    latencies, found = [], 0
    for part_id, number in numbers:
        start = time.perf_counter()
        hits = search_parts(engine, number, limit=10, legs=legs).results
        latencies.append((time.perf_counter() - start) * 1000)
        found += any(str(hit.part_id) == part_id for hit in hits)
    latencies.sort()
    return {"p50_ms": round(statistics.median(latencies), 2),
            "p95_ms": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 2),
            "recall_at_10": round(found / len(numbers), 4) if numbers else 0.0, "queries": len(numbers)}


def load_queries(limit: int | None = None) -> list[str]:
    queries = [json.loads(line)["query"] for line in QUERY_FILE.read_text().splitlines() if line.strip()]
    if limit is not None and limit < len(queries):
        step = len(queries) / limit  # spread over every kind of query, not just the first ones
        queries = [queries[int(i * step)] for i in range(limit)]
    return queries


def run_search_bench(parts: int, out: Path, progress: Callable[[str, int, int], None] | None = None,
                     max_queries: int | None = None, labeled: Labeled | None = None) -> dict:  # type: ignore[type-arg]
    """Load (when short of `parts`), measure every method and part-number lookup, and score the labeled queries
    with `labeled` (the evals' metrics; the store cannot import them) when given."""
    engine = bench_engine(get_engine())
    load = prepare(engine, parts, progress)
    queries = load_queries(max_queries)
    with engine.connect() as conn:
        actual = int(conn.execute(text("SELECT count(*) FROM parts_catalog")).scalar_one())
    report: dict = {"parts": actual, "queries": len(queries), "methods": measure(engine, queries, actual)}  # type: ignore[type-arg]
    report["methods"]["part_number"] = measure_part_numbers(engine, catalog_numbers(engine))
    if labeled is not None:
        report["labeled"] = labeled(engine)
    if load:
        report["load"] = load
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    engine.dispose()
    return report
