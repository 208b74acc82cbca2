"""The bulk load of catalog parts: embed first, COPY rows with their vectors, build the search indexes after.

Writing a part and then its vector (INSERT, then UPDATE) writes every row twice, leaves a dead version of it in
the heap and in every index, and inserts into the HNSW graph one row at a time. Here each chunk of parts is
embedded before it is written, and written once by a binary COPY that carries the vector. When a load is at
least as large as the catalog it joins, the HNSW and GIN indexes are dropped first and built once at the end
with memory and parallel workers sized for the catalog (building is several times faster than inserting into
them). Chunks are committed as they go, so an interrupted load keeps what it wrote; `ensure_search_indexes`
builds any index it left missing. Single parts keep the ordinary path (an INSERT, then `embed_missing`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Engine, Index, text
from sqlalchemy.schema import CreateIndex

from knowledge.embedding_cache import embed_documents_cached
from knowledge.embeddings import embed_texts, part_embedding_text
from knowledge.models import Base
from knowledge.server_tuning import size_for

log = logging.getLogger(__name__)
CHUNK = 5000
REBUILD_MIN_PARTS = 1000  # below this, inserting into the live indexes costs less than building them again
CACHE_MAX_PARTS = 20_000  # the demo world's vectors are cached on disk; a benchmark catalog would only fill it
SEARCH_INDEXES = (("parts_catalog", "idx_parts_embedding"), ("parts_catalog", "idx_parts_search"),
                  ("part_number_lookup", "idx_part_number_lookup_trgm"))

BYTEA_OID = 17
Progress = Callable[[str, int, int], None]  # (stage, advance, total)
Embed = Callable[[Sequence[str], Callable[[int], None]], np.ndarray]  # (texts, progress per batch)


@dataclass
class BulkLoadReport:
    """What a bulk load wrote and where its time went."""

    parts: int = 0
    skipped: int = 0
    encode_seconds: float = 0.0
    copy_seconds: float = 0.0
    index_seconds: float = 0.0
    rebuilt_indexes: bool = False

    def rates(self) -> dict[str, float | int | bool]:
        """Parts per second of each stage and of the whole load, for the CLI and the benchmark report."""
        total = self.encode_seconds + self.copy_seconds + self.index_seconds
        return {"parts": self.parts, "skipped": self.skipped,
                "encode_parts_per_s": round(self.parts / self.encode_seconds, 1) if self.encode_seconds else 0.0,
                "copy_parts_per_s": round(self.parts / self.copy_seconds, 1) if self.copy_seconds else 0.0,
                "index_build_s": round(self.index_seconds, 2), "rebuilt_indexes": self.rebuilt_indexes,
                "load_parts_per_s": round(self.parts / total, 1) if total else 0.0}


def _index(table: str, name: str) -> Index:
    return next(ix for ix in Base.metadata.tables[table].indexes if ix.name == name)


def _missing_indexes(engine: Engine) -> list[Index]:
    with engine.connect() as conn:
        return [_index(table, name) for table, name in SEARCH_INDEXES
                if conn.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar() is None]


def ensure_search_indexes(engine: Engine, parts: int | None = None, progress: Progress | None = None) -> float:
    """Build the search indexes that are missing, with maintenance memory and workers sized for `parts` (default:
    the catalog's row estimate). Returns the seconds spent."""
    missing = _missing_indexes(engine)
    if not missing:
        return 0.0
    start = time.perf_counter()
    with engine.begin() as conn:
        if parts is None:
            parts = int(conn.execute(text("SELECT greatest(reltuples, 0) FROM pg_class "
                                          "WHERE oid = 'parts_catalog'::regclass")).scalar_one())
        sizing = size_for(parts)
        conn.execute(text(f"SET LOCAL maintenance_work_mem = '{sizing.maintenance_work_mem_mb}MB'"))
        conn.execute(text(f"SET LOCAL max_parallel_maintenance_workers = {sizing.max_parallel_maintenance_workers}"))
        for ix in missing:
            began = time.perf_counter()
            conn.execute(CreateIndex(ix, if_not_exists=True))
            log.info("built %s over %d parts in %.1f s", ix.name, parts, time.perf_counter() - began)
            if progress:
                progress("index", 1, len(missing))
    return time.perf_counter() - start


def _drop_search_indexes(engine: Engine) -> None:
    with engine.begin() as conn:
        for _table, name in SEARCH_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


def _column_defaults() -> dict[str, Any]:
    """The Python-side defaults SQLAlchemy would fill in for a column a row leaves out."""
    defaults: dict[str, Any] = {}
    for column in Base.metadata.tables["parts_catalog"].columns:
        default = column.default
        if default is not None and (getattr(default, "is_scalar", False) or getattr(default, "is_callable", False)):
            defaults[column.name] = default.arg  # type: ignore[attr-defined]
    return defaults


def _new_rows(engine: Engine, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows whose id and (organization, manufacturer, part number) the catalog does not hold yet."""
    with engine.connect() as conn:
        found = conn.execute(text(
            "SELECT c.id, c.organization_id, c.manufacturer, c.part_number FROM parts_catalog c "
            "JOIN unnest(CAST(:ms AS text[]), CAST(:ps AS text[])) AS k(m, p) "
            "ON c.manufacturer = k.m AND c.part_number = k.p "
            "UNION SELECT id, organization_id, manufacturer, part_number FROM parts_catalog "
            "WHERE id = ANY(CAST(:ids AS uuid[]))"),
            {"ms": [r["manufacturer"] for r in rows], "ps": [r["part_number"] for r in rows],
             "ids": [r["id"] for r in rows if r.get("id")]}).all()
    ids = {r.id for r in found}
    keys = {(r.organization_id, r.manufacturer, r.part_number) for r in found}
    fresh = []
    for row in rows:
        key = (row.get("organization_id"), row["manufacturer"], row["part_number"])
        if row.get("id") not in ids and key not in keys:
            fresh.append(row)
            keys.add(key)
    return fresh


def _copy_columns(conn: Any) -> list[tuple[str, int]]:
    """parts_catalog's writable columns and their type oids (generated columns are computed by the server)."""
    return [(name, oid) for name, oid in conn.execute(
        "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = 'parts_catalog'::regclass "
        "AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum").fetchall()]


def default_embed(texts: Sequence[str], progress: Callable[[int], None]) -> np.ndarray:
    return embed_texts(texts, progress=progress)


def bulk_load_parts(engine: Engine, rows: Sequence[dict[str, Any]], progress: Progress | None = None, *,
                    rebuild_indexes: bool | None = None, embed: Embed | None = None,
                    use_cache: bool | None = None) -> BulkLoadReport:
    """Write catalog parts with their embeddings; rows already in the catalog are left as they are.

    Args:
        engine: The store.
        rows: Part rows as the seed world writes them (column name to value; no `embedding`).
        progress: Called with ("encode" | "copy" | "index", advance, total).
        rebuild_indexes: Drop the search indexes first and build them after; default: when the load adds
            at least `REBUILD_MIN_PARTS` parts and at least as many as the catalog holds.
        embed: The encoder (texts, per-batch progress) → unit vectors; default `knowledge.embeddings.embed_texts`.
        use_cache: Read and keep vectors in the on-disk embedding cache; default: loads up to `CACHE_MAX_PARTS`.
    """
    from pgvector import Vector

    report = BulkLoadReport()
    embed = embed or default_embed
    fresh = [r for start in range(0, len(rows), CHUNK) for r in _new_rows(engine, rows[start:start + CHUNK])]
    report.skipped = len(rows) - len(fresh)
    if not fresh:
        return report
    with engine.connect() as conn:
        existing = int(conn.execute(text("SELECT greatest(reltuples, 0) FROM pg_class "
                                         "WHERE oid = 'parts_catalog'::regclass")).scalar_one())
    if rebuild_indexes is None:
        rebuild_indexes = len(fresh) >= REBUILD_MIN_PARTS and len(fresh) >= existing
    cache = len(fresh) <= CACHE_MAX_PARTS if use_cache is None else use_cache
    if rebuild_indexes:
        _drop_search_indexes(engine)
    defaults = _column_defaults()
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        columns = _copy_columns(driver)
        names = [name for name, _ in columns]
        # A binary COPY field is the bytes of the type's wire format: the vector goes as pgvector's own encoding,
        # passed through as bytea, so no adapter is registered on this pooled connection.
        types = [BYTEA_OID if name == "embedding" else oid for name, oid in columns]
        sql = f"COPY parts_catalog ({', '.join(names)}) FROM STDIN (FORMAT BINARY)"
        for start in range(0, len(fresh), CHUNK):
            chunk = fresh[start:start + CHUNK]
            began = time.perf_counter()
            vectors = _embed_chunk(chunk, embed, cache, progress, len(fresh))
            report.encode_seconds += time.perf_counter() - began
            began = time.perf_counter()
            with driver.cursor() as cur, cur.copy(sql) as copy:
                copy.set_types(types)
                for row, vector in zip(chunk, vectors, strict=True):
                    copy.write_row([Vector(vector).to_binary() if name == "embedding" else _value(row, name, defaults)
                                    for name in names])
            driver.commit()
            report.copy_seconds += time.perf_counter() - began
            report.parts += len(chunk)
            if progress:
                progress("copy", len(chunk), len(fresh))
    finally:
        raw.close()
    report.rebuilt_indexes = rebuild_indexes
    report.index_seconds = ensure_search_indexes(engine, existing + report.parts, progress)
    log.info("bulk load: %s", report.rates())
    return report


def _value(row: dict[str, Any], name: str, defaults: dict[str, Any]) -> Any:
    if name in row:
        return row[name]
    default = defaults.get(name)
    return default(None) if callable(default) else default


def _embed_chunk(chunk: list[dict[str, Any]], embed: Embed, cache: bool, progress: Progress | None,
                 total: int) -> np.ndarray:
    texts = [part_embedding_text(row) for row in chunk]
    encoded = 0

    def advance(count: int) -> None:
        nonlocal encoded
        encoded += count
        if progress:
            progress("encode", count, total)

    if not cache:
        return embed(texts, advance)
    vectors = embed_documents_cached(texts, embed=lambda missing: embed(missing, advance))
    if progress and len(texts) > encoded:
        progress("encode", len(texts) - encoded, total)  # read from the cache
    return vectors
