"""What a user's answer to "…? yes/no" means."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

_YES = re.compile(r"^\s*(y|yes|yep|yeah|yup|ok|okay|sure|confirm(ed)?|do it|go ahead|please do|approve[d]?|"
                  r"sounds good|correct|affirmative|1)\s*[.!]*\s*$", re.IGNORECASE)
_NO = re.compile(r"^\s*(n|no|nope|nah|cancel|stop|don'?t|do not|abort|never ?mind|decline[d]?|reject|2)\b",
                 re.IGNORECASE)


@dataclass(frozen=True)
class Decision:
    kind: Literal["yes", "no", "edit"]
    text: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


def parse_confirmation(answer: Any) -> Decision:
    """Map a resume value to yes / no / edit. Structured answers ({"decision": ..., "args": ...}) come from
    buttons and the API; free text from chat. Anything that is neither a clear yes nor a clear no is an edit:
    nothing is written and the planner hears what the user said instead."""
    if isinstance(answer, dict):
        decision = str(answer.get("decision", "")).lower()
        if decision in ("yes", "confirm", "approve"):
            return Decision("yes")
        if decision in ("no", "cancel", "reject"):
            return Decision("no")
        return Decision("edit", str(answer.get("text", "")), dict(answer.get("args") or {}))
    text = str(answer or "")
    if _YES.match(text):
        return Decision("yes", text)
    if _NO.match(text):
        return Decision("no", text)
    return Decision("edit", text)
