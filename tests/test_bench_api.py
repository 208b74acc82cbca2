"""`partpilot bench api` at a tiny scale: it starts the server, streams real turns and writes its report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from partpilot.bench.api import run_api_bench

pytestmark = pytest.mark.long_module(65)  # seconds, all its tests (tests/conftest.py orders by it)

TARGETS = {"ttft_p95_ms": 300.0, "errors": 0, "turns_per_s": 100.0, "burst_ttft_p95_ms": 1000.0,
           "cpu_ms_per_turn": 10.0, "idle_rss_mb": 250.0, "workers": 2}


def test_bench_api_writes_its_report(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "bench-api.json"
    report = run_api_bench(engine, out, sessions=3, samples=2, turns=1)
    assert json.loads(out.read_text()) == report
    assert set(report["host"]) == {"cpus", "load_avg_1m_before", "load_avg_1m_after"}
    assert report["planner"] == "local" and report["targets"] == TARGETS and report["workers"] == 1
    ttft = report["ttft"]
    assert ttft["samples"] == 2 and ttft["errors"] == 0 and 0 < ttft["p50_ms"] <= ttft["p95_ms"] <= ttft["max_ms"]
    load = report["concurrency"]
    assert load["sessions"] == 3 and load["turns"] == 3 and load["errors"] == 0 and load["error_samples"] == []
    assert load["ttft_under_load"]["p95_ms"] > 0 and load["wall_s"] > 0
    # the server's own CPU, read from /proc: a turn costs some, and far less than a second
    assert load["server_cpu_s"] > 0 and 0 < load["cpu_ms_per_turn"] < 1000 and load["turns_per_s"] > 0
    burst = report["burst"]
    assert burst == {"sessions": 3, "turns": 3, "turns_per_s": load["turns_per_s"],
                     "ttft_p50_ms": load["ttft_under_load"]["p50_ms"], "ttft_p95_ms": load["ttft_under_load"]["p95_ms"],
                     "cpu_ms_per_turn": load["cpu_ms_per_turn"]}
    # the served process's resident memory, idle then after the burst (the planner's message encoder loaded)
    (idle,), (after,) = report["memory"]["idle_rss_mb"], report["memory"]["rss_after_burst_mb"]
    assert 50 < idle < after < 4000
    assert report["passed"] == (ttft["p95_ms"] <= 300.0 and burst["turns_per_s"] >= 100.0
                                and burst["ttft_p95_ms"] <= 1000.0 and burst["cpu_ms_per_turn"] <= 10.0
                                and idle <= 250.0)


def test_bench_api_starts_several_workers(engine: Engine, tmp_path: Path) -> None:
    report = run_api_bench(engine, tmp_path / "bench-api-w2.json", sessions=4, samples=1, turns=1, workers=2)
    assert report["workers"] == 2 and "2 processes" in report["server"]
    assert report["ttft"]["errors"] == 0 and report["concurrency"]["errors"] == 0 and report["burst"]["turns"] == 4
    assert report["concurrency"]["server_cpu_s"] > 0
    assert len(report["memory"]["idle_rss_mb"]) == len(report["memory"]["rss_after_burst_mb"]) == 2
