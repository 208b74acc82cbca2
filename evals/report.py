"""Summaries of an eval run: average reward, pass^k (τ-bench's unbiased estimator), by component and by
suite, the weakest tasks; written as summary.json, report.md and a PNG chart of reward by suite."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from math import comb
from pathlib import Path
from statistics import mean
from typing import Any

log = logging.getLogger(__name__)
SUCCESS = 1.0 - 1e-9


def pass_hat_k(successes: list[int], trials: int, k: int) -> float:
    """τ-bench: mean over tasks of C(c, k) / C(n, k), with c successes out of n trials."""
    if not successes or k > trials:
        return 0.0
    return mean(comb(c, k) / comb(trials, k) for c in successes)


def summarize(rows: list[dict[str, Any]], trials: int, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    by_task: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_task[row["task"]].append(row)
    successes = [sum(1 for r in runs if r["reward"] >= SUCCESS) for runs in by_task.values()]
    components: dict[str, list[float]] = defaultdict(list)
    suites: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        for name, value in row.get("components", {}).items():
            components[name].append(value)
        suites[row["suite"]].append(row["reward"])
    task_means = {task: mean(r["reward"] for r in runs) for task, runs in by_task.items()}
    weakest = sorted(task_means.items(), key=lambda kv: (kv[1], kv[0]))[:10]
    summary: dict[str, Any] = {
        **(meta or {}),
        "n_tasks": len(by_task), "trials": trials, "n_runs": len(rows),
        "avg_reward": round(mean(r["reward"] for r in rows), 4) if rows else 0.0,
        "pass_hat_k": {str(k): round(pass_hat_k(successes, trials, k), 4) for k in range(1, trials + 1)},
        "by_component": {name: {"mean": round(mean(v), 4), "n": len(v)} for name, v in sorted(components.items())},
        "by_suite": {suite: {"avg_reward": round(mean(v), 4), "n_runs": len(v)} for suite, v in sorted(suites.items())},
        "weakest_tasks": [{"task": t, "avg_reward": round(v, 4),
                           "failures": next((r["failures"] for r in by_task[t] if r["reward"] < SUCCESS), [])[:3]}
                          for t, v in weakest if v < SUCCESS],
        "wrong_writes": sum(len(r.get("wrong_writes") or []) for r in rows),
        "runs_with_wrong_writes": sorted({r["task"] for r in rows if r.get("wrong_writes")}),
        "latency_ms_mean": round(mean(r.get("latency_ms", 0.0) for r in rows), 1) if rows else 0.0,
        "nl_assertions": _nl_status(rows),
    }
    cost = [r["cost_usd"] for r in rows if "cost_usd" in r]
    if cost:
        summary["cost_usd"] = round(sum(cost), 4)
        summary["tokens"] = {"input": sum(r.get("tokens", {}).get("input", 0) for r in rows),
                             "output": sum(r.get("tokens", {}).get("output", 0) for r in rows)}
    return summary


def _nl_status(rows: list[dict[str, Any]]) -> str:
    judged = [r for r in rows if r.get("nl_assertions") not in (None, "not evaluated")]
    pending = [r for r in rows if r.get("nl_assertions") == "not evaluated"]
    if judged:
        return f"judged by Claude on {len(judged)} runs"
    return "not evaluated (no ANTHROPIC_API_KEY)" if pending else "none in these tasks"


def write_report(out: Path, rows: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    _chart(out / "reward_by_suite.png", summary)
    lines = [f"# Partpilot eval — planner `{summary.get('planner')}`, user `{summary.get('user')}`", "",
             f"{summary['n_tasks']} tasks × {summary['trials']} trial(s), isolation `{summary.get('isolation')}`, "
             f"{summary.get('wall_seconds', 0)} s.", "",
             f"**Average reward {summary['avg_reward']:.3f}** — pass^k: " +
             ", ".join(f"k={k}: {v:.3f}" for k, v in summary["pass_hat_k"].items()), "",
             f"NL assertions: {summary['nl_assertions']}.", "",
             f"Wrong writes (rows written that the correct path does not write): {summary.get('wrong_writes', 0)}"
             + (f" in {', '.join(summary['runs_with_wrong_writes'])}" if summary.get("runs_with_wrong_writes") else "")
             + ".", "",
             "| suite | avg reward | runs |", "| --- | ---: | ---: |"]
    lines += [f"| {s} | {v['avg_reward']:.3f} | {v['n_runs']} |" for s, v in summary["by_suite"].items()]
    lines += ["", "| component | mean | runs |", "| --- | ---: | ---: |"]
    lines += [f"| {c} | {v['mean']:.3f} | {v['n']} |" for c, v in summary["by_component"].items()]
    if "cost_usd" in summary:
        lines += ["", f"Tokens {summary['tokens']}, cost ≈ ${summary['cost_usd']}."]
    lines += ["", "## Weakest tasks", ""]
    lines += [f"- `{w['task']}` {w['avg_reward']:.2f}: " + "; ".join(w["failures"]) for w in summary["weakest_tasks"]]
    if not summary["weakest_tasks"]:
        lines.append("None: every task scored 1.0.")
    retrieval = summary.get("retrieval")
    if retrieval:
        lines += ["", "## Retrieval", "", "| metric | value |", "| --- | ---: |"]
        lines += [f"| {k} | {v} |" for k, v in retrieval.items()]
    lines += ["", "![reward by suite](reward_by_suite.png)", ""]
    (out / "report.md").write_text("\n".join(lines))


def _chart(path: Path, summary: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    suites = list(summary["by_suite"])
    values = [summary["by_suite"][s]["avg_reward"] for s in suites]
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(suites) + 1.2))
    ax.barh(suites, values, color=["#2e7d32" if v >= 0.9 else "#f9a825" if v >= 0.6 else "#c62828" for v in values])
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("average reward")
    ax.set_title(f"Reward by suite — {summary.get('planner')} (avg {summary['avg_reward']:.2f})")
    for i, v in enumerate(values):
        ax.text(min(v + 0.01, 0.93), i, f"{v:.2f}", va="center")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
