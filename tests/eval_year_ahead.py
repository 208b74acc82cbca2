"""The eval tests' second database, seeded with the application clock a year ahead, and the check that the eval
suite scores the same on it, task by task (tests/test_evals_runs*.py)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, create_engine, text

from knowledge import clock
from knowledge.db import database_url, engine_for_url
from knowledge.migrate import upgrade
from knowledge.seed.loader import seed_store
from knowledge.settings import get_settings
from tests.eval_helpers import EvalRun, EvalRuns, run_suite

YEAR = timedelta(days=365)
# Where the calendar can bite (auction clocks, hold and offer expiry, notice timing, supplier cut-offs): every task
# of these suites is run a year ahead; of the others a fixed eighth (by a stable hash of the id), to keep the suite
# within its time budget (the seeded world itself is moved, so every task's data is a year on).
CLOCK_SUITES = frozenset({"bids_watches", "notifications", "alerts", "orders", "offers", "offers_by_name",
                          "wanted_posts", "inventory_chat", "followups"})


def _year_ahead_tasks(run: EvalRun) -> tuple[str, ...]:
    return tuple(row["task"] for row in run.rows
                 if row["suite"] in CLOCK_SUITES or zlib.crc32(row["task"].encode()) % 8 == 0)


def _admin(statements: list[str]) -> None:
    admin = create_engine(database_url().set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def year_ahead(engine: Engine) -> Iterator[tuple[Engine, str]]:
    """(the database seeded a year ahead, the template its eval runs clone per task)."""
    name = f"{str(database_url().database)[:50]}_year"
    base = f"{name}_base"
    drop = [f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)' for db in (base, name)]
    try:
        _admin([*drop, f'CREATE DATABASE "{name}"'])
    except Exception as exc:
        if not get_settings().database_url:  # the embedded server is ours: creating a database must work
            raise
        # an outside DATABASE_URL may lack the CREATEDB right; CI runs on the embedded server, where this runs
        pytest.skip(f"DATABASE_URL's role cannot create a second test database: {exc}")
    moved = engine_for_url(database_url().set(database=name))
    with clock.moved_by(YEAR):
        upgrade(moved)
        seed_store(moved)
    moved.dispose()  # a template must have no sessions
    _admin([f'CREATE DATABASE "{base}" TEMPLATE "{name}"'])
    yield moved, base
    moved.dispose()
    _admin(drop)


def _failures(run: EvalRun, task: str) -> list[str]:
    return next(row["failures"] for row in run.rows if row["task"] == task)


def same_a_year_ahead(planner: str, year_ahead: tuple[Engine, str], eval_runs: EvalRuns,
                      tmp_path_factory: pytest.TempPathFactory) -> None:
    """The planner's rewards a year ahead are its rewards today, task by task (the oracle's all 1.0)."""
    today = eval_runs(planner)  # under the real clock, shared with the module's other tests
    with clock.moved_by(YEAR):  # the same gold write-states: a year on, the reference paths leave the same state
        later = run_suite(*year_ahead, tmp_path_factory.mktemp(f"evals-year-ahead-{planner}"), planner,
                          eval_runs.golds, task_ids=_year_ahead_tasks(today))
    now_rewards, later_rewards = {t: r for t, r in today.rewards().items() if t in later.rewards()}, later.rewards()
    assert later_rewards.keys() == now_rewards.keys() and len(now_rewards) >= 60
    changed = {task: {"now": (now_rewards[task], _failures(today, task)),
                      "a year ahead": (later_rewards[task], _failures(later, task))}
               for task in now_rewards if now_rewards[task] != later_rewards[task]}
    assert not changed, changed
    if planner == "oracle":
        assert set(later_rewards.values()) == {1.0}
