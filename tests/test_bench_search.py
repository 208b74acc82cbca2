"""`partpilot bench search` writes the agreed JSON shape (small N here; the 100k figures are in README)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

pytestmark = pytest.mark.long_module(50)  # seconds, all its tests (tests/conftest.py orders by it)

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(1800)
def test_bench_search_json_shape(engine: Engine, tmp_path: Path) -> None:
    teardown_module()  # a fresh benchmark database, so the catalog's bulk load is measured
    out = tmp_path / "bench.json"
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, "-m", "partpilot.cli", "bench", "search", "--parts", "3500", "--queries",
                           "40", "--out", str(out)], capture_output=True, text=True, env=env, cwd=REPO, timeout=1700)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(out.read_text())
    assert set(report) == {"parts", "queries", "methods", "load", "labeled"}
    labeled = report["labeled"]
    assert labeled["queries"] > 200 and 0.0 <= labeled["top1"] <= labeled["top1_counting_builds"] <= 1.0
    assert report["load"]["parts"] >= 3500 and report["load"]["rebuilt_indexes"]
    assert report["load"]["copy_parts_per_s"] > 0 and report["load"]["load_parts_per_s"] > 0
    assert report["parts"] >= 3500 and report["queries"] == 40
    assert set(report["methods"]) == {"hybrid", "fulltext", "vector", "ilike", "part_number"}
    assert report["methods"]["part_number"]["recall_at_10"] >= 0.95
    for figures in report["methods"].values():
        assert set(figures) == {"p50_ms", "p95_ms", "recall_at_10", "queries"}
        assert 0 < figures["p50_ms"] <= figures["p95_ms"]
        assert 0.0 <= figures["recall_at_10"] <= 1.0
    assert report["methods"]["vector"]["recall_at_10"] >= 0.9


def teardown_module() -> None:
    from sqlalchemy import create_engine, text

    from knowledge.db import database_url

    url = database_url()
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}_bench" WITH (FORCE)'))
    admin.dispose()
