"""`partpilot chat`: talk to the agent from a terminal or a pipe."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

err = Console(stderr=True)


def chat(
    as_email: Annotated[str | None, typer.Option("--as", help="Chat as this user (default: demo technician).")] = None,
    thread: Annotated[str | None, typer.Option("--thread", help="Continue this conversation id.")] = None,
    photo: Annotated[Path | None, typer.Option("--photo", help="Attach a photo to the first message.")] = None,
    planner: Annotated[str | None, typer.Option("--planner", help="local, claude or provider:model "
                                                "(default: PLANNER_MODEL, else claude when ANTHROPIC_API_KEY is set, "
                                                "else local).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per agent turn.")] = False,
) -> None:
    """Chat with Partpilot. Without a TTY, each input line is one message (a confirmation is answered by the
    next line; a line `/photo PATH` attaches a photo to the next message)."""
    from agent.gateway import Gateway
    from agent.runner import AgentRunner
    from channels.terminal import DEFAULT_USER, TerminalChat
    from knowledge.db import get_engine
    from tools.context import UnknownCaller, caller_by_email

    if planner not in (None, "local", "claude") and ":" not in planner:
        err.print("--planner must be local, claude or provider:model (e.g. openai:gpt-4.1-mini)")
        raise typer.Exit(2)
    engine = get_engine()
    try:
        caller = caller_by_email(engine, as_email or DEFAULT_USER, channel="cli")
    except UnknownCaller:
        err.print(f"No active user {as_email}. See `partpilot users`.")
        raise typer.Exit(2) from None
    try:
        runner = AgentRunner(engine, planner)
    except (RuntimeError, ValueError) as exc:
        err.print(str(exc))
        raise typer.Exit(2) from None
    interactive = sys.stdin.isatty() and not as_json
    session = TerminalChat(Gateway(engine), runner, caller, thread, as_json, live=interactive)
    if photo is not None and not session.attach(str(photo)):
        raise typer.Exit(2)
    if interactive:
        session.run_interactive()
    else:
        session.run_lines(sys.stdin)


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)
