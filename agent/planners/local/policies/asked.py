"""What a fault report asks for, among the parts a search found: the part named as needed, suspected or broken
("what board is that", "pretty sure the PVT is shot", "which motor do i grab"), and the specs it gives."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.item_words import as_catalog_says
from agent.planners.local.policies.common import candidates, content_words, described_winner, search_args
from agent.planners.local.policy import Call, Ctx, ToolResult

_ASKED_FOR = re.compile(r"\b(?:what'?s|whats|what is|need|needs|get|order|swap|replace)\s+"
                        r"(?:the|a|an|my|new|another)\s+([^.?!,]+)", re.IGNORECASE)
# "what board is that", "what pack do i need", "which motor do i grab"
_WHICH_ONE = re.compile(r"\b(?:what|which)\s+([a-z]+(?:\s+[a-z]+)?)\s+(?:is (?:that|it|this)|do i need|am i|"
                        r"should i|do i (?:grab|get|pull|order|buy|use))\b", re.IGNORECASE)
_SUSPECTED = re.compile(r"\b(?:pretty sure|i think|think|probably|prob|guessing|bet|looks like|sounds like)\s+"
                        r"(?:it'?s\s+|its\s+)?(?:the|a|an|my|that)\s+([^.?!,]+)", re.IGNORECASE)
# "motor's cooked & seized", "the cap is shot": the part said to be broken is the one meant
_BROKEN = re.compile(r"\b([a-z]+(?: [a-z]+)?)(?:'s| is| are| looks| went)\s+(?:\w+ )?(?:cooked|seized|shot|toast|fried|"
                     r"dead|burnt|burned|blown|bad|junk|smoked|busted|locked up)\b", re.IGNORECASE)
_SPEC = re.compile(r"\b\d+(?:\.\d+)?(?:/\d+)?\s?(?:a|amp|amps|v|vac|vdc|hp|mfd|uf|ton|tons|kw|psi|rpm|p|pole|"
                   r"phase|ph)\b|\b\d\s?pole\b|\b(?:single|three|3|1) phase\b", re.IGNORECASE)


def named_among(parts: list[dict[str, Any]], text: str, maker: str = "") -> dict[str, Any] | None:
    """The candidate a fault report names by what it asks for or suspects ("what board is that", "pretty sure
    the PVT is shot"), of the maker said when it makes one of them; the symptom's own words are not a name."""
    asked = [m.group(1) for m in [*_ASKED_FOR.finditer(text), *_SUSPECTED.finditer(text), *_WHICH_ONE.finditer(text),
                                  *_BROKEN.finditer(text)]]
    pool = [p for p in parts if maker and str(p.get("manufacturer") or "").lower() == maker.lower()] or parts
    return next((w for a in asked if (w := described_winner(pool, " ".join(as_catalog_says(a.lower().split()))))),
                None)


def specs_said(text: str) -> str:
    """The ratings a message gives ("1/4hp 825rpm", "2 pole 40a 24v")."""
    return " ".join(_SPEC.findall(text))


def search_for_the_kind_asked(ctx: Ctx, searched: ToolResult) -> Call | None:
    """A story ending in its question ("… cap tested good. tag says 1/4hp 825rpm. which motor do i grab?") finds
    what the story talks about most: when none of the best hits is the kind asked for, that kind is searched with
    the specs the story gives."""
    asked = [m.group(1).lower() for m in _WHICH_ONE.finditer(ctx.ask.text)]
    if not asked or sum(r.name == "search_parts" for r in ctx.results) > 1:
        return None
    kind = set(as_catalog_says(content_words(asked[-1])))
    if not kind or any(kind & set(content_words(str(p.get("name") or ""))) for p in candidates(searched)[:3]):
        return None
    return Call("search_parts", {**search_args(ctx), "query": f"{asked[-1]} {specs_said(ctx.ask.text)}".strip()})
