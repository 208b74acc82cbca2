"""What a user's answer to "…? yes/no" means: assent and refusal in any wording ("sure, go ahead", "nah leave
it", "ok 👍"), told apart by the same classifier that reads every message; anything more is an edit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Decision:
    kind: Literal["yes", "no", "edit"]
    text: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


def parse_confirmation(answer: Any) -> Decision:
    """Map a resume value to yes / no / edit. Structured answers ({"decision": ..., "args": ...}) come from
    buttons and the API; free text from chat. Anything that is neither a clear yes nor a clear no — a change
    ("yes but make it 2", "no wait, 380"), a new request — is an edit: nothing is written and the planner
    hears what the user said instead."""
    if isinstance(answer, dict):
        decision = str(answer.get("decision", "")).lower()
        if decision in ("yes", "confirm", "approve"):
            return Decision("yes")
        if decision in ("no", "cancel", "reject"):
            return Decision("no")
        return Decision("edit", str(answer.get("text", "")), dict(answer.get("args") or {}))
    from agent.planners.local.nlu import classify_assent

    text = str(answer or "")
    kind = classify_assent(text)
    if kind == "yes":
        return Decision("yes", text)
    if kind == "no":
        return Decision("no", text)
    return Decision("edit", text)
