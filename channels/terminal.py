"""Terminal channel: `partpilot chat`. Interactive with a TTY (the reply is drawn as the agent streams it);
line-by-line (one turn per line, rendered when the turn is done) otherwise."""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from rich.console import Console
from rich.live import Live
from rich.panel import Panel
from rich.text import Text

from agent.events import (
    AgentEvent,
    ConfirmationRequested,
    TextDelta,
    ToolFinished,
    ToolStarted,
    TurnFinished,
)
from agent.gateway import Caller, Gateway, PhotoRejected
from agent.runner import AgentRunner, TurnResult

DEFAULT_USER = "maria.gonzalez@summitvm.example"


class TerminalChat:
    def __init__(self, gateway: Gateway, runner: AgentRunner, caller: Caller, thread: str | None,
                 as_json: bool, live: bool = False, out: Console | None = None) -> None:
        self.gateway, self.runner, self.caller = gateway, runner, caller
        self.thread = thread or f"cli:{uuid.uuid4()}"
        self.as_json = as_json
        self.live = live and not as_json  # --json keeps its one-object-per-turn contract
        self.out = out or Console()
        self.err = Console(stderr=True)
        self.photos: list[str] = []

    def attach(self, path: str) -> bool:
        try:
            self.photos.append(self.gateway.save_photo(self.caller, Path(path).expanduser().read_bytes(), "cli"))
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
        if self.live:
            return self.render_stream(self.runner.stream(self.thread, self.caller, line, photo_ids=photos))
        turn = self.runner.send(self.thread, self.caller, line, photo_ids=photos)
        self.render(turn)
        return turn

    def render_stream(self, events: Iterator[AgentEvent]) -> TurnResult | None:
        """Draw the reply as it streams: text grows in a panel, tool lines appear above it."""
        text, message, finished = Text(), 0, None
        with Live(self._panel(text, "cyan"), console=self.out, refresh_per_second=20, transient=False) as live:
            for event in events:
                if isinstance(event, TextDelta):
                    if event.message != message and text.plain:
                        text.append("\n")
                    message = event.message
                    text.append(event.text)
                elif isinstance(event, ToolStarted):
                    live.console.print(Text(f"· {event.kind.lower()} {event.name}…", style="dim"))
                elif isinstance(event, ToolFinished):
                    outcome = "done" if event.ok else f"{event.error}: {event.message}"
                    live.console.print(Text(f"  {event.name} {outcome}", style="dim"))
                elif isinstance(event, ConfirmationRequested):
                    text.append(("\n" if text.plain else "") + f"{event.summary} (yes/no)", style="bold")
                elif isinstance(event, TurnFinished):
                    finished = event.result
                    if not text.plain:
                        text.append(finished.reply or "(no reply)")
                style = "yellow" if finished is not None and finished.confirmation else "cyan"
                live.update(self._panel(text, style))
        return finished

    @staticmethod
    def _panel(text: Text, style: str) -> Panel:
        return Panel(text if text.plain else Text("…", style="dim"), title="Partpilot", border_style=style)

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
