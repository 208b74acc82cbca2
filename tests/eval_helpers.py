"""Whole eval-suite runs for the tests: each planner's run on the test database is made at most once per session
(the tests of tests/test_evals_runs.py read the same ones), with gold write-states computed once."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from evals.model import load_tasks
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
        self._done: dict[tuple[str, frozenset[str]], EvalRun] = {}

    def __call__(self, planner: str, skip: Collection[str] = ()) -> EvalRun:
        """The run of every task but those of `skip` (task ids)."""
        key = (planner, frozenset(skip))
        if key not in self._done:
            tasks = tuple(task.id for task in load_tasks() if task.id not in key[1]) if skip else ()
            out = self.out / (planner if not skip else f"{planner}-{len(self._done)}")
            self._done[key] = run_suite(self.engine, self.base, out, planner, self.golds, task_ids=tasks)
        return self._done[key]
