"""What one conversational turn streams out and what it returns, for every channel to render.

`AgentRunner.stream(...)` / `stream_resume(...)` yield `AgentEvent`s in this order:

* `TextDelta` — a piece of the planner's reply text, as the model produces it (Claude: its token stream;
  the local planner: a few words, then a line at a time). `message` numbers the planner's messages that have
  text within the turn (0, 1, …); concatenating one message's deltas gives its text, and the LAST message's text is
  `TurnResult.reply` — except that when a confirmation is pending, `reply` also ends with the question
  (`"\n" + summary + " (yes/no)"`, or just that when the planner said nothing).
* `ToolStarted` / `ToolFinished` — a tool ran (READ at once; WRITE only after the user's yes, so a WRITE's
  ToolStarted arrives in the stream that answers its confirmation). Every ToolStarted is followed by the
  ToolFinished with the same `call_id`.
* `ConfirmationRequested` — a WRITE tool waits for yes / no / an edit; the turn ends right after it.
  Answer with `stream_resume` (or `send`, which treats the next message as the answer).
* `TurnFinished` — always last, exactly once, carrying the `TurnResult` (`send`/`resume` return it).

Every event is a frozen dataclass with a `type` tag and `as_json()` for wire formats (SSE `event:` = type,
`data:` = json.dumps(as_json())). `TurnFinished.result.reply` is authoritative; when the planner service
breaks off mid-answer, the apology arrives as a new `message`, which a channel shows instead of the
unfinished one. Iterate the stream to its end: the turn (tools, checkpoint) runs as you consume it.

    for event in runner.stream(thread_id, caller, text):
        match event:
            case TextDelta(text=piece): ...
            case ToolStarted(name=name, kind=kind): ...
            case ConfirmationRequested(summary=summary): ...
            case TurnFinished(result=turn): ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from agent.reply_draft import ReplyDraft

OUTPUT_STRING_CHARS = 200
OUTPUT_LIST_ITEMS = 3
OUTPUT_DEPTH = 3


@dataclass
class ToolCallRecord:
    name: str
    args: dict[str, Any]
    type: str  # "READ" | "WRITE"


@dataclass
class Confirmation:
    summary: str
    tool: str
    args: dict[str, Any]
    call_id: str = ""  # the waiting WRITE call's tool call id (a channel's confirmation card refers to it)


@dataclass
class TurnResult:
    user: str
    reply: str
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    confirmation: Confirmation | None = None
    thread: str = ""
    latency_ms: float = 0.0
    draft: ReplyDraft | None = None  # the structured reply, when the planner made one (channels render it)

    def as_json(self) -> dict[str, Any]:
        """The `partpilot chat --json` contract: user, reply, tool_calls[{name,args,type}], confirmation, thread."""
        return {
            "user": self.user,
            "reply": self.reply,
            "tool_calls": [{"name": c.name, "args": c.args, "type": c.type} for c in self.tool_calls],
            "confirmation": None if self.confirmation is None else
            {"summary": self.confirmation.summary, "tool": self.confirmation.tool},
            "thread": self.thread,
        }


@dataclass(frozen=True)
class TextDelta:
    """A piece of reply text. `message` counts the planner's messages within the turn (0, 1, …): a channel
    starts a new paragraph when it changes (e.g. "Let me look." … tools … "Found it: …")."""

    text: str
    message: int = 0
    type: Literal["text_delta"] = "text_delta"

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "text": self.text, "message": self.message}


@dataclass(frozen=True)
class ToolStarted:
    """A tool began running with these (final, confirmed) arguments. `kind` is "READ" or "WRITE"."""

    name: str
    args: dict[str, Any]
    call_id: str
    kind: Literal["READ", "WRITE"]
    type: Literal["tool_started"] = "tool_started"

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "name": self.name, "args": self.args, "call_id": self.call_id,
                "kind": self.kind}


@dataclass(frozen=True)
class ToolFinished:
    """A tool returned. `ok` is False for expected failures (then `error` is the code, e.g. "not_found", and
    `message` says why); `output` is the result made compact for display (long lists and strings cut), `full`
    the whole output model as JSON (None when the emitter had only the preview)."""

    name: str
    call_id: str
    ok: bool
    output: dict[str, Any]
    error: str | None = None
    message: str | None = None
    full: dict[str, Any] | None = None
    type: Literal["tool_finished"] = "tool_finished"

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "name": self.name, "call_id": self.call_id, "ok": self.ok,
                "error": self.error, "message": self.message, "output": self.output}


@dataclass(frozen=True)
class ConfirmationRequested:
    """A WRITE tool is waiting for the user: show `summary` with yes / no (buttons, numbered reply …)."""

    summary: str
    tool: str
    args: dict[str, Any]
    call_id: str = ""
    type: Literal["confirmation_requested"] = "confirmation_requested"

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "summary": self.summary, "tool": self.tool, "args": self.args}


@dataclass(frozen=True)
class TurnFinished:
    """The end of the turn, with everything `send` returns."""

    result: TurnResult
    type: Literal["turn_finished"] = "turn_finished"

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "result": self.result.as_json(), "latency_ms": self.result.latency_ms}


AgentEvent = TextDelta | ToolStarted | ToolFinished | ConfirmationRequested | TurnFinished


def compact_output(value: Any, depth: int = 0) -> Any:
    """A JSON-safe preview of a tool result: strings cut to 200 characters, lists to their first 3 items
    (with a "… N more" marker), nesting to 3 levels."""
    if isinstance(value, str):
        return value if len(value) <= OUTPUT_STRING_CHARS else value[:OUTPUT_STRING_CHARS - 1] + "…"
    if isinstance(value, dict):
        if depth >= OUTPUT_DEPTH:
            return f"{{{len(value)} fields}}"
        return {str(k): compact_output(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        if depth >= OUTPUT_DEPTH:
            return f"[{len(value)} items]"
        head = [compact_output(v, depth + 1) for v in value[:OUTPUT_LIST_ITEMS]]
        more = len(value) - OUTPUT_LIST_ITEMS
        return [*head, f"… {more} more"] if more > 0 else head
    return value
