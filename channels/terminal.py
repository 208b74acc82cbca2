"""Terminal channel: `partpilot chat`. Interactive with a TTY; line-by-line (one turn per line) otherwise."""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterable
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from sqlalchemy import Engine

from agent.runner import AgentRunner, TurnResult
from tools.context import Caller
from tools.photo import PhotoRejected
from tools.photo_store import save_photo

DEFAULT_USER = "maria.gonzalez@summitvm.example"


class TerminalChat:
    def __init__(self, engine: Engine, runner: AgentRunner, caller: Caller, thread: str | None,
                 as_json: bool) -> None:
        self.engine, self.runner, self.caller = engine, runner, caller
        self.thread = thread or f"cli:{uuid.uuid4()}"
        self.as_json = as_json
        self.out = Console()
        self.err = Console(stderr=True)
        self.photos: list[str] = []

    def attach(self, path: str) -> bool:
        try:
            self.photos.append(save_photo(self.engine, self.caller, Path(path).expanduser().read_bytes(), "cli"))
            return True
        except (OSError, PhotoRejected) as exc:
            self.err.print(f"[red]Cannot attach {path}: {exc}[/red]")
            return False

    def handle(self, line: str) -> TurnResult | None:
        line = line.strip()
        if not line:
            return None
        if line.startswith("/photo "):
            self.attach(line.split(" ", 1)[1].strip())
            return None
        photos, self.photos = self.photos, []
        turn = self.runner.send(self.thread, self.caller, line, photo_ids=photos)
        self.render(turn)
        return turn

    def render(self, turn: TurnResult) -> None:
        if self.as_json:
            sys.stdout.write(json.dumps(turn.as_json()) + "\n")
            sys.stdout.flush()
            return
        for call in turn.tool_calls:
            self.err.print(f"[dim]· {call.type.lower()} {call.name}[/dim]")
        style = "yellow" if turn.confirmation else "cyan"
        self.out.print(Panel(turn.reply or "(no reply)", title="Partpilot", border_style=style))

    def run_lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.handle(line)

    def run_interactive(self) -> None:
        self.out.print(f"[bold]Partpilot[/bold] — signed in as {self.caller.name} ({self.caller.organization_name}). "
                       "Type a message; /photo PATH attaches a photo; Ctrl-D quits.")
        while True:
            try:
                line = self.out.input("[bold green]you>[/bold green] ")
            except (EOFError, KeyboardInterrupt):
                self.out.print()
                return
            self.handle(line)
