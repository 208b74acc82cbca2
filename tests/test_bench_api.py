"""`partpilot bench api` at a tiny scale: it starts the server, streams real turns and writes its report."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from partpilot.bench.api import run_api_bench


def test_bench_api_writes_its_report(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "bench-api.json"
    report = run_api_bench(engine, out, sessions=3, samples=2, turns=1)
    assert json.loads(out.read_text()) == report
    assert set(report["host"]) == {"cpus", "load_avg_1m_before", "load_avg_1m_after"}
    assert report["planner"] == "local" and report["targets"] == {"ttft_p95_ms": 300.0, "errors": 0}
    ttft = report["ttft"]
    assert ttft["samples"] == 2 and ttft["errors"] == 0 and 0 < ttft["p50_ms"] <= ttft["p95_ms"] <= ttft["max_ms"]
    load = report["concurrency"]
    assert load["sessions"] == 3 and load["turns"] == 3 and load["errors"] == 0 and load["error_samples"] == []
    assert load["ttft_under_load"]["p95_ms"] > 0 and load["wall_s"] > 0
    assert report["passed"] == (ttft["p95_ms"] <= 300.0)
