"""The dialogue state: what the conversation is about, kept in the graph state and checkpointed with it.

Every follow-up resolves against it: the object in focus of each kind ("it", "that listing"), the last list
shown ("number 3", "the refurb one"), the form being filled (a WRITE tool's arguments, asked for one at a
time and answered in any order), the proposal just made ("want me to hold one?" → "sure"), the question
asked when unsure, and the asks of the current turn.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

STATE_KEY = "planner_state"
POOL_SIZE = 25


class Ref(BaseModel):
    """An object the conversation can point at: a part, a stock option, a listing, an offer, a hold …
    `data` keeps what the tool said about it that later turns need (number, price, condition, seller …)."""

    kind: str
    id: str | None = None
    label: str = ""
    data: dict[str, Any] = Field(default_factory=dict)

    def same(self, other: Ref | None) -> bool:
        return other is not None and other.kind == self.kind and (other.id or other.label) == (self.id or self.label)


class Listed(BaseModel):
    """The items the last reply numbered, and what picking one does (`goal`, an intent, with the entities of the
    ask that led to the list: "used 2 of the run caps" … "which one?" … "2" is still 2 used on a job)."""

    kind: str
    items: list[Ref] = Field(default_factory=list)
    goal: str | None = None
    carried: list[dict[str, Any]] = Field(default_factory=list)  # what the ask that asked "which one?" said
    dropping: str | None = None  # what "drop the trane one" does to one of them: unwatch_listing on the watchlist
    # asks of the same message that wait on the pick ("bump it to 220 and push it live": the publishing)
    then: list[dict[str, Any]] = Field(default_factory=list)


class FormState(BaseModel):
    """A WRITE tool's arguments being gathered. `asked` is the slot the last reply asked for; `declined`
    holds slots the user chose to skip; `after` what happens once the tool ran ("publish", "draft")."""

    name: str
    tool: str
    values: dict[str, Any] = Field(default_factory=dict)
    asked: str | None = None
    asked_before: list[str] = Field(default_factory=list)
    corrected: list[str] = Field(default_factory=list)  # asked again: what was given was refused or not found
    said_more: bool = False  # the last answer gave more than the slot asked ("S1-…, new, 10 of em, 35 each")
    declined: list[str] = Field(default_factory=list)
    target: Ref | None = None
    after: str | None = None
    hints: dict[str, Any] = Field(default_factory=dict)  # e.g. the suggested price, for "use suggested"


class Proposal(BaseModel):
    """What the last reply offered to do next; an assent does it."""

    intent: str
    target: Ref | None = None
    values: dict[str, Any] = Field(default_factory=dict)


class Question(BaseModel):
    """A value the last reply asked for outside a form ("Which equipment should it fit?"): an answer that
    carries one of `needs` (entity types) continues `intent` about `target`."""

    intent: str
    needs: list[str]
    target: Ref | None = None


class Clarify(BaseModel):
    """The two readings the last reply asked the user to choose between, and the words they were about."""

    intents: list[str]
    text: str


class AskState(BaseModel):
    """One ask of the current turn (a message may ask several things)."""

    intent: str
    text: str
    confidence: float = 1.0
    entities: list[dict[str, Any]] = Field(default_factory=list)
    target: Ref | None = None
    values: dict[str, Any] = Field(default_factory=dict)
    photo_ids: list[str] = Field(default_factory=list)
    started: int = 0  # index of the first message after which this ask's tool results count


class TurnState(BaseModel):
    asks: list[AskState] = Field(default_factory=list)
    index: int = 0
    drafts: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def current(self) -> AskState | None:
        return self.asks[self.index] if self.index < len(self.asks) else None

    def lead_in(self) -> str:
        """The last sentence of the ask before the current one ("board? we got any": "board?")."""
        before = self.asks[self.index - 1].text.strip() if 0 < self.index <= len(self.asks) else ""
        return re.split(r"(?<=[.!?])\s+", before)[-1] if before else ""


class DialogueState(BaseModel):
    focus: dict[str, Ref] = Field(default_factory=dict)
    focus_kind: str | None = None
    listed: Listed | None = None
    form: FormState | None = None
    proposal: Proposal | None = None
    clarify: Clarify | None = None
    question: Question | None = None
    equipment: Ref | None = None
    pools: dict[str, list[Ref]] = Field(default_factory=dict)
    sourcing: dict[str, Any] | None = None  # the last find_inventory: its arguments and every option
    others_only: str | None = None  # "who's got one besides us, ours are spoken for": that part ("*": any) elsewhere
    turn: TurnState | None = None
    last_intent: str | None = None
    last_text: str = ""
    seen_messages: int = 0

    def put_focus(self, ref: Ref | None) -> None:
        if ref is None:
            return
        self.focus[ref.kind] = ref
        self.focus_kind = ref.kind
        self.remember(ref)

    def remember(self, ref: Ref) -> None:
        """Keep the object where names can find it later ("the offer from Apex")."""
        pool = [r for r in self.pools.get(ref.kind, []) if not r.same(ref)]
        self.pools[ref.kind] = [ref, *pool][:POOL_SIZE]

    def remember_all(self, refs: list[Ref]) -> None:
        for ref in reversed(refs):
            self.remember(ref)

    def focused(self, *kinds: str) -> Ref | None:
        """The most recent focus among these kinds (the latest overall when it is one of them)."""
        if self.focus_kind in kinds:
            return self.focus.get(self.focus_kind)
        for kind in kinds:
            if kind in self.focus:
                return self.focus[kind]
        return None

    def pool(self, kind: str) -> list[Ref]:
        return list(self.pools.get(kind, []))
