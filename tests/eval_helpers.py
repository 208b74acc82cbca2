"""Whole eval-suite runs for the tests: each planner's run on the test database is made at most once per test
process (the tests of a module read the same ones), with gold write-states computed once per session: by the first
test process that needs them, the others read them (tests/test_evals_runs*.py run in two processes at once)."""

from __future__ import annotations

import fcntl
import json
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from evals.model import Task, load_tasks
from evals.run import EvalOptions, run_eval
from evals.runner import Gold, compute_gold
from evals.store import StoreFactory


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
    """`runs(planner)`: the suite run with that planner on the process's test database, made on first use.
    `shared` is a directory every test process of the session sees (the gold write-states are kept there)."""

    def __init__(self, engine: Engine, base: str | None, out: Path, shared: Path) -> None:
        self.engine, self.base, self.out, self.shared = engine, base, out, shared
        self.golds: dict[str, Gold] = {}
        self._done: dict[tuple[str, frozenset[str]], EvalRun] = {}

    def all_golds(self) -> dict[str, Gold]:
        """Every task's gold write-state. Each process's database is a copy of one seeded database and the states
        name no row ids, so one computation serves all: the tasks come in two halves, each computed by the first
        process to claim it (two processes compute one each, at once) and read by the other."""
        if self.golds:
            return self.golds
        tasks = load_tasks()
        halves = [tasks[0::2], tasks[1::2]]
        files = [self.shared / f"eval-golds-{half}.json" for half in (0, 1)]
        locks = [(self.shared / f"eval-golds-{half}.lock").open("a") for half in (0, 1)]
        try:
            for half, lock in enumerate(locks):  # claim what no other process is computing
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                if not files[half].exists():
                    self._compute(halves[half], files[half])
                fcntl.flock(lock, fcntl.LOCK_UN)
            for half, lock in enumerate(locks):  # then the other's, once it is written
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not files[half].exists():
                    self._compute(halves[half], files[half])
                golds = json.loads(files[half].read_text())
                self.golds.update({task: Gold(**gold) for task, gold in golds.items()})
                fcntl.flock(lock, fcntl.LOCK_UN)
        finally:
            for lock in locks:
                lock.close()
        return self.golds

    def _compute(self, tasks: list[Task], file: Path) -> None:
        factory = StoreFactory(self.engine, self.base, ahead=3)
        try:
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="gold") as pool:
                golds = dict(zip([t.id for t in tasks], pool.map(lambda t: compute_gold(factory, t), tasks),
                                 strict=True))
        finally:
            factory.close()
        partial = file.with_suffix(".partial")
        partial.write_text(json.dumps({task: asdict(gold) for task, gold in golds.items()}))
        partial.replace(file)

    def __call__(self, planner: str, skip: Collection[str] = ()) -> EvalRun:
        """The run of every task but those of `skip` (task ids)."""
        key = (planner, frozenset(skip))
        self.all_golds()
        if key not in self._done:
            tasks = tuple(task.id for task in load_tasks() if task.id not in key[1]) if skip else ()
            out = self.out / (planner if not skip else f"{planner}-{len(self._done)}")
            self._done[key] = run_suite(self.engine, self.base, out, planner, self.golds, task_ids=tasks)
        return self._done[key]
