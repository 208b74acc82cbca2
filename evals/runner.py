"""Run eval tasks: gold write-states once per run, then every task × trial on a fresh store through the real
graph with the chosen planner and user, scored, one JSON line each."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.memory import InMemorySaver
from sqlalchemy import Engine

from agent.notices import enter_notice
from agent.planners.oracle import NullPlanner, OraclePlanner, PlannedCall
from agent.runner import AgentRunner, make_planner
from evals.conversation import Session, Transcript, run_llm_user, run_scripted
from evals.fixtures import apply_setup, replay_reference, resolve
from evals.model import Task
from evals.scoring import score_run
from evals.store import StoreFactory
from evals.typos import careless
from evals.write_state import snapshot, state_hash, write_delta
from knowledge.settings import Settings, get_settings
from tools.context import Caller, caller_by_email
from tools.registry import ToolKind, get_tool, invoke

log = logging.getLogger(__name__)
PLANNERS = ("local", "claude", "oracle", "null")
# USD per million tokens (input, output) for the cost column; override for other models via settings.
PRICE_PER_MTOK = (3.0, 15.0)


@dataclass
class Gold:
    hash: str
    delta: dict[str, list[str]]


@dataclass
class EvalConfig:
    planner: str = "local"
    user: str = "scripted"
    trials: int = 1
    settings: Settings = field(default_factory=get_settings)


def reference_writes(task: Task) -> bool:
    return any(get_tool(a.tool).kind is ToolKind.WRITE and not a.declined for a in task.evaluation.reference_actions)


def compute_gold(factory: StoreFactory, task: Task) -> Gold:
    if not reference_writes(task):
        return Gold(state_hash({}), {})  # reads change nothing: no store needed
    with factory.fresh() as engine:
        ctx = apply_setup(engine, task)
        before = factory.state(engine)
        replay_reference(engine, task, ctx)
        delta = write_delta(before.rows, snapshot(engine, before).rows)
    return Gold(state_hash(delta), delta)


def _planner(config: EvalConfig, task: Task, ctx: dict[str, Any], shared: dict[str, BaseChatModel]) -> BaseChatModel:
    if config.planner == "oracle":
        calls = [PlannedCall(name=a.tool, args=a.args, expect_declined=a.declined, save=a.save)
                 for a in task.evaluation.reference_actions]
        return OraclePlanner(calls=calls, answer=task.evaluation.reference_answer or "Done.", context=ctx,
                             resolver=resolve)
    if config.planner == "null":
        return NullPlanner()
    with _SHARED_LOCK:  # two workers must not build (and load) the same planner twice
        return shared.get(config.planner) or shared.setdefault(config.planner, _new_planner(config))


_SHARED_LOCK = threading.Lock()


def _new_planner(config: EvalConfig) -> BaseChatModel:
    if config.planner == "claude":
        from agent.planners.claude import claude_planner

        return claude_planner(config.settings)
    if ":" in config.planner:
        from agent.planners.any_model import any_model_planner

        return any_model_planner(config.planner, config.settings)
    return make_planner(config.planner)


def _converse(config: EvalConfig, task: Task, session: Session, ctx: dict[str, Any],
              trial: int) -> tuple[Transcript, str]:
    if config.user == "llm" and task.llm_user is not None:
        from evals.claude import LlmUserSimulator

        first = task.user.turns[0]
        simulator = LlmUserSimulator(config.settings, task.llm_user, str(resolve(first.text, ctx)))
        photos = [str(resolve(f"${{{p}}}", ctx)) for p in first.photos]
        if photos:  # the opening message carries the task's photos; the LLM user takes over after it
            session.say(simulator.first_message, photos, source="llm")
        return run_llm_user(session, simulator, task.llm_user.max_turns), "llm"
    if config.user == "typos":
        said = itertools.count()
        return run_scripted(session, task.user, ctx,
                            lambda text: careless(text, f"{task.id}:{trial}:{next(said)}")), "typos"
    return run_scripted(session, task.user, ctx), "scripted"


def answer_newest_notice(runner: AgentRunner, thread: str, caller: Caller) -> None:
    newest = invoke(runner.engine, caller, "list_notifications", {"limit": 1})
    notices = getattr(newest, "notifications", None)
    if not notices:
        raise ValueError("answering_notice: the caller has no notification to answer")
    enter_notice(runner, thread, caller, notices[0].id)


def run_one(config: EvalConfig, factory: StoreFactory, task: Task, gold: Gold, trial: int,
            shared: dict[str, BaseChatModel]) -> dict[str, Any]:
    started = time.perf_counter()
    # only a run that writes needs its own store: the null planner never writes, the oracle only its reference —
    # but a setup that writes (a hold on the one unit a counter has) would leave the shared store changed for the next
    can_write = config.planner not in ("oracle", "null") or bool(task.setup.actions) or \
        (config.planner == "oracle" and reference_writes(task))
    with factory.fresh() if can_write else factory.shared() as engine:
        ctx = apply_setup(engine, task)
        before = factory.state(engine)
        runner = AgentRunner(engine, _planner(config, task, ctx, shared), checkpointer=InMemorySaver())
        session = Session(runner, caller_by_email(engine, task.caller.user, channel=task.caller.channel))
        if task.setup.answering_notice:
            answer_newest_notice(runner, session.thread, session.caller)
        transcript, user_kind = _converse(config, task, session, ctx, trial)
        delta = write_delta(before.rows, snapshot(engine, before).rows)
    nl_verdict: list[bool] | None = None
    if task.evaluation.nl_assertions and config.settings.anthropic_api_key:
        from evals.claude import judge_nl

        nl_verdict = judge_nl(config.settings, task, transcript)
    score = score_run(task, transcript, ctx, state_hash(delta), gold.hash, nl_verdict)
    row: dict[str, Any] = {
        "task": task.id, "suite": task.suite, "trial": trial, "planner": config.planner, "user": user_kind,
        "reward": score.reward, "components": score.components, "failures": score.failures,
        "nl_assertions": ("not evaluated" if nl_verdict is None else nl_verdict)
        if task.evaluation.nl_assertions else None,
        "needs_write": task.needs_write, "needs_answer": task.needs_answer,
        "write_state": delta, "gold_write_state": gold.delta if delta != gold.delta else "same",
        "wrong_writes": wrong_writes(delta, gold.delta),
        "n_turns": len(transcript.turns), "latency_ms": transcript.latency_ms,
        "wall_ms": round((time.perf_counter() - started) * 1000, 1),
        **transcript.as_json(),
    }
    if config.planner == "claude" or config.user == "llm":
        cost = (transcript.tokens_in * PRICE_PER_MTOK[0] + transcript.tokens_out * PRICE_PER_MTOK[1]) / 1e6
        row["cost_usd"] = round(cost, 5)
    return row


def wrong_writes(delta: dict[str, list[str]], gold: dict[str, list[str]]) -> list[str]:
    """Rows the agent wrote that the correct path does not write: a wrong object, wrong values, or a write
    nobody asked for (each "table: ±row")."""
    expected = {(table, row) for table, rows in gold.items() for row in rows}
    return sorted(f"{table}: {row}" for table, rows in delta.items() for row in rows if (table, row) not in expected)


def _run_or_zero(config: EvalConfig, factory: StoreFactory, task: Task, gold: Gold, trial: int,
                 shared: dict[str, BaseChatModel]) -> dict[str, Any]:
    try:
        return run_one(config, factory, task, gold, trial, shared)
    except Exception as exc:  # one broken run is a zero with its error, not a lost eval
        log.exception("task %s trial %d crashed", task.id, trial)
        return {"task": task.id, "suite": task.suite, "trial": trial, "planner": config.planner,
                "reward": 0.0, "components": {}, "failures": [f"crash: {exc!r}"],
                "needs_write": task.needs_write, "needs_answer": task.needs_answer}


def run_tasks(config: EvalConfig, source: Engine, tasks: list[Task], base: str | None = None,
              on_row: Callable[[dict[str, Any]], None] | None = None,
              golds: dict[str, Gold] | None = None, workers: int = 1) -> tuple[list[dict[str, Any]], str]:
    """Every task × trial; returns the result rows (in task order) and the isolation mode used ("clone" or
    "in_place"). `golds` (task id → Gold) is filled in for tasks it lacks, so several runs can share one
    computation. With `workers` > 1 that many tasks run at once, each on its own store: a task run waits on the
    database about half of its time, so two overlap well on two cores. Tasks run in place run one at a time."""
    factory = StoreFactory(source, base, ahead=workers + 1)
    workers = max(1, workers) if factory.isolation == "clone" else 1
    shared: dict[str, BaseChatModel] = {}
    rows: list[dict[str, Any]] = []
    golds = golds if golds is not None else {}
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eval") if workers > 1 else None
    each = pool.map if pool else map  # one worker runs inline: its profile and traceback stay readable
    try:
        missing = [task for task in tasks if task.id not in golds]
        for task, gold in zip(missing, each(lambda t: compute_gold(factory, t), missing), strict=True):
            golds[task.id] = gold
        runs = [(task, trial) for trial in range(config.trials) for task in tasks]
        for row in each(lambda run: _run_or_zero(config, factory, run[0], golds[run[0].id], run[1], shared), runs):
            rows.append(row)
            if on_row:
                on_row(row)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
        factory.close()
    return rows, factory.isolation
