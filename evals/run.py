"""One eval run end to end, for the CLI and the tests: tasks × trials, retrieval metrics, and the files
results.jsonl, summary.json, report.md and reward_by_suite.png in the output directory."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from agent.planners.any_model import parse_model_spec
from evals.model import load_tasks
from evals.report import summarize, write_report
from evals.runner import PLANNERS, EvalConfig, Gold, run_tasks
from knowledge.settings import get_settings

log = logging.getLogger(__name__)


@dataclass
class EvalOptions:
    planner: str = "local"
    suite: str | None = None
    trials: int = 1
    user: str = "scripted"
    out: Path = Path("eval-out")
    retrieval: bool = True
    photos: int = 10
    task_ids: tuple[str, ...] = ()
    base: str | None = None  # a prepared template database to clone per task
    workers: int = 1  # tasks run at once, each on its own store


def run_eval(engine: Engine, options: EvalOptions, golds: dict[str, Gold] | None = None) -> dict[str, Any]:
    if ":" in options.planner:
        parse_model_spec(options.planner)  # a provider:model planner (any_model); raises for an unknown provider
    elif options.planner not in PLANNERS:
        raise ValueError(f"--planner must be one of {', '.join(PLANNERS)} or provider:model")
    if options.user not in ("scripted", "typos", "llm"):
        raise ValueError("--user must be scripted, typos or llm")
    settings = get_settings()
    if options.planner == "claude" and not settings.anthropic_api_key:
        raise ValueError("--planner claude needs ANTHROPIC_API_KEY; use --planner local to run offline")
    if options.user == "llm" and not settings.anthropic_api_key:
        raise ValueError("--user llm needs ANTHROPIC_API_KEY (Claude plays the user)")
    tasks = load_tasks(options.suite)
    if options.task_ids:
        tasks = [t for t in tasks if t.id in options.task_ids]
    started = time.perf_counter()
    options.out.mkdir(parents=True, exist_ok=True)
    results = options.out / "results.jsonl"
    with results.open("w") as sink:
        def write(row: dict[str, Any]) -> None:
            sink.write(json.dumps(row, default=str) + "\n")
            sink.flush()
            log.info("%s #%d reward %.2f", row["task"], row["trial"], row["reward"])

        config = EvalConfig(planner=options.planner, user=options.user, trials=max(1, options.trials),
                            settings=settings)
        rows, isolation = run_tasks(config, engine, tasks, base=options.base, on_row=write, golds=golds,
                                    workers=options.workers)
    meta = {"planner": options.planner, "user": options.user, "suite": options.suite or "all",
            "isolation": isolation}
    summary = summarize(rows, config.trials, meta)
    if options.retrieval:
        from evals.retrieval.metrics import photo_metrics, search_metrics

        summary["retrieval"] = {**_prefixed(search_metrics(engine), "search"),
                                **_prefixed(photo_metrics(engine, options.photos), "photo")}
    summary["wall_seconds"] = round(time.perf_counter() - started, 1)
    write_report(options.out, rows, summary)
    return summary


def _prefixed(metrics: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k if k.startswith(prefix) else f"{prefix}_{k}": v for k, v in metrics.items()
            if not isinstance(v, list)}
