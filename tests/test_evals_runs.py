"""Whole eval-suite runs: the oracle scores 1.0 on every task, the null planner 0, the local planner ≥ 0.95 on
the tasks outside the held-out suites, with no write to a wrong object. And the evals do not decay with the
calendar: a second database seeded with the application clock a year ahead is as alive then as the test database
is now, and the eval suite scores the same on it, task by task — the oracle 1.0 everywhere, the local planner
exactly its rewards under the real clock. The seed, the tools, the eval fixtures and the planners all read the
moved clock (knowledge.clock.moved_by)."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, create_engine, text

from evals.model import load_tasks, suite_settings
from evals.report import summarize
from evals.runner import reference_writes
from knowledge import clock
from knowledge.db import database_url, engine_for_url
from knowledge.migrate import upgrade
from knowledge.seed.loader import seed_store
from knowledge.settings import get_settings
from tests.eval_helpers import EvalRun, EvalRuns, run_suite
from tests.tool_helpers import METRO, member, ok
from tools.registry import invoke

YEAR = timedelta(days=365)
HELD_OUT = {name for name, suite in suite_settings().items() if suite.held_out}
# One unit of work for pytest-xdist (--dist loadfile: the runs are made once per session and shared); conftest.py
# sends this module first, the suite's longest.
pytestmark = [pytest.mark.whole_eval_runs, pytest.mark.timeout(3000)]
# Where the calendar can bite (auction clocks, hold and offer expiry, notice timing, supplier cut-offs): every task
# of these suites is run a year ahead; of the others a fixed eighth (by a stable hash of the id), to keep the suite
# within its time budget (the seeded world itself is moved, so every task's data is a year on).
CLOCK_SUITES = frozenset({"bids_watches", "notifications", "alerts", "orders", "offers", "offers_by_name",
                          "wanted_posts", "inventory_chat", "followups"})


def _year_ahead_tasks(run: EvalRun) -> tuple[str, ...]:
    return tuple(row["task"] for row in run.rows
                 if row["suite"] in CLOCK_SUITES or zlib.crc32(row["task"].encode()) % 8 == 0)


def test_oracle_scores_one_on_every_task(eval_runs: EvalRuns) -> None:
    run = eval_runs("oracle")
    bad = [(r["task"], r["failures"]) for r in run.rows if r["reward"] != 1.0]
    assert not bad
    assert run.summary["n_tasks"] >= 60


def test_null_scores_zero_on_every_task(eval_runs: EvalRuns) -> None:
    """A do-nothing agent scores 0 everywhere. It writes nothing, so its write-state is the empty one, which fails
    every task whose correct path writes (the db component) — those need no run, only a gold that is not empty.
    The tasks answered without writing are run: there the answer and the reads must be what fails it."""
    eval_runs("oracle")  # the gold write-states
    writing = {task.id for task in load_tasks() if reference_writes(task)}
    assert all(eval_runs.golds[task].delta for task in writing), "a reference path that writes left no trace"
    run = eval_runs("null", skip=writing)
    assert len(run.rows) == len(load_tasks()) - len(writing) >= 20
    assert [r["task"] for r in run.rows if r["reward"] > 0] == []
    assert all(r["tool_calls"] == [] and r["write_state"] == {} for r in run.rows)


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


def _admin(statements: list[str]) -> None:
    admin = create_engine(database_url().set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        admin.dispose()


@pytest.fixture(scope="module")
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


def test_world_seeded_a_year_ahead_is_alive_then(year_ahead: tuple[Engine, str]) -> None:
    moved, _ = year_ahead
    with clock.moved_by(YEAR), moved.connect() as conn:
        now = clock.now()
        counts = conn.execute(text(
            "SELECT count(*) FILTER (WHERE status = 'pending' AND expires_at > :now) AS live_pending, "
            "count(*) FILTER (WHERE status IN ('pending', 'countered') AND expires_at <= :now) AS lapsed "
            "FROM part_offers"), {"now": now}).one()
        auctions = conn.execute(text(
            "SELECT count(*) FILTER (WHERE auction_end > :now) AS live, count(*) AS active "
            "FROM marketplace_listings WHERE is_auction AND status = 'active'"), {"now": now}).one()
        newest_price = conn.execute(text("SELECT max(recorded_at) FROM part_price_history")).scalar_one()
    assert counts.live_pending >= 10 and counts.lapsed == 0
    assert auctions.live == auctions.active > 0
    assert now - timedelta(days=1) < newest_price < now
    seller = member(moved, METRO, selling=True)
    with clock.moved_by(YEAR):
        received = ok(invoke(moved, seller, "list_offers", {"direction": "received", "status": "pending"}))
    assert received.offers and all(o.awaiting == "seller" for o in received.offers)


@pytest.mark.parametrize("planner", ["oracle", "local"])
def test_eval_rewards_do_not_depend_on_the_clock(planner: str, year_ahead: tuple[Engine, str], eval_runs: EvalRuns,
                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    today = eval_runs(planner)  # under the real clock, the runs of the tests above
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
