"""The bulk load of catalog parts (embed, COPY with vectors, indexes built after) against the incremental path,
and the manufacturer vocabulary kept on write. Every test writes its own parts and deletes them."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, text

from knowledge.embeddings import embed_documents
from knowledge.models import EMBEDDING_DIMS
from knowledge.search import search_parts
from knowledge.search.vocabulary import forget_vocabulary, load_vocabulary
from knowledge.seed.bulk import SEARCH_INDEXES, bulk_load_parts
from knowledge.seed.loader import embed_missing, insert_rows
from knowledge.server_tuning import size_for

SKIP = {"id", "part_number", "part_number_norm", "search_vector", "embedding"}


def _fake_embed(texts: Sequence[str], progress: Callable[[int], None]) -> np.ndarray:
    """Deterministic unit vectors, thousands a second: these tests are about writing, not about encoding."""
    rows = [np.random.default_rng(int.from_bytes(hashlib.sha256(t.encode()).digest()[:8])).standard_normal(
        EMBEDDING_DIMS) for t in texts]
    progress(len(texts))
    vectors = np.vstack(rows).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def template(engine: Engine) -> Iterator[dict[str, Any]]:
    """A catalog row to copy, and a cleanup of every part these tests made (by their manufacturer prefix)."""
    with engine.connect() as conn:
        # a seeded public part: rows other tests made (fuzzed ones too) are not what this copies
        row = dict(conn.execute(text("SELECT * FROM parts_catalog WHERE compatible_equipment <> '[]' "
                                     "AND organization_id IS NULL AND part_number ~ '^[A-Z0-9][A-Z0-9-]+$' "
                                     "ORDER BY part_number LIMIT 1")).one()._mapping)
    yield {k: v for k, v in row.items() if k not in SKIP}
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM parts_catalog WHERE manufacturer LIKE 'Bulktest %'"))
    with engine.connect() as conn:  # the catalog's size estimate as it is again: search compares every vector
        conn.execute(text("ANALYZE parts_catalog"))  # on a small one, and later tests here search the seeded size
        conn.commit()
    forget_vocabulary()


def _parts(template: dict[str, Any], maker: str, count: int, prefix: str) -> list[dict[str, Any]]:
    return [{**template, "id": uuid.uuid4(), "manufacturer": maker, "part_number": f"{prefix}-{i:05d}",
             "name": f"{template['name']} build {i}", "description": f"{template['description']} Lot {i}."}
            for i in range(count)]


def _catalog_rows(engine: Engine, prefix: str) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT *, embedding::text AS vector FROM parts_catalog "
                                 "WHERE part_number LIKE :p"), {"p": prefix + "-%"}).mappings().all()
    return {r["name"]: dict(r) for r in rows}


def _has_manufacturer(engine: Engine, name: str) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT 1 FROM catalog_manufacturers WHERE name = :n"), {"n": name}).scalar())


def test_bulk_load_writes_what_the_incremental_path_writes(engine: Engine, template: dict[str, Any]) -> None:
    run = uuid.uuid4().hex[:8]
    bulk_maker, single_maker = f"Bulktest {run} A", f"Bulktest {run} B"
    bulk = _parts(template, bulk_maker, 12, f"BA{run}")
    # the same parts under other numbers: the embedded text (maker, name, kind, fits, description) is the same
    incremental = [{**row, "id": uuid.uuid4(), "part_number": f"BB{run}-{i:05d}"} for i, row in enumerate(bulk)]

    report = bulk_load_parts(engine, bulk, embed=lambda texts, progress: embed_documents(texts, progress),
                             use_cache=False)
    single = {**incremental[0], "id": uuid.uuid4(), "manufacturer": single_maker, "part_number": f"BS{run}-00000"}
    insert_rows(engine, {"parts_catalog": [single]})  # a single part, the ordinary way
    assert _has_manufacturer(engine, single_maker), "a single INSERT must add its manufacturer"
    insert_rows(engine, {"parts_catalog": incremental})
    embed_missing(engine)

    assert report.parts == 12 and report.skipped == 0 and not report.rebuilt_indexes
    assert bulk_load_parts(engine, bulk, embed=_fake_embed).skipped == 12  # a second load writes nothing
    assert _has_manufacturer(engine, bulk_maker)
    forget_vocabulary()
    assert load_vocabulary(engine).manufacturers_in(f"bulktest {run} a motor") == [bulk_maker]

    loaded, inserted = _catalog_rows(engine, f"BA{run}"), _catalog_rows(engine, f"BB{run}")
    assert len(loaded) == len(inserted) == 12
    for name, row in loaded.items():
        other = inserted[name]
        same = {k for k in row if k not in SKIP | {"vector", "created_at", "updated_at"}}
        assert {k: row[k] for k in same} == {k: other[k] for k in same}
        a, b = (np.array([float(x) for x in r["vector"].strip("[]").split(",")]) for r in (row, other))
        assert np.abs(a - b).max() < 1e-5, name  # the UPDATE path writes six decimals, COPY the float32

    with engine.begin() as conn:
        conn.execute(text("DELETE FROM parts_catalog WHERE manufacturer = :m"), {"m": single_maker})
    assert not _has_manufacturer(engine, single_maker), "deleting a maker's last part forgets it"
    assert _has_manufacturer(engine, bulk_maker)


def test_bulk_load_builds_the_indexes_search_uses(engine: Engine, template: dict[str, Any]) -> None:
    run = uuid.uuid4().hex[:8]
    maker = f"Bulktest {run} C"
    rows = _parts(template, maker, 3000, f"BC{run}")
    stages: dict[str, int] = {}

    def progress(stage: str, advance: int, total: int) -> None:
        stages[stage] = stages.get(stage, 0) + advance

    report = bulk_load_parts(engine, rows, progress, rebuild_indexes=True, embed=_fake_embed)

    rates = report.rates()
    assert report.parts == 3000 and report.rebuilt_indexes and report.index_seconds > 0
    assert rates["encode_parts_per_s"] > 0 and rates["copy_parts_per_s"] > 0 and rates["load_parts_per_s"] > 0
    assert stages == {"encode": 3000, "copy": 3000, "index": len(SEARCH_INDEXES)}
    assert _has_manufacturer(engine, maker)
    target = rows[1234]
    with engine.begin() as conn:
        for _table, name in SEARCH_INDEXES:
            assert conn.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar() is not None, name
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        vector = str(_fake_embed(["x"], lambda n: None)[0].tolist())
        plans = {
            "idx_parts_embedding": ("SELECT id FROM parts_catalog ORDER BY embedding <=> CAST(:v AS vector) LIMIT 10",
                                    {"v": vector}),
            "idx_parts_search": ("SELECT id FROM parts_catalog WHERE search_vector @@ to_tsquery('simple', :w)",
                                 {"w": f"bc{run}"}),
            "idx_part_number_lookup_trgm": ("SELECT part_id FROM part_number_lookup WHERE part_number_norm % :n",
                                            {"n": f"BC{run}01234".upper()}),
        }
        for index, (sql, params) in plans.items():
            plan = "\n".join(conn.execute(text(f"EXPLAIN {sql}"), params).scalars())
            assert index in plan, plan

    hits = search_parts(engine, target["part_number"], limit=5).results
    assert hits and str(hits[0].part_id) == str(target["id"])


def test_server_settings_scale_with_the_catalog() -> None:
    small, large = size_for(2_000, memory_mb=24_000, cpus=2), size_for(1_000_000, memory_mb=24_000, cpus=2)
    assert small.shared_buffers_mb == 512 and small.maintenance_work_mem_mb < 100
    assert 3_000 < large.shared_buffers_mb <= 6_000  # the search indexes, at most a quarter of memory
    assert 2_000 < large.maintenance_work_mem_mb <= 9_600  # the whole HNSW graph, at most two fifths
    assert large.max_parallel_maintenance_workers == 1 and large.effective_cache_size_mb == 18_000
    assert size_for(1_000_000, memory_mb=4_000, cpus=1).shared_buffers_mb == 1_000


def test_large_catalogs_ask_the_index_for_part_numbers(engine: Engine) -> None:
    from knowledge.lookups import CatalogPartNumbers
    from knowledge.partnumbers import normalize_part_number

    known = CatalogPartNumbers(engine)
    assert normalize_part_number("GAA26800LC1") in known
    assert "ZZ9NOSUCHPART9" not in known and "" not in known
