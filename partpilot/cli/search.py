"""`partpilot search`: one query, or a batch file with the model loaded once."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

log = logging.getLogger(__name__)
err = Console(stderr=True)


def _hits_json(response) -> list[dict]:  # type: ignore[no-untyped-def]
    return [hit.model_dump(mode="json") for hit in response.results]


def search(
    query: Annotated[str | None, typer.Argument(help="Part number, description or equipment model.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-k", min=1, max=100)] = 10,
    manufacturer: Annotated[str | None, typer.Option("--manufacturer")] = None,
    category: Annotated[str | None, typer.Option("--category")] = None,
    trade: Annotated[str | None, typer.Option("--trade")] = None,
    compatible_with: Annotated[str | None, typer.Option("--compatible-with")] = None,
    batch: Annotated[Path | None, typer.Option("--batch", exists=True, dir_okay=False,
                                               help="File with one query per line.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Hybrid search of the parts catalog."""
    from knowledge.db import get_engine
    from knowledge.search import SearchFilters, SearchQueryError, search_parts

    engine = get_engine()
    filters = SearchFilters(trade=trade, category=category, manufacturer=manufacturer, compatible_with=compatible_with)
    if batch is not None:
        for line in batch.read_text(encoding="utf-8").splitlines():
            try:
                hits = _hits_json(search_parts(engine, line, limit=limit, filters=filters))
            except SearchQueryError as exc:
                log.warning("skipped query %r: %s", line[:60], exc)
                hits = []
            typer.echo(json.dumps(hits))
        return
    if query is None:
        err.print("Give a QUERY or --batch FILE.")
        raise typer.Exit(2)
    try:
        response = search_parts(engine, query, limit=limit, filters=filters)
    except SearchQueryError as exc:
        if as_json:
            typer.echo(json.dumps({"error": str(exc)}))
        else:
            err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(_hits_json(response), indent=2))
        return
    if response.message:
        err.print(response.message)
    table = Table("#", "part number", "manufacturer", "name", "score", "matched by", "superseded by")
    for i, hit in enumerate(response.results, 1):
        table.add_row(str(i), hit.part_number, hit.manufacturer, hit.name, f"{hit.score:.4f}",
                      ",".join(hit.matched_by), hit.superseded_by or "")
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.command("search")(search)
