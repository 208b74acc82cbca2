"""The eval suite: task files and scorers that can fail (the whole runs: tests/test_evals_runs.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Engine

from evals.conversation import CallRecord
from evals.matchers import match_output, match_value, numbers_in
from evals.model import Task, load_tasks, suite_settings
from evals.report import pass_hat_k, summarize
from evals.retrieval.metrics import ranking_metrics
from evals.scoring import score_actions
from evals.write_state import state_hash, write_delta

# ---- task files ------------------------------------------------------------------------------------------

def test_tasks_load_and_cover_the_suites() -> None:
    tasks = load_tasks()
    assert len(tasks) >= 60
    suites = suite_settings()  # a suite is a folder of tasks: nothing lists them
    assert {t.suite for t in tasks} == set(suites) and len(suites) >= 20
    assert all(sum(1 for t in tasks if t.suite == name) >= 4 for name in suites)
    assert len({t.id for t in tasks}) == len(tasks)
    assert sum(1 for t in tasks if t.suite == "adversarial") >= 8
    for task in tasks:  # a task the null agent could pass would not measure anything
        assert task.needs_write or task.needs_answer, task.id
        assert task.evaluation.reference_actions or task.evaluation.outputs, task.id
        # the database's clock does not move with the eval's (tests/test_evals_runs.py): times come from ${in_N_days}
        db_clock = re.compile(r"\b(now|current_timestamp|current_date)\b", re.I)
        assert not any(db_clock.search(f.sql) for f in task.setup.sql), task.id


# ---- scorers ---------------------------------------------------------------------------------------------

def test_number_matcher_tolerance_and_currency() -> None:
    assert numbers_in("asks $4,200 or 4.2k USD, 3 units") == [(4200.0, "USD"), (4200.0, "USD"), (3.0, None)]
    ok, _ = match_output({"number": {"value": 4774, "rel_tolerance": 0.05, "currency": "USD"}}, "market $4,790")
    assert ok
    wrong, why = match_output({"number": {"value": 4774, "rel_tolerance": 0.05, "currency": "USD"}}, "market $5,400")
    assert not wrong and "5400" in why
    no_currency, _ = match_output({"number": {"value": 120, "currency": "USD"}}, "offer 120 sent")
    assert not no_currency
    assert match_output({"number": {"value": 120, "tolerance": 0}}, "offer 120 sent")[0]


def test_text_matchers() -> None:
    assert match_output({"contains": "lcb ii"}, "Logic control board, LCB II")[0]
    assert not match_output({"contains": "GAA24350BH1"}, "GAA24350AH is discontinued")[0]
    assert match_output({"regex": r"^yes\b"}, "Yes — it fits")[0]
    assert not match_output({"not_regex": r"\n"}, "two\nlines")[0]
    assert match_output({"any_of": [{"contains": "high"}, {"contains": "above market"}]}, "well above market")[0]
    assert not match_output({"any_of": [{"contains": "high"}, {"contains": "above"}]}, "a fair price")[0]
    assert not match_output({"max_length": 10}, "x" * 11)[0]
    with pytest.raises(ValueError):
        match_output({"contains": "a", "regex": "b"}, "ab")


def test_argument_matchers() -> None:
    assert match_value(120, "120.00") and not match_value(120, "110")
    assert match_value("gen2", "Gen2") and not match_value("Gen2", "Gen2 Comfort")
    assert match_value({"regex": "^GAA2435[0O]BH[1l]$"}, "GAA2435OBHl")
    assert match_value(["shipping", "local_pickup"], ["local_pickup", "shipping"])
    assert not match_value(["shipping"], ["shipping", "local_pickup"])
    assert match_value({"any_of": ["urgent", "emergency"]}, "urgent") and not match_value(True, "true")


def _task(**evaluation: Any) -> Task:
    return Task.model_validate({"id": "t", "description": "d", "caller": {"user": "u@x"},
                                "user": {"turns": ["hi"]}, "evaluation": evaluation})


def _call(name: str, kind: str = "READ", executed: bool = True, confirmed: bool = False, **args: Any) -> CallRecord:
    return CallRecord(name, args, kind, f"id-{name}", executed=executed, confirmed=confirmed)


def test_forbidden_action_fails_the_task() -> None:
    task = _task(forbidden_actions=[{"tool": "submit_offer"}])
    assert score_actions(task, [_call("get_listing")], {}) == []
    failures = score_actions(task, [_call("get_listing"), _call("submit_offer", "WRITE", confirmed=True,
                                                                 listing_id="L", offered_price="1")], {})
    assert failures and "forbidden submit_offer" in failures[0]


def test_required_ordering_and_confirmation() -> None:
    task = _task(required_actions=[{"tool": "submit_offer", "args": {"offered_price": 90}, "executed": True}],
                 ordering=[["check_compatibility", "submit_offer"]])
    good = [_call("check_compatibility"), _call("submit_offer", "WRITE", confirmed=True, offered_price="90")]
    assert score_actions(task, good, {}) == []
    wrong_price = [_call("check_compatibility"), _call("submit_offer", "WRITE", confirmed=True, offered_price="95")]
    assert any("required" in f for f in score_actions(task, wrong_price, {}))
    unordered = [good[1], good[0]]
    assert any("came before" in f for f in score_actions(task, unordered, {}))
    unconfirmed = [good[0], _call("submit_offer", "WRITE", confirmed=False, offered_price="90")]
    assert any("without the user's yes" in f for f in score_actions(task, unconfirmed, {}))


def test_write_state_delta_and_hash() -> None:
    before = {"offers": {"1": '{"status": "pending"}'}, "holds": {}}
    same = write_delta(before, before)
    accepted = write_delta(before, {"offers": {"1": '{"status": "accepted"}'}, "holds": {}})
    held = write_delta(before, {"offers": before["offers"], "holds": {"9": '{"quantity": 1}'}})
    assert same == {} and accepted == {"offers": ['+{"status": "accepted"}']}
    assert len({state_hash(same), state_hash(accepted), state_hash(held)}) == 3


def test_pass_hat_k_and_summary() -> None:
    assert pass_hat_k([4, 2, 0], trials=4, k=1) == pytest.approx((1 + 0.5 + 0) / 3)
    assert pass_hat_k([4, 2, 0], trials=4, k=2) == pytest.approx((1 + 1 / 6) / 3)
    rows = [{"task": t, "suite": "s", "trial": i, "reward": r, "components": {"db": r}, "failures": []}
            for t, rs in {"a": [1.0, 1.0], "b": [1.0, 0.0]}.items() for i, r in enumerate(rs)]
    summary = summarize(rows, trials=2)
    assert summary["n_tasks"] == 2 and summary["avg_reward"] == 0.75
    assert summary["pass_hat_k"] == {"1": 0.75, "2": 0.5}
    assert summary["weakest_tasks"][0]["task"] == "b"


def test_ranking_metrics() -> None:
    metrics = ranking_metrics([([1, 0, 0], 1), ([0, 1, 0], 1), ([0] * 10, 1), ([0, 0, 0, 0, 0, 1], 1)])
    assert metrics["recall@1"] == 0.25 and metrics["recall@5"] == 0.5
    assert metrics["mrr"] == pytest.approx((1 + 0.5 + 0 + 1 / 6) / 4, abs=1e-4)
    assert 0 < metrics["ndcg@10"] < metrics["recall@5"] + 0.25


def test_claude_planner_and_llm_user_offline(engine: Engine, eval_base: str | None) -> None:
    """`--planner claude --user llm` end to end through the real anthropic clients against the loopback fake:
    Claude plans (a tool call, then the answer), plays the user (who stops), and judges the nl_assertions."""
    from evals.runner import EvalConfig, run_tasks
    from knowledge.settings import Settings
    from tests.fakes.anthropic_server import FakeAnthropic, text_reply, tool_use

    task = next(t for t in load_tasks("number") if t.id == "lookup_lcb_board")
    script = [tool_use("lookup_part", {"part_number": "GAA26800LC1"}),
              text_reply("GAA26800LC1 is the Otis Logic control board, LCB II; list price $8,900."),
              text_reply("###STOP###"), text_reply('{"verdicts": [true]}')]
    with FakeAnthropic(script) as fake:
        settings = Settings(anthropic_api_key="sk-test-key", anthropic_base_url=fake.url,
                            anthropic_model="claude-test-model")
        rows, _ = run_tasks(EvalConfig(planner="claude", user="llm", settings=settings), engine, [task],
                            base=eval_base)
    row = rows[0]
    assert row["reward"] == 1.0, row["failures"]
    assert row["components"] == {"db": 1.0, "actions": 1.0, "outputs": 1.0, "nl": 1.0}
    assert row["user"] == "llm" and row["nl_assertions"] == [True]
    # the fake reports 100 in / 20 out per call: two planner calls, the simulated user and the judge
    assert row["tokens"]["output"] == 80 and row["tokens"]["input"] >= 200 and row["cost_usd"] > 0
    assert len(fake.requests) == 4 and "Persona" in str(fake.requests[2]["system"])
