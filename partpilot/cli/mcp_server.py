"""`partpilot mcp --as EMAIL`: Partpilot as an MCP server over stdio (Claude Desktop, Cursor, Claude Code)."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer


def mcp(
    as_email: Annotated[str, typer.Option("--as", help="Act as this user (email); see `partpilot users`.")],
) -> None:
    """Serve every Partpilot tool over MCP on stdin/stdout, as one user (docs/mcp.md)."""
    from api.mcp import build_mcp_server, fixed_caller
    from knowledge.db import get_engine
    from tools.context import UnknownCaller, caller_by_email

    # stdout carries the protocol: whatever starting the store prints (the embedded server) goes to stderr.
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        engine = get_engine()
        caller = caller_by_email(engine, as_email, channel="mcp")
        server = build_mcp_server(lambda: engine, fixed_caller(caller))
    except UnknownCaller:
        typer.echo(f"No active user with email {as_email}. See `partpilot users`.", err=True)
        raise typer.Exit(2) from None
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
    server.run("stdio")


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp)
