"""Whole eval-suite runs for the tests: each planner's run on the test database is made at most once per session
(tests/test_evals.py and tests/test_evals_clock.py read the same ones), with gold write-states computed once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from evals.run import EvalOptions, run_eval
from evals.runner import Gold


@dataclass
class EvalRun:
    summary: dict[str, Any]
    rows: list[dict[str, Any]]
    out: Path

    def rewards(self) -> dict[str, float]:
        """Reward per task (one trial)."""
        return {row["task"]: row["reward"] for row in self.rows}


def run_suite(engine: Engine, base: str | None, out: Path, planner: str, golds: dict[str, Gold],
              task_ids: tuple[str, ...] = ()) -> EvalRun:
    """Every eval task (or those of `task_ids`) once with `planner`, task stores cloned from the template
    database `base`."""
    # two at once: a task run waits on the database about half its time (evals/runner.py)
    options = EvalOptions(planner=planner, out=out, retrieval=False, base=base, task_ids=task_ids, workers=2)
    summary = run_eval(engine, options, golds=golds)
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return EvalRun(summary, rows, out)


class EvalRuns:
    """`runs(planner)`: the suite run with that planner on the session's test database, made on first use."""

    def __init__(self, engine: Engine, base: str | None, out: Path) -> None:
        self.engine, self.base, self.out = engine, base, out
        self.golds: dict[str, Gold] = {}
        self._done: dict[str, EvalRun] = {}

    def __call__(self, planner: str) -> EvalRun:
        if planner not in self._done:
            self._done[planner] = run_suite(self.engine, self.base, self.out / planner, planner, self.golds)
        return self._done[planner]
