"""What a policy works with and returns, and the registry policies join by decorating themselves.

A policy is `fn(ctx) -> Step`, called again after every tool it asked for: `ctx` holds the dialogue state,
the ask (intent, words, entities, resolved target), who is asking, and the typed results of the tools this
ask has called so far. It returns the next tool call or the reply draft.
"""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import AskState, DialogueState, Listed, Proposal, Question, Ref
from agent.reply_draft import DraftChoice, DraftItem, ReplyDraft
from tools.registry import get_tool


@dataclass(frozen=True)
class Env:
    """Who is asking and what the planner may use."""

    role: str
    organization: str
    name: str
    channel: str
    can_sell: bool
    can_buy: bool
    tools: frozenset[str]
    engine: Any = None
    nlu: Any = None


@dataclass
class ToolResult:
    name: str
    args: dict[str, Any]
    data: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.data.get("ok") is not False

    @property
    def error(self) -> str | None:
        return None if self.ok else str(self.data.get("error") or "error")

    @property
    def message(self) -> str:
        return str(self.data.get("message") or "")

    @property
    def out(self) -> Any:
        """The tool's typed output (its pydantic output model), or None for a failure."""
        if not self.ok:
            return None
        try:
            return get_tool(self.name).output_model.model_validate(self.data)
        except (KeyError, ValidationError):
            return None

    @staticmethod
    def parse(name: str, args: dict[str, Any], content: str) -> ToolResult:
        try:
            data = json.loads(content)
        except (TypeError, ValueError):
            data = {"ok": False, "error": "invalid", "message": str(content)[:300]}
        return ToolResult(name, args, data if isinstance(data, dict) else {"value": data})


@dataclass
class Ctx:
    state: DialogueState
    ask: AskState
    env: Env
    results: list[ToolResult] = field(default_factory=list)

    @property
    def said(self) -> Said:
        return Said(self.ask.text, self.ask.entities)

    def last(self, name: str) -> ToolResult | None:
        return next((r for r in reversed(self.results) if r.name == name), None)

    def called(self, name: str) -> bool:
        return any(r.name == name for r in self.results)

    def asking(self, **changes: Any) -> Ctx:
        """The same conversation and results, the ask read with `changes` (another intent, fewer words)."""
        return replace(self, ask=self.ask.model_copy(update=changes))


@dataclass
class Call:
    name: str
    args: dict[str, Any]


@dataclass
class Say:
    """The reply for this ask. `listed` replaces the list the next turn can pick from (None keeps the
    previous one, `clear_listed` drops it); `proposal` is what an assent next turn will do."""

    draft: ReplyDraft
    listed: Listed | None = None
    clear_listed: bool = False
    proposal: Proposal | None = None
    question: Question | None = None


Step = Call | Say
Policy = Callable[[Ctx], Step]
POLICIES: dict[str, Policy] = {}


def policy(*intents: str) -> Callable[[Policy], Policy]:
    """Register `fn` as the policy of these intents."""

    def register(fn: Policy) -> Policy:
        for intent in intents:
            POLICIES[intent] = fn
        return fn

    return register


def load_policies() -> dict[str, Policy]:
    """Import every module of the policies package (each registers its intents)."""
    _import_policies()
    return POLICIES


@functools.cache
def _import_policies() -> None:
    """Once: listing the package's directory is file-system work each planner step could do without."""
    import agent.planners.local.policies as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")


def say(headline: str, question: str = "", items: list[DraftItem] | None = None, *, numbered: bool = False,
        choices: list[DraftChoice] | None = None, notes: list[str] | None = None, kind: str = "answer",
        listed: Listed | None = None, proposal: Proposal | None = None, clear_listed: bool = False,
        awaits: Question | None = None) -> Say:
    draft = ReplyDraft(headline=headline, question=question, items=items or [], numbered=numbered,
                       choices=choices or [], notes=notes or [], kind=kind)  # type: ignore[arg-type]
    return Say(draft, listed=listed, proposal=proposal, clear_listed=clear_listed, question=awaits)


def offer(intent: str, target: Ref | None = None, **values: Any) -> Proposal:
    return Proposal(intent=intent, target=target, values=values)


def awaiting(intent: str, *needs: str, target: Ref | None = None) -> Question:
    return Question(intent=intent, needs=list(needs), target=target)


def yes_no(label_yes: str = "Yes", label_no: str = "No") -> list[DraftChoice]:
    return [DraftChoice(label=label_yes, say="yes"), DraftChoice(label=label_no, say="no")]


def dump(model: BaseModel | None) -> dict[str, Any]:
    return model.model_dump(mode="json") if model is not None else {}
