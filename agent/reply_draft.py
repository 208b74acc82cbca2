"""A structured reply: what a planner wants to say, before any channel decides how it looks.

The planner fills a `ReplyDraft` (a headline, the items it shows, a question, the choices it offers);
each channel renders it for its medium — SMS as ≤ 320 plain characters with "Reply 1 or 2", Slack as Block
Kit with buttons, the web chat as cards with buttons. `plain_text()` is the neutral rendering every
channel can fall back to (and the text a planner's AIMessage carries); it never contains SMS wording.
A planner that only writes prose (Claude) has no draft: channels render its text as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field

DRAFT_KEY = "reply_draft"


class PriceBadge(BaseModel):
    """A fair-price verdict for an item, from the assess_price tool."""

    verdict: Literal["good_deal", "fair", "high", "overpriced", "unknown"] | str
    label: str = Field(description='What a person reads, e.g. "Fair price (market $4,650)".')


class DraftLink(BaseModel):
    """A document the item links to, e.g. an order's invoice: `label` is what the link says ("Download invoice
    KPS-000001"), `url` where it is — a path under the REST API ("/api/v1/orders/…/invoice.pdf"), which the web
    chat fetches with its own credentials, or an absolute https URL. `download`: the file name to save it as.
    SMS and Slack show only absolute links (they cannot sign a request to the API); never part of plain text."""

    label: str
    url: str
    download: str | None = None

    @property
    def absolute(self) -> bool:
        return self.url.startswith(("https://", "http://"))


class DraftItem(BaseModel):
    """One thing the reply shows: a part, a source, a listing, an offer, a hold, a deal, an order …

    `title` is the full line; `short` is the same for a small screen (SMS); `facts` are extra details a
    card can show; `links` are documents it links to (an invoice). `ref` identifies the object for buttons
    and links ({"kind": "listing", "id": "…"}); it is never shown as text."""

    kind: str
    title: str
    short: str = ""
    facts: list[str] = Field(default_factory=list)
    badge: PriceBadge | None = None
    links: list[DraftLink] = Field(default_factory=list)
    ref: dict[str, str] | None = None


class DraftChoice(BaseModel):
    """A quick answer the person can give with one tap: `label` on the button, `say` is what it sends."""

    label: str
    say: str


class ReplyDraft(BaseModel):
    """The planner's reply in parts.

    Attributes:
        headline: The answer itself, one or two sentences.
        items: What the reply lists; numbered when `numbered` (the person may answer with the number).
        question: What the planner asks next ("Which one?", "Want me to hold one for pickup?").
        choices: Quick answers to the question (buttons); numbered items imply "1", "2", … already.
        notes: Secondary remarks (a warning about a label, a hint).
        kind: "answer", "question" (a form asks for a value), "clarify" (unsure what was meant) or "error".
    """

    headline: str = ""
    items: list[DraftItem] = Field(default_factory=list)
    numbered: bool = False
    question: str = ""
    choices: list[DraftChoice] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    kind: Literal["answer", "question", "clarify", "error"] = "answer"

    def plain_text(self) -> str:
        """The reply as neutral plain text: headline, the items ("1) …" when numbered), notes, question."""
        lines = [self.headline] if self.headline else []
        for i, item in enumerate(self.items, 1):
            lines.append(f"{i}) {item.title}" if self.numbered else f"- {item.title}")
        lines.extend(self.notes)
        if self.question:
            lines.append(self.question)
        return "\n".join(line for line in lines if line).strip()

    def merged(self, other: ReplyDraft) -> ReplyDraft:
        """Two answers in one reply (a message that asked two things), in the order they were asked. Only the
        last list stays numbered and only the last question remains: only they can be answered."""
        if other.items:
            earlier = self.model_copy(update={"question": "", "choices": [], "numbered": False}).plain_text()
            return other.model_copy(update={
                "headline": "\n".join(x for x in (earlier, other.headline) if x),
                "notes": list(other.notes)})
        return ReplyDraft(headline=self.headline, items=self.items, numbered=self.numbered,
                          question=other.question or self.question, choices=other.choices or self.choices,
                          notes=[*self.notes, *([other.headline] if other.headline else []), *other.notes],
                          kind=other.kind)

    def plain_text_without_question(self) -> str:
        return self.model_copy(update={"question": "", "choices": []}).plain_text()


def draft_of(additional_kwargs: dict[str, Any]) -> ReplyDraft | None:
    """The draft a planner attached to its message, if any."""
    raw = additional_kwargs.get(DRAFT_KEY)
    return ReplyDraft.model_validate(raw) if isinstance(raw, dict) else None


# What a person must never read in a reply: the machinery's words. Tool names come from the registry
# (loaded on first use: importing every tool module is too heavy for `import agent.reply_draft`).
_UUID = r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
_INTERNALS = re.compile("|".join([
    _UUID,
    r"\bTraceback\b", r'\bFile "[^"\n]+", line \d+',
    r"\b[A-Za-z]*Exception\b", r"\b[A-Z]\w*Error\b", r"\bError:", r"\bValue error\b", r"\bInvalid arguments\b",
    # Python's None as a value ("price: None", "(None)", a line ending in None), not the English "None of those"
    r"(?<=[:=(\[,])\s*None\b", r"\bNone(?=\s*(?:$|[,;)\]}]))",
    r"\bnull\b", r"\{'", r'"ok"\s*:\s*false', r'\{\s*"[^"\n]*"\s*:', r"\[\s*\{",
]), re.MULTILINE)


@lru_cache(maxsize=1)
def _tool_names() -> re.Pattern[str]:
    from tools.registry import REGISTRY, load_all_tools

    load_all_tools()
    names = sorted(REGISTRY, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")


def internals_in(text: str) -> list[str]:
    """What a reply shows that users must never see: registry tool names, UUIDs, Python exception and stack
    words, None/null values, raw JSON or dict literals. An empty list means the reply is clean.

    >>> internals_in("GAA26800LC1 at $4,650 — None of those fit?")
    []
    """
    found = [m.group(0).strip() for m in _tool_names().finditer(text)]
    found.extend(m.group(0).strip() for m in _INTERNALS.finditer(text))
    return list(dict.fromkeys(found))
