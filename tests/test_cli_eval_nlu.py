"""`partpilot eval nlu`: the NLU report as JSON, error lists only on request; `partpilot eval [options]` still
runs the eval tasks. In-process, with the fixture's lookup tables instead of a database."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from agent.planners.local.nlu import make_nlu
from agent.planners.local.nlu.examples import training_examples
from partpilot.cli import app
from tests.test_nlu_table import demo_tables, demo_vocabulary

REPORT_FIELDS = {"examples", "intent_accuracy", "slot_f1", "slot_precision", "slot_recall", "held_out_share",
                 "overlap_with_train", "confident_share", "confident_accuracy", "by_intent", "by_entity",
                 "top_confusions", "ms_per_utterance"}


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    nlu = make_nlu(demo_tables(), demo_vocabulary())
    monkeypatch.setattr("agent.planners.local.nlu.get_nlu", lambda engine: nlu)
    monkeypatch.setattr("knowledge.db.get_engine", lambda: None)
    sample = training_examples()[::200]  # a few examples of each split are enough to check the report's shape
    monkeypatch.setattr("agent.planners.local.nlu.evaluate.load_examples", lambda split: sample)
    return CliRunner()


def test_eval_nlu_json_report(runner: CliRunner) -> None:
    result = runner.invoke(app, ["eval", "nlu", "--json", "--split", "train"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) >= REPORT_FIELDS
    assert report["split"] == "train" and report["examples"] > 0
    assert "intent_errors" not in report and "slot_errors" not in report


def test_eval_nlu_errors_only_on_request(runner: CliRunner) -> None:
    result = runner.invoke(app, ["eval", "nlu", "--json", "--errors"])
    report = json.loads(result.stdout)
    assert report["split"] == "test" and 0 < report["held_out_share"] < 1
    assert isinstance(report["intent_errors"], list) and isinstance(report["slot_errors"], list)
    assert "intent accuracy" in runner.invoke(app, ["eval", "nlu"]).stdout


def test_eval_nlu_rejects_an_unknown_split(runner: CliRunner) -> None:
    assert runner.invoke(app, ["eval", "nlu", "--split", "dev"]).exit_code == 2


def test_eval_without_a_subcommand_runs_the_eval_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def run_eval(engine: object, options: Any) -> dict[str, Any]:
        seen["options"] = options
        return {"n_tasks": 1, "avg_reward": 1.0, "pass_hat_k": {"1": 1.0}, "isolation": "clone",
                "wall_seconds": 0.1, "by_suite": {"offers": {"avg_reward": 1.0}}}

    monkeypatch.setattr("evals.run.run_eval", run_eval)
    monkeypatch.setattr("knowledge.db.get_engine", lambda: None)
    result = CliRunner().invoke(app, ["eval", "--planner", "oracle", "--no-retrieval", "--suite", "offers"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["by_suite"] == {"offers": 1.0}
    assert seen["options"].planner == "oracle" and seen["options"].retrieval is False
    assert "nlu" in CliRunner().invoke(app, ["eval", "--help"]).stdout
