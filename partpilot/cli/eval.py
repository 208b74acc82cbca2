"""`partpilot eval`: run the eval tasks (and retrieval metrics) and write a report; `partpilot eval nlu`: the
local planner's intent accuracy and slot F1 on the held-out NLU examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

err = Console(stderr=True)
app = typer.Typer(help="Score the agent on the eval tasks (results.jsonl, summary.json, report.md and a chart in "
                       "--out); `eval nlu` scores the local planner's NLU.")
_ERROR_LISTS = ("intent_errors", "slot_errors")


@app.callback(invoke_without_command=True)
def eval_command(
    ctx: typer.Context,
    planner: Annotated[str, typer.Option(help="local, claude, oracle (replays reference actions), null, or "
                                             "provider:model (anthropic, openai, ollama; see README).")] = "local",
    suite: Annotated[str | None, typer.Option(help="Only this suite (a folder of evals/tasks).")] = None,
    trials: Annotated[int, typer.Option(min=1, help="Runs per task; pass^k is reported for k = 1..K.")] = 1,
    user: Annotated[str, typer.Option(help="scripted; typos (the same turns typed carelessly, evals/typos.py); "
                                               "llm (Claude plays the user; needs a key).")] = "scripted",
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("eval-out"),
    task: Annotated[list[str] | None, typer.Option(help="Only these task ids (repeatable).")] = None,
    retrieval: Annotated[bool, typer.Option(help="Also measure search and photo identification.")] = True,
    photos: Annotated[int, typer.Option(min=1, help="Nameplates in the photo identification sample.")] = 10,
    workers: Annotated[int, typer.Option(min=1, help="Tasks run at once, each on its own database clone (2 "
                                                     "suits two cores; latencies are then measured under load).")] = 1,
) -> None:
    """Score the agent on the eval tasks: results.jsonl, summary.json, report.md and a chart in --out."""
    if ctx.invoked_subcommand is not None:
        return
    from evals.run import EvalOptions, run_eval
    from knowledge.db import get_engine

    options = EvalOptions(planner=planner, suite=suite, trials=trials, user=user, out=out,
                          retrieval=retrieval, photos=photos, task_ids=tuple(task or ()),
                          workers=workers)
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


@app.command("nlu")
def eval_nlu(
    split: Annotated[str, typer.Option(help="test (held out, never trained on) or train.")] = "test",
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole report as JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="Include the misread examples.")] = False,
) -> None:
    """Intent accuracy, slot F1 and calibration of the local planner's NLU on the annotated examples."""
    if split not in ("test", "train"):
        err.print(f"--split must be test or train, not {split!r}")
        raise typer.Exit(2)
    from agent.planners.local.nlu import get_nlu
    from agent.planners.local.nlu.evaluate import run
    from knowledge.db import get_engine

    report = run(get_nlu(get_engine()), split)
    if not errors:
        for key in _ERROR_LISTS:
            report.pop(key, None)
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    typer.echo(f"{split}: {report['examples']} examples, intent accuracy {report['intent_accuracy']:.3f}, "
               f"slot F1 {report['slot_f1']:.3f} (P {report['slot_precision']:.3f} R {report['slot_recall']:.3f}), "
               f"confident {report['confident_share']:.0%} at {report['confident_accuracy']:.3f}, "
               f"{report['ms_per_utterance']} ms per message")
    for confusion in report["top_confusions"][:5]:
        typer.echo(f"  {confusion['expected']} read as {confusion['got']}: {confusion['count']}")
    for key in _ERROR_LISTS:
        for row in report.get(key, []):
            typer.echo(f"  {key[:-7]}: {json.dumps(row, ensure_ascii=False)}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="eval")
