"""Whole eval-suite runs of the local planner: ≥ 0.95 on the tasks outside the held-out suites, no write to a wrong
object, and the same rewards task by task on a world seeded a year ahead (tests/eval_year_ahead.py)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from evals.model import suite_settings
from evals.report import summarize
from tests.eval_helpers import EvalRuns
from tests.eval_year_ahead import same_a_year_ahead

HELD_OUT = {name for name, suite in suite_settings().items() if suite.held_out}
# One unit of work for pytest-xdist (--dist loadfile), sent first (conftest.py), beside tests/test_evals_runs.py.
pytestmark = [pytest.mark.whole_eval_runs, pytest.mark.timeout(3000)]


# Written without reading the planner and worked on only lately: reported (partpilot eval), kept out of the floor
# until the planner has been improved against them, as blind2 to blind5 were.
def test_local_planner_average_reward(eval_runs: EvalRuns) -> None:
    run = eval_runs("local")
    summary = summarize([r for r in run.rows if r["suite"] not in HELD_OUT], 1)
    print(json.dumps({s: v["avg_reward"] for s, v in summary["by_suite"].items()}), summary["weakest_tasks"])
    assert summary["avg_reward"] >= 0.95, summary["weakest_tasks"]
    # the worst bug: a write to the wrong object or with wrong values, even after the user said yes
    assert summary["wrong_writes"] == 0, summary["runs_with_wrong_writes"]
    assert set(summary) >= {"n_tasks", "avg_reward", "pass_hat_k", "by_component", "by_suite"}
    for name in ("results.jsonl", "summary.json", "report.md", "reward_by_suite.png"):
        assert (run.out / name).stat().st_size > 0
    row = run.rows[0]
    assert {"components", "tool_calls", "turns", "latency_ms", "reward"} <= set(row)


def test_local_planner_scores_the_same_a_year_ahead(year_ahead: tuple[Engine, str], eval_runs: EvalRuns,
                                                   tmp_path_factory: pytest.TempPathFactory) -> None:
    same_a_year_ahead("local", year_ahead, eval_runs, tmp_path_factory)
