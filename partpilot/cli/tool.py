"""`partpilot tool`: the operator's interface to run one tool as a user (WRITE tools need a key)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

err = Console(stderr=True)


def tool(
    name: Annotated[str | None, typer.Argument(help="Tool name, e.g. search_parts")] = None,
    as_email: Annotated[str | None, typer.Option("--as", help="Run as this user (email).")] = None,
    args: Annotated[str, typer.Option("--args", help="Tool arguments as a JSON object.")] = "{}",
    idempotency_key: Annotated[str | None, typer.Option("--idempotency-key", help="Required for WRITE tools.")] = None,
    list_tools: Annotated[bool, typer.Option("--list", help="List tools with READ/WRITE tag and schema.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output (tool output is always JSON).")] = False,
    as_markdown: Annotated[bool, typer.Option("--markdown", help="With --list: README's tool table.")] = False,
) -> None:
    """Run one tool and print its output as JSON."""
    from tools.registry import REGISTRY, ToolKind, get_tool, invoke, load_all_tools

    load_all_tools()
    if list_tools and as_markdown:
        from partpilot.tool_table import readme_block

        typer.echo(readme_block())
        return
    if list_tools:
        listing = [{"name": s.name, "type": s.kind.value, "description": s.description, "schema": s.json_schema()}
                   for s in sorted(REGISTRY.values(), key=lambda s: s.name)]
        if as_json:
            typer.echo(json.dumps(listing, indent=2))
        else:
            for item in listing:
                typer.echo(f"{item['type']:5}  {item['name']}")
        return
    if not name or not as_email:
        err.print("Usage: partpilot tool NAME --as EMAIL --args JSON [--idempotency-key K]")
        raise typer.Exit(2)
    try:
        spec = get_tool(name)
    except KeyError as exc:
        err.print(str(exc))
        raise typer.Exit(2) from None
    try:
        parsed_args = json.loads(args)
    except json.JSONDecodeError as exc:
        err.print(f"--args is not valid JSON: {exc}")
        raise typer.Exit(2) from None
    if spec.kind is ToolKind.WRITE and not idempotency_key:
        err.print(f"{name} is a WRITE tool: pass --idempotency-key K so a retry cannot act twice.")
        raise typer.Exit(2)
    from knowledge.db import get_engine
    from tools.context import UnknownCaller, caller_by_email

    engine = get_engine()
    try:
        caller = caller_by_email(engine, as_email, channel="cli")
    except UnknownCaller:
        err.print(f"No active user with email {as_email}. See `partpilot users`.")
        raise typer.Exit(2) from None
    output = invoke(engine, caller, name, parsed_args, idempotency_key=idempotency_key)
    typer.echo(output.model_dump_json(indent=2))
    if getattr(output, "ok", True) is False:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("tool")(tool)
