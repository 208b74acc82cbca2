"""The evals do not decay with the calendar: a second database seeded with the application clock a year ahead
is as alive then as the test database is now, and the eval suite scores the same on it, task by task — the
oracle 1.0 everywhere, the local planner exactly its rewards under the real clock. The seed, the tools, the
eval fixtures and the planners all read the moved clock (knowledge.clock.moved_by)."""

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
from tests.eval_helpers import WHOLE_RUN_MARKS, EvalRun, EvalRuns, run_suite
from tests.tool_helpers import METRO, member, ok
from tools.registry import invoke

YEAR = timedelta(days=365)
pytestmark = list(WHOLE_RUN_MARKS)
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
    today = eval_runs(planner)  # under the real clock, shared with tests/test_evals.py
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
