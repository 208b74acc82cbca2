"""Loading the demo world into the store: idempotent inserts, then embeddings for what is new."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, select, text
from sqlalchemy.dialects.postgresql import insert

from knowledge import clock
from knowledge.embedding_cache import embed_documents_cached
from knowledge.embeddings import part_embedding_text
from knowledge.models import Base
from knowledge.search.vocabulary import forget_vocabulary
from knowledge.seed.bulk import BulkLoadReport, bulk_load_parts, ensure_search_indexes
from knowledge.server_tuning import tune_server

log = logging.getLogger(__name__)
BATCH = 2000
EMBED_CHUNK = 1024

Progress = Callable[[str, int, int], None]  # (stage, advance, total)


@dataclass
class SeedReport:
    inserted: dict[str, int]
    embedded: int
    load: BulkLoadReport | None = None  # the catalog parts' bulk load


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def reset_store(engine: Engine) -> None:
    """Delete every row of every Partpilot table (the schema stays)."""
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))
    forget_vocabulary()


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def insert_rows(
    engine: Engine, tables: dict[str, list[dict[str, Any]]], progress: Progress | None = None
) -> dict[str, int]:
    """Insert rows table by table; rows whose key already exists are left as they are."""
    inserted: dict[str, int] = {}
    with engine.begin() as conn:
        for name, rows in tables.items():
            table = _table(name)
            before = conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
            # An executemany needs one column set; rows may omit defaulted columns, so group by key set.
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in rows:
                groups.setdefault(tuple(sorted(row)), []).append(row)
            for group in groups.values():
                for chunk in _chunks(group, BATCH):
                    conn.execute(insert(table).on_conflict_do_nothing(), chunk)
                    if progress:
                        progress(f"rows:{name}", len(chunk), len(rows))
            inserted[name] = conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one() - before
    return inserted


def _fill_embeddings(engine: Engine, table_name: str, text_of: Callable[[dict[str, Any]], str],
                     columns: list[str], progress: Progress | None) -> int:
    """Embed rows that have no vector yet, writing each chunk as it is done (an interrupted run resumes)."""
    table = _table(table_name)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(
            select(*[table.c[c] for c in ["id", *columns]]).where(table.c.embedding.is_(None))
        )]
    stmt = text(f"UPDATE {table_name} SET embedding = CAST(:v AS vector) WHERE id = :id")
    for chunk in _chunks(rows, EMBED_CHUNK):
        vectors = embed_documents_cached([text_of(row) for row in chunk])
        with engine.begin() as conn:
            conn.execute(stmt, [{"id": row["id"], "v": "[" + ",".join(f"{x:.6f}" for x in vec) + "]"}
                                for row, vec in zip(chunk, vectors, strict=True)])
        if progress:
            progress(f"embed:{table_name}", len(chunk), len(rows))
    return len(rows)


def _listing_text(row: dict[str, Any]) -> str:
    return f"{row['manufacturer']} {row['part_number']} {row['name']}. {row['description']}"


def _wanted_text(row: dict[str, Any]) -> str:
    parts = [row.get("manufacturer") or "", row.get("part_number") or "", row["description"],
             row.get("equipment_manufacturer") or "", row.get("equipment_model") or ""]
    return " ".join(p for p in parts if p)


def embed_missing(engine: Engine, progress: Progress | None = None) -> int:
    """Compute embeddings for catalog parts, listings and wanted posts that have none yet."""
    total = _fill_embeddings(
        engine, "parts_catalog", part_embedding_text,
        ["manufacturer", "name", "subcategory", "keywords", "compatible_equipment", "description"], progress,
    )
    total += _fill_embeddings(engine, "marketplace_listings", _listing_text,
                              ["manufacturer", "part_number", "name", "description"], progress)
    total += _fill_embeddings(engine, "wanted_posts", _wanted_text,
                              ["manufacturer", "part_number", "description", "equipment_manufacturer",
                               "equipment_model"], progress)
    return total


def anchor_to_now(tables: dict[str, list[dict[str, Any]]], now: datetime | None = None) -> None:
    """Move every time in the world so that its reference moment (`demo_now`) is `now` (default: the
    application clock), to the second; dates move by the calendar days between the two days.

    The world is written around a fixed moment; seeded at any other, it would show ended auctions and expired
    offers. Only times move: rows, ids and prices are the same whenever the world is seeded.
    """
    from knowledge.seed.world import demo_now

    at = (now or clock.now()).replace(microsecond=0)
    shift = at - demo_now()
    days = timedelta(days=(at.date() - demo_now().date()).days)
    for rows in tables.values():
        for row in rows:
            for key, value in row.items():
                if isinstance(value, datetime):
                    row[key] = value + shift
                elif isinstance(value, date):
                    row[key] = value + days


def seed_store(engine: Engine, *, reset: bool = False, scale: int = 0, progress: Progress | None = None) -> SeedReport:
    """Load the deterministic demo world (plus `scale` generated catalog parts). Safe to run repeatedly."""
    from knowledge.seed.world import build_world

    if reset:
        reset_store(engine)
    world = build_world(extra_parts=scale)
    anchor_to_now(world.tables)
    ensure_search_indexes(engine)  # an interrupted bulk load may have left them dropped
    names = list(world.tables)
    at = names.index("parts_catalog")
    inserted = insert_rows(engine, {n: world.tables[n] for n in names[:at]}, progress)
    load = bulk_load_parts(engine, world.tables["parts_catalog"], progress)
    inserted["parts_catalog"] = load.parts
    inserted |= insert_rows(engine, {n: world.tables[n] for n in names[at + 1:]}, progress)
    embedded = embed_missing(engine, progress)
    with engine.begin() as conn:
        if inserted.get("parts_catalog") or reset:
            conn.execute(text("REFRESH MATERIALIZED VIEW part_term_stats"))
    refresh_statistics(engine, vacuum=bool(embedded))
    with engine.connect() as conn:
        parts = conn.execute(text("SELECT reltuples FROM pg_class WHERE oid = 'parts_catalog'::regclass")).scalar()
    tune_server(engine, int(max(parts or 0, 0)))
    forget_vocabulary()
    log.info("seeded: %s new rows (%s parts by bulk load), %s embeddings by update", sum(inserted.values()),
             load.parts, embedded)
    return SeedReport(inserted=inserted, embedded=embedded, load=load)


def refresh_statistics(engine: Engine, *, vacuum: bool) -> None:
    """ANALYZE, after a VACUUM when rows were updated: every embedding is written by an UPDATE, which
    leaves a dead version of each row in the heap and in every index for searches to step over."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if vacuum else "ANALYZE"))


def table_counts(engine: Engine) -> dict[str, int]:
    """Row counts per Partpilot table."""
    with engine.connect() as conn:
        return {
            t.name: int(conn.execute(text(f"SELECT count(*) FROM {t.name}")).scalar_one())
            for t in Base.metadata.sorted_tables
        }


def is_seeded(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT EXISTS (SELECT 1 FROM parts_catalog)")).scalar())
