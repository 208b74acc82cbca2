"""`partpilot bench …`: benchmarks that write JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from partpilot.cli.progress import stage_bars

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(help="Benchmarks (each writes a JSON report).", no_args_is_help=True)
err = Console(stderr=True)


@app.command("search")
def bench_search(
    parts: Annotated[int, typer.Option("--parts", min=100, help="Catalog size to benchmark at.")] = 100_000,
    out: Annotated[Path, typer.Option("--out", help="Where to write the JSON report.")] = Path("bench-search.json"),
    queries: Annotated[int | None, typer.Option("--queries", min=1, help="Use only N of the labeled queries.")] = None,
) -> None:
    """Seed N parts into a separate database; measure p50/p95 latency and recall@10 per search method."""
    from evals.retrieval.metrics import search_metrics
    from knowledge.bench_search import run_search_bench

    def labeled(engine: Engine) -> dict[str, float]:
        metrics = search_metrics(engine, with_builds=True)
        return {"queries": metrics["n_queries"], "top1": metrics["recall@1"], "recall_at_5": metrics["recall@5"],
                "mrr": metrics["mrr"], "top1_counting_builds": metrics["builds_recall@1"],
                "recall_at_5_counting_builds": metrics["builds_recall@5"]}

    with stage_bars(err) as progress:
        report = run_search_bench(parts, out, progress, max_queries=queries, labeled=labeled)
    typer.echo(json.dumps(report, indent=2))


@app.command("encoders")
def bench_encoders(
    out: Annotated[Path, typer.Option("--out", help="Where to write the JSON report.")] = Path("bench/encoders.json"),
    parts: Annotated[int, typer.Option("--parts", min=100, help="Catalog size (demo world + generated).")] = 20_000,
    queries: Annotated[int | None, typer.Option("--queries", min=1, help="Use only N of the labeled queries.")] = None,
    encoder: Annotated[list[str] | None, typer.Option("--encoder", help="Only these (repeatable); fp32 always "
                                                      "runs as the reference.")] = None,
) -> None:
    """Text encoders (MiniLM fp32, int8, static) on the same catalog in a scratch database: texts/s, hybrid top-1
    and recall@5 on the labeled queries, vector recall@10, cosine to fp32, and which one meets the bar."""
    from knowledge.encoders import ENCODERS
    from partpilot.bench.encoders import run_encoder_bench

    unknown = set(encoder or ()) - set(ENCODERS)
    if unknown:
        raise typer.BadParameter(f"unknown encoder(s) {', '.join(sorted(unknown))}; choose from {', '.join(ENCODERS)}")
    chosen = tuple(n for n in ENCODERS if not encoder or n in encoder)
    with stage_bars(err) as progress:
        report = run_encoder_bench(out, parts=parts, max_queries=queries, encoders=chosen, progress=progress)
    typer.echo(json.dumps(report, indent=2))


@app.command("agent")
def bench_agent(
    out: Annotated[Path, typer.Option("--out", help="Where to write the JSON report.")] = Path("bench-agent.json"),
    rounds: Annotated[int, typer.Option("--rounds", min=1)] = 3,
) -> None:
    """Local-planner turn latency (p50/p95, excluding the first model load) over scripted conversations."""
    from agent.bench import run_agent_bench
    from knowledge.db import get_engine

    typer.echo(json.dumps(run_agent_bench(get_engine(), out, rounds=rounds), indent=2))


@app.command("channels")
def bench_channels(
    out: Annotated[Path, typer.Option("--out", help="Where to write the JSON report.")] = Path("bench-channels.json"),
    messages: Annotated[int, typer.Option("--messages", min=2, help="Webhooks to post (Slack and SMS alternate).")]
    = 200,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1)] = 8,
) -> None:
    """Slack and Twilio webhook acknowledgement latency (p50/p95/p99) while the agent answers in the background."""
    from knowledge.db import get_engine
    from partpilot.bench.channels import run_channels_bench

    typer.echo(json.dumps(run_channels_bench(get_engine(), out, messages=messages, concurrency=concurrency), indent=2))


@app.command("durability")
def bench_durability(
    out: Annotated[Path, typer.Option("--out", help="Where to write the JSON report.")] = Path("bench-durability.json"),
    mode: Annotated[str, typer.Option("--mode", help="kill (SIGKILL a worker and an API process), postgres "
                                      "(stop the database for 10 s) or both")] = "both",
    slack: Annotated[int, typer.Option("--slack", min=2, help="Slack events to post")] = 500,
    sms: Annotated[int, typer.Option("--sms", min=2, help="Twilio webhooks to post")] = 500,
    conversations: Annotated[int, typer.Option("--conversations", min=2)] = 100,
    keep: Annotated[bool, typer.Option("--keep", help="Keep the processes' logs (the path is in the report)")] = False,
    rate: Annotated[float, typer.Option("--rate", min=0, help="New messages per second, all conversations "
                                        "together (0: as fast as they are acknowledged)")] = 25.0,
) -> None:
    """Multi-process durability: 2 API processes behind nginx and 2 job workers on a Postgres over TCP, signed
    webhooks across many conversations, a process killed or the database stopped mid-run."""
    from partpilot.bench.durability import run_durability_bench

    modes = ["kill", "postgres"] if mode == "both" else [mode]
    report = run_durability_bench(out, modes, slack_messages=slack, sms_messages=sms, conversations=conversations,
                                  keep=keep, rate=rate)
    for name in modes:
        r = report[name]
        typer.echo(f"{name}: accepted {r['accepted']}/{r['messages']}, replied {r['replied']}, lost {r['lost']}, "
                   f"duplicate replies {r['duplicate_replies']}, duplicate writes {r['duplicate_writes']} "
                   f"(of {r['writes']}), out of order {r['out_of_order']}, 500s {r['server_errors_500']}, "
                   f"ack p50/p95/p99 {r['ack'].get('p50_ms')}/{r['ack'].get('p95_ms')}/{r['ack'].get('p99_ms')} ms, "
                   f"reply p95 {r['reply_end_to_end'].get('p95_ms')} ms, failed attempts {r['failed_attempts']}")
    typer.echo(f"{'PASSED' if report['passed'] else 'FAILED'}; report in {out}")
    if not report["passed"]:
        raise typer.Exit(1)


@app.command("alerts")
def bench_alerts(
    out: Annotated[Path, typer.Option("--out", help="Where to write the JSON report.")] = Path("bench-alerts.json"),
    rules: Annotated[int, typer.Option("--rules", min=1)] = 10_000,
    listings: Annotated[int, typer.Option("--listings", min=1)] = 1_000,
    rate: Annotated[float, typer.Option("--rate", min=0.1, help="Listings published per second")] = 10.0,
) -> None:
    """Deal alerts on a copy of the store: N rules, M listings published; match time per listing and each
    notice's time to the Slack/Twilio fakes with a job worker running."""
    from knowledge.db import get_engine
    from partpilot.bench.alerts import run_alerts_bench

    report = run_alerts_bench(get_engine(), out, rules=rules, listings=listings, rate=rate)
    typer.echo(json.dumps(report, indent=2))
    if not report["passed"]:
        raise typer.Exit(1)


@app.command("api")
def bench_api(
    out: Annotated[Path, typer.Option("--out", help="Where to write the JSON report.")] = Path("bench-api.json"),
    sessions: Annotated[int, typer.Option("--sessions", min=1, help="Concurrent chat sessions.")] = 100,
    samples: Annotated[int, typer.Option("--samples", min=1, help="Sequential time-to-first-token samples.")] = 50,
    turns: Annotated[int, typer.Option("--turns", min=1, max=3, help="Messages per concurrent session.")] = 2,
    url: Annotated[str | None, typer.Option("--url", help="Bench a running server instead of starting one.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Start `partpilot serve --workers N`.")] = 1,
) -> None:
    """Chat API over HTTP: SSE time to first token (p50/p95, local planner); a burst of N concurrent sessions:
    errors, turns/s, time to first token and the server's CPU per turn."""
    from knowledge.db import get_engine
    from partpilot.bench.api import run_api_bench

    report = run_api_bench(get_engine(), out, sessions=sessions, samples=samples, turns=turns, url=url,
                           workers=workers)
    typer.echo(json.dumps(report, indent=2))


@app.command("orders")
def bench_orders(
    out: Annotated[Path, typer.Option("--out", help="Where to write the JSON report.")] = Path("bench-orders.json"),
    checkouts: Annotated[int, typer.Option("--checkouts", min=2, help="Buyers checking out at once.")] = 200,
    listings: Annotated[int, typer.Option("--listings", min=1, help="Listings with limited stock.")] = 20,
) -> None:
    """Racing checkouts on a copy of the store: N buyers check out carts of M limited-stock listings at once;
    oversells (must be 0), placed/refused counts and checkout p50/p95/p99 latency."""
    from knowledge.db import get_engine
    from partpilot.bench.orders import run_orders_bench

    report = run_orders_bench(get_engine(), out, checkouts=checkouts, listings=listings)
    typer.echo(json.dumps(report, indent=2))
    if not report["passed"]:
        raise typer.Exit(1)
