"""`partpilot eval`: run the eval tasks (and retrieval metrics) and write a report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

err = Console(stderr=True)


def eval_command(
    planner: Annotated[str, typer.Option(help="local, claude, oracle (replays reference actions) or null.")] = "local",
    suite: Annotated[str | None, typer.Option(help="Only this suite (a folder of evals/tasks).")] = None,
    trials: Annotated[int, typer.Option(min=1, help="Runs per task; pass^k is reported for k = 1..K.")] = 1,
    user: Annotated[str, typer.Option(help="scripted, or llm (Claude plays the user; needs a key).")] = "scripted",
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("eval-out"),
    task: Annotated[list[str] | None, typer.Option(help="Only these task ids (repeatable).")] = None,
    retrieval: Annotated[bool, typer.Option(help="Also measure search and photo identification.")] = True,
    photos: Annotated[int, typer.Option(min=1, help="Nameplates in the photo identification sample.")] = 10,
) -> None:
    """Score the agent on the eval tasks: results.jsonl, summary.json, report.md and a chart in --out."""
    from evals.run import EvalOptions, run_eval
    from knowledge.db import get_engine

    options = EvalOptions(planner=planner, suite=suite, trials=trials, user=user, out=out,
                          retrieval=retrieval, photos=photos, task_ids=tuple(task or ()))
    try:
        summary = run_eval(get_engine(), options)
    except ValueError as exc:
        err.print(str(exc))
        raise typer.Exit(2) from None
    brief = {k: summary[k] for k in ("n_tasks", "avg_reward", "pass_hat_k", "by_suite", "isolation", "wall_seconds")}
    brief["by_suite"] = {s: v["avg_reward"] for s, v in summary["by_suite"].items()}
    if "retrieval" in summary:
        brief["retrieval"] = summary["retrieval"]
    typer.echo(json.dumps(brief, indent=2))
    err.print(f"report: {out / 'report.md'}")


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)
