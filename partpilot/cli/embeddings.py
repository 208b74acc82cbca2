"""`partpilot embeddings build` (the encoders' derived model files) and `partpilot embeddings reembed` (the store's
vectors again, after `EMBEDDING_ENCODER` changed)."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from partpilot.cli.progress import stage_bars

err = Console(stderr=True)
app = typer.Typer(help="Text encoders: build their model files, re-embed the store.", no_args_is_help=True)


@app.command("build")
def build(
    encoder: Annotated[str, typer.Option("--encoder", help="minilm-fp32, minilm-int8, static, or all.")] = "all",
) -> None:
    """Build an encoder's files under PARTPILOT_HOME/models from the bundled MiniLM (nothing is downloaded).
    A no-op for files that exist already."""
    from knowledge.encoders import ENCODERS, EncoderName, build_encoder

    names: list[EncoderName] = list(ENCODERS) if encoder == "all" else [n for n in ENCODERS if n == encoder]
    if not names:
        raise typer.BadParameter(f"unknown encoder {encoder!r}; choose one of {', '.join(ENCODERS)} or all")
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err) as bar:
        overall = bar.add_task("encoders", total=len(names))
        for name in names:
            task = bar.add_task(f"{name}: checking", total=None)

            def stage(what: str, task: TaskID = task, name: str = name) -> None:
                bar.update(task, description=f"{name}: {what}")

            started = time.perf_counter()
            built = build_encoder(name, stage)
            verdict = f"built in {time.perf_counter() - started:.1f} s" if built else "already built"
            bar.update(task, description=f"{name}: {verdict}", total=1, completed=1)
            bar.advance(overall)


@app.command("reembed")
def reembed() -> None:
    """Drop every stored vector (catalog parts, listings, wanted posts) and embed them again with the configured
    encoder: vectors of different encoders are not comparable, so this follows any change of EMBEDDING_ENCODER."""
    from sqlalchemy import text

    from knowledge.db import get_engine
    from knowledge.encoders import active_encoder_name
    from knowledge.seed.loader import embed_missing, refresh_statistics

    engine = get_engine()
    with engine.begin() as conn:
        for table in ("parts_catalog", "marketplace_listings", "wanted_posts"):
            conn.execute(text(f"UPDATE {table} SET embedding = NULL WHERE embedding IS NOT NULL"))
    with stage_bars(err) as progress:
        embedded = embed_missing(engine, progress)
    refresh_statistics(engine, vacuum=True)
    typer.echo(f"re-embedded {embedded} rows with {active_encoder_name()}")
