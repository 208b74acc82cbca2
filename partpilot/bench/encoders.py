"""`partpilot bench encoders`: each text encoder measured on the same catalog and the same labeled queries.

The catalog is the demo world plus generated parts (to `--parts`) in a scratch database of the same server,
loaded without vectors and dropped at the end. For each encoder, every part text (as ingest builds it) is
embedded, timed (texts/s on this machine's cores), written with COPY, and the HNSW index rebuilt; then the
labeled queries run through hybrid search with that encoder's query vectors (top-1, recall@5), and the vector
signal's recall@10 is measured against an exact scan (tie tolerance as `bench search`). Cosine to fp32 is of the
same texts: how far an encoder's space has moved from the default's (low for `static`, which is a rotated space).
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, create_engine, text

from evals.retrieval.metrics import labeled_queries, search_metrics
from knowledge.bench_search import _nearest, _recall
from knowledge.db import engine_for_url, get_engine
from knowledge.embeddings import part_embedding_text
from knowledge.encoders import (
    DEFAULT_ENCODER,
    ENCODERS,
    REFERENCE_ENCODER,
    EncoderName,
    build_encoder,
    get_encoder,
    use_encoder,
)
from knowledge.migrate import upgrade
from knowledge.search.legs import LEGS
from knowledge.search.vocabulary import forget_vocabulary
from knowledge.seed.loader import anchor_to_now, insert_rows

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (stage, advance, total)
CHUNK = 256
# Ingest ≥ 1,000 parts/s with encoding ~80-95 % of it today: the encoder alone must reach at least that.
MIN_TEXTS_PER_S = 1000.0
MAX_TOP1_LOSS = 0.01
QUALITY = "hybrid_top1_counting_builds"  # what the recommendation compares (see `recommend`)
SEARCHED_TABLES = ("parts_catalog", "part_supersessions", "part_compatibility", "equipment_models")
PART_COLUMNS = "id::text, manufacturer, name, subcategory, keywords, compatible_equipment, description"


def _scratch_url(main: Engine) -> Any:
    return main.url.set(database=f"{main.url.database}_encoders")


def _admin(main: Engine, statement: str) -> None:
    admin = create_engine(main.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


def _searched_tables(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The world's tables that part search reads, with the tables they reference (orders, offers… are not)."""
    from knowledge.models import Base

    need: set[str] = set()
    stack = list(SEARCHED_TABLES)
    while stack:
        name = stack.pop()
        if name not in need and name in Base.metadata.tables:
            need.add(name)
            stack += [fk.column.table.name for fk in Base.metadata.tables[name].foreign_keys]
    return {name: rows for name, rows in tables.items() if name in need}


def load_catalog(engine: Engine, parts: int, progress: Progress | None) -> tuple[list[str], list[str]]:
    """Migrate, insert the world's catalog (no vectors) and return the catalog's ids and texts."""
    from knowledge.seed.world import build_world

    upgrade(engine)
    world = build_world(extra_parts=0)
    base = len(world.tables["parts_catalog"])
    if parts > base:
        world = build_world(extra_parts=parts - base)
    tables = _searched_tables(world.tables)
    anchor_to_now(tables)
    insert_rows(engine, tables, progress)
    with engine.connect() as conn:
        conn.execute(text("REFRESH MATERIALIZED VIEW part_term_stats"))
        conn.commit()
        rows = [dict(r._mapping) for r in conn.execute(text(f"SELECT {PART_COLUMNS} FROM parts_catalog ORDER BY id"))]
    forget_vocabulary()
    return [r["id"] for r in rows], [part_embedding_text(r) for r in rows]


def encode_all(name: EncoderName, texts: list[str], progress: Progress | None) -> tuple[np.ndarray, float]:
    """Every text's vector and the seconds it took (the model loaded and warmed up first, not counted)."""
    build_encoder(name)
    encoder = get_encoder(name)
    encoder.encode_batch(texts[:CHUNK])
    chunks: list[np.ndarray] = []
    started = time.perf_counter()
    for start in range(0, len(texts), CHUNK):
        chunks.append(encoder.encode_batch(texts[start : start + CHUNK]))
        if progress:
            progress(f"encode:{name}", len(chunks[-1]), len(texts))
    return np.vstack(chunks), time.perf_counter() - started


def store_vectors(engine: Engine, ids: list[str], vectors: np.ndarray) -> None:
    """Replace the catalog's vectors: COPY into a temporary table, one UPDATE, the HNSW index rebuilt after."""
    with engine.begin() as conn:
        indexdef = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_parts_embedding'"))
        definition = indexdef.scalar_one()
        conn.execute(text("DROP INDEX idx_parts_embedding"))
        conn.execute(text("CREATE TEMP TABLE bench_vectors (id uuid, v text) ON COMMIT DROP"))
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy("COPY bench_vectors (id, v) FROM STDIN") as copy:
            for part_id, vector in zip(ids, vectors, strict=True):
                copy.write_row((part_id, "[" + ",".join(f"{x:.6f}" for x in vector) + "]"))
        conn.execute(text("UPDATE parts_catalog p SET embedding = CAST(b.v AS vector) FROM bench_vectors b "
                          "WHERE p.id = b.id"))
        conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        conn.execute(text(definition))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE parts_catalog"))


def labeled_quality(engine: Engine, items: list[dict[str, Any]], legs: tuple[str, ...] = LEGS) -> dict[str, float]:
    """Top-1 and recall@5 on the labeled queries of hybrid search (or of `legs`), with the active encoder."""
    metrics = search_metrics(engine, items=items, legs=legs, with_builds=True)
    return {"top1": metrics["recall@1"], "recall_at_5": metrics["recall@5"], "mrr": metrics["mrr"],
            "top1_counting_builds": metrics["builds_recall@1"]}


def vector_recall(engine: Engine, queries: list[str]) -> float:
    """Recall@10 of the HNSW walk against an exact scan, with the active encoder."""
    recalls = []
    for query in queries:
        reference = _nearest(engine, query, exact=True)
        if reference:
            recalls.append(_recall(engine, "vector", query, _nearest(engine, query, exact=False), reference))
    return round(statistics.fmean(recalls), 4) if recalls else 0.0


def recommend(results: dict[str, dict[str, Any]]) -> str | None:
    """The fastest encoder whose hybrid top-1 is within a point of fp32's and that encodes ≥ 1,000 texts/s.
    Top-1 counts a generated build of an expected part as an answer (evals/retrieval/equivalents.py): among
    builds equal for the query, which one leads is chance, and the padded catalog is full of them."""
    floor = results[REFERENCE_ENCODER][QUALITY] - MAX_TOP1_LOSS
    fit = [n for n, r in results.items() if r[QUALITY] >= floor - 1e-9 and r["texts_per_s"] >= MIN_TEXTS_PER_S]
    return max(fit, key=lambda n: results[n]["texts_per_s"]) if fit else None


def run_encoder_bench(out: Path, *, parts: int, max_queries: int | None = None,
                      encoders: tuple[EncoderName, ...] = ENCODERS, progress: Progress | None = None,
                      main: Engine | None = None) -> dict[str, Any]:
    main = main or get_engine()
    names = (REFERENCE_ENCODER, *[n for n in encoders if n != REFERENCE_ENCODER])  # fp32 first: the reference
    items = labeled_queries()
    if max_queries is not None and max_queries < len(items):
        step = len(items) / max_queries  # spread over every kind of query, not just the first ones
        items = [items[int(i * step)] for i in range(max_queries)]
    scratch = f'"{_scratch_url(main).database}"'
    _admin(main, f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
    _admin(main, f"CREATE DATABASE {scratch}")
    engine = engine_for_url(_scratch_url(main))
    try:
        ids, texts = load_catalog(engine, parts, progress)
        results: dict[str, dict[str, Any]] = {}
        reference: np.ndarray | None = None
        for name in names:
            vectors, seconds = encode_all(name, texts, progress)
            reference = vectors if reference is None else reference
            cosine = np.sum(vectors * reference, axis=1)
            store_vectors(engine, ids, vectors)
            with use_encoder(name):
                quality = labeled_quality(engine, items)
                alone = labeled_quality(engine, items, legs=("vector",))  # the encoder without the lexical legs
                recall = vector_recall(engine, [item["query"] for item in items])
            results[name] = {
                "texts_per_s": round(len(texts) / seconds, 1), "encode_seconds": round(seconds, 2),
                "hybrid_top1": quality["top1"], "hybrid_recall_at_5": quality["recall_at_5"],
                "hybrid_mrr": quality["mrr"], "hybrid_top1_counting_builds": quality["top1_counting_builds"],
                "vector_recall_at_10": recall,
                "vector_top1": alone["top1"], "vector_recall_at_5": alone["recall_at_5"],
                "cosine_to_fp32_mean": round(float(cosine.mean()), 4),
                "cosine_to_fp32_min": round(float(cosine.min()), 4),
            }
            log.info("%s: %s", name, results[name])
            if progress:
                progress("encoders", 1, len(names))
    finally:
        engine.dispose()
        forget_vocabulary()
        _admin(main, f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
    report = {"parts": len(texts), "queries": len(items), "cpu_count": os.cpu_count(),
              "criteria": {"max_top1_loss": MAX_TOP1_LOSS, "min_texts_per_s": MIN_TEXTS_PER_S, "quality": QUALITY},
              "encoders": results, "recommended": recommend(results), "default": DEFAULT_ENCODER}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    return report
