"""What several policies share: explaining a failed tool plainly, turning search hits into candidates, and
asking one clarifying question when the candidates differ."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.context import Item, part_of
from agent.planners.local.frame import Env, Frame, equipment_of, reply
from agent.planners.local.history import ToolResult
from agent.planners.local.render import Reply, part_line

WINNER_RATIO = 1.5
_FILLER = re.compile(r"\b(hi|hey|hello|please|pls|thanks|can you|could you|i need|we need|need|looking for|"
                     r"find me|find|get me|i want|is there|do you have|where can i get|where do i get|"
                     r"the elevator is down|it'?s down|asap|urgent(ly)?|right now|today)\b[,.!]?", re.I)


def failure(result: ToolResult, doing: str = "", declined: str = "OK — nothing was done.") -> Reply:
    """A ToolFailure in plain words: what went wrong and what to do about it (`declined`: what to say when
    the user said no to the confirmation)."""
    error, message = result.error, str(result.data.get("message") or "").strip()
    hint = str(result.data.get("hint") or "").strip()
    if error == "declined":
        return reply(declined)
    if error == "forbidden":
        return reply(f"You can't do that: {message}")
    if error == "not_found":
        return reply(f"{message} {hint}".strip())
    if error == "insufficient_stock":
        return reply(f"Not enough stock: {message} {hint}".strip())
    if error == "conflict":
        return reply(f"That can't be done now: {message}")
    if error == "unavailable":
        return reply(f"{message} {hint}".strip())
    prefix = f"I couldn't {doing}: " if doing else ""
    return reply(f"{prefix}{message} {hint}".strip())


def search_query(text: str) -> str:
    """The user's words minus conversational filler, for the catalog search."""
    cleaned = _FILLER.sub(" ", text)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" ,.?!")
    return cleaned or text.strip()


def search_args(frame: Frame, env: Env) -> dict[str, Any]:
    """Free text for the catalog; a named equipment model becomes the compatible_with filter and leaves the
    query (the search ranks the part's own words better without it)."""
    query = search_query(frame.text)
    args: dict[str, Any] = {"limit": 10}
    equipment = equipment_of(frame, None)
    if equipment is not None:
        args["compatible_with"] = equipment["model"]
        for words in sorted({equipment["model"], *equipment.get("aliases", [])}, key=len, reverse=True):
            query = re.sub(rf"(?i)\b{re.escape(words)}\b", " ", query)
        query = re.sub(rf"(?i)\b{re.escape(equipment['manufacturer'])}\b", " ", query)
        query = re.sub(r"(?i)\b(for|on|in|fits?|to fit)( (a|an|the|our|my))?\s*$", " ", query.strip())
        query = re.sub(r"(?i)\b(for|on) (a|an|the|our|my)\b\s*(?=[,.?!]|$)", " ", query)
    if frame.slots.site:  # "I'm at the Brown Palace, need …": the site is where, not what
        query = re.sub(rf"(?i)\b(?:(?:i'?m|i am|we'?re|we are|currently|working)\s+)?(?:on ?site\s+)?(?:at|in|for)\s+"
                       rf"(?:the\s+)?{re.escape(frame.slots.site)}\b", " ", query).strip(" ,.;?!")
        query = re.sub(r"(?i)^\s*(and|but|so)\b", " ", query)
    query = re.sub(r"(?i)^\s*(a|an|the|some|new)\b", " ", query)
    query = re.sub(r"\s+", " ", query).strip(" ,.?!") or search_query(frame.text)
    args["query"] = query[:500]
    return args


def candidates(result: ToolResult) -> list[Item]:
    """Search hits collapsed onto the part to order today (superseded revisions fold into their successor)."""
    hits: list[dict[str, Any]] = result.data.get("results", [])
    by_number = {h["part_number"]: h for h in hits}
    out: list[Item] = []
    seen: set[str] = set()
    for hit in hits:
        current = by_number.get(hit.get("superseded_by") or "", hit) if hit.get("superseded_by") else hit
        number = hit.get("superseded_by") or hit["part_number"]
        if number in seen:
            continue
        seen.add(number)
        part = part_of(current) if current is not hit else part_of(hit)
        if current is hit and hit.get("superseded_by"):
            part = {**part, "note": f"superseded by {hit['superseded_by']}"}
        part["score"] = float(hit.get("score") or 0)
        out.append(part)
    return out


def winner(parts: list[Item]) -> Item | None:
    if len(parts) == 1:
        return parts[0]
    if len(parts) >= 2 and parts[0].get("score", 0) >= WINNER_RATIO * max(parts[1].get("score", 0), 1e-9):
        return parts[0]
    return None


def shown_parts(parts: list[Item]) -> list[Item]:
    keep = ("part_number", "manufacturer", "name", "msrp", "part_id", "category")
    return [{k: p[k] for k in keep if k in p} for p in parts]


def ask_which(parts: list[Item], goal: str | None, head: str, extra: Item | None = None) -> Reply:
    """One question listing 2-3 options."""
    top = parts[:3]
    awaiting: Item = {"kind": "choice", "goal": goal, **(extra or {})}
    return reply(head, "Which one? [choices].", [part_line(p) for p in top],
                 shown={"kind": "parts", "items": shown_parts(top)}, awaiting=awaiting)


def part_args(part: Item) -> dict[str, Any]:
    args: dict[str, Any] = {"part_number": part["part_number"]}
    if part.get("manufacturer"):
        args["manufacturer"] = part["manufacturer"]
    return args


def offer_to_source(part: Item) -> Item:
    return {"kind": "yesno", "proposal": {"intent": "source", "ref": {"kind": "parts", "item": part}}}

