"""A small `partpilot bench durability` (N = 40 per mode): real processes — two API processes behind nginx,
two job workers, PostgreSQL over TCP — a worker and an API process killed with SIGKILL mid-run, then the
database stopped for ten seconds mid-run. Latency targets are the full benchmark's (bench/durability.json);
here only what must always hold: nothing acknowledged is lost, nothing is done twice, no 500."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from partpilot.bench.durability import run_durability_bench

pytestmark = pytest.mark.long_module(130)  # seconds, all its tests (tests/conftest.py orders by it)


def test_nothing_acknowledged_is_lost_or_done_twice_when_processes_die_or_the_database_stops(engine: Engine) -> None:
    # 10 messages/s: the fault strikes at the 16th message, while the other 24 are still to come, so some
    # arrive while the database is down (as fast as they are acknowledged, all 40 may be in before it stops).
    report = run_durability_bench(None, ["kill", "postgres"], slack_messages=20, sms_messages=20, conversations=8,
                                  rate=10)
    for mode in ("kill", "postgres"):
        result = report[mode]
        assert result["accepted"] == result["messages"] == 40, result
        assert result["lost"] == 0, result["lost_examples"]
        assert (result["duplicate_replies"], result["duplicate_writes"], result["out_of_order"]) == (0, 0, 0), result
        assert result["writes"] >= 4, "the conversations' holds were made"
        assert result["server_errors_500"] == 0 and result["processes_alive_at_end"] == {"apis": 2, "workers": 2}
    assert report["kill"]["fault"][0]["event"] == "fault"
    assert report["postgres"]["failed_attempts"].get("503", 0) > 0, "webhooks were refused while the database was down"
