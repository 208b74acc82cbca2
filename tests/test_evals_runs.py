"""Whole eval-suite runs, the oracle and the null planner: the oracle scores 1.0 on every task, the null planner 0;
a world seeded a year ahead is alive then, and the oracle scores 1.0 on it too (tests/eval_year_ahead.py). The
local planner's runs: tests/test_evals_runs_local.py — the two modules run at once under pytest-xdist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from knowledge import clock
from tests.eval_helpers import EvalRuns
from tests.eval_year_ahead import YEAR, same_a_year_ahead
from tests.tool_helpers import METRO, member, ok
from tools.registry import invoke

# One unit of work for pytest-xdist (--dist loadfile), sent first (conftest.py): the runs are made once and shared.
pytestmark = [pytest.mark.whole_eval_runs, pytest.mark.timeout(3000)]


def test_oracle_scores_one_on_every_task(eval_runs: EvalRuns) -> None:
    run = eval_runs("oracle")
    bad = [(r["task"], r["failures"]) for r in run.rows if r["reward"] != 1.0]
    assert not bad
    assert run.summary["n_tasks"] >= 60


def test_null_scores_zero_on_every_task(eval_runs: EvalRuns) -> None:
    """A do-nothing agent scores 0 everywhere. It writes nothing, so its write-state is the empty one, which fails
    every task whose gold write-state is not (the db component): those need no run. The others are run — tasks
    answered without writing, and writes the write-state does not record (marking notifications read) — where the
    answer and the tool calls must be what fails it."""
    golds = eval_runs.all_golds()
    writing = {task for task, gold in golds.items() if gold.delta}
    run = eval_runs("null", skip=writing)
    assert len(run.rows) == len(golds) - len(writing) >= 20 and len(writing) >= 100
    assert [r["task"] for r in run.rows if r["reward"] > 0] == []
    assert all(r["tool_calls"] == [] and r["write_state"] == {} for r in run.rows)


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


def test_oracle_scores_the_same_a_year_ahead(year_ahead: tuple[Engine, str], eval_runs: EvalRuns,
                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    same_a_year_ahead("oracle", year_ahead, eval_runs, tmp_path_factory)
