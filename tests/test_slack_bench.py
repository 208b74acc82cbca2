"""`partpilot bench channels` at a tiny scale: the report's shape and that every webhook was answered once."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from partpilot.bench.channels import run_channels_bench


def test_channels_bench_report_shape(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "bench-channels.json"
    report = run_channels_bench(engine, out, messages=6, concurrency=2, retry_share=0.5)
    assert json.loads(out.read_text()) == report
    assert report["benchmark"] == "channels" and report["target_p99_ms"] == 200.0
    for kind in ("slack", "sms", "all"):
        stats = report["ack_ms"][kind]
        assert set(stats) == {"n", "p50_ms", "p95_ms", "p99_ms", "max_ms", "mean_ms"}
        assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"] <= stats["max_ms"]
    assert report["ack_ms"]["all"]["n"] == 6 + report["retries"]["redelivered"]
    assert report["retries"]["redelivered"] >= 2 and report["retries"]["duplicate_slack_replies"] == 0
    assert report["retries"]["slack_threads_answered"] == 3 and report["background"]["sms_messages_sent"] >= 3
    assert report["background"]["drained"] is True and isinstance(report["meets_target"], bool)
