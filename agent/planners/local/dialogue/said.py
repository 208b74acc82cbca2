"""What one ask said: its words and the entities found in them, as the policies read them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from agent.planners.local.nlu.cues import CORRECTION

_CLAUSE = re.compile(r"[^.;!?,]+")


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Where the text's clauses are: the stretches between commas and sentence marks."""
    return [m.span() for m in _CLAUSE.finditer(text)]


def clauses(text: str) -> list[str]:
    """The text's clauses: the stretches between commas and sentence marks."""
    return _CLAUSE.findall(text)


@dataclass
class Said:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)

    def all(self, entity: str) -> list[dict[str, Any]]:
        """The entities of this type the message asks for (not the ones it refuses: "no used junk")."""
        return [e for e in self.entities if e.get("entity") == entity and ["negated", "1"] not in
                [list(x) for x in e.get("extra") or []]]

    def value(self, entity: str) -> str | None:
        found = self.all(entity)
        if len(found) > 1:
            cuts = [m.end() for m in CORRECTION.finditer(self.text)]
            later = [e for e in found if cuts and int(e.get("start", -1)) >= cuts[-1]]
            if later and len(later) < len(found):
                return str(later[0]["value"])
        return str(found[0]["value"]) if found else None

    def values(self, entity: str) -> list[str]:
        return [str(e["value"]) for e in self.all(entity)]

    def has(self, *entities: str) -> bool:
        return any(self.all(e) for e in entities)

    def count_before(self, entity: str) -> int | None:
        """The count said right before the one mention of this entity ("… and a SEN77288 stat": 1, "2 x GAA…": 2),
        which is that thing's count when the message counts several things."""
        from agent.planners.local.nlu.numbers import WORD_NUMBERS

        mentions = [e for e in self.all(entity) if isinstance(e.get("start"), int)]
        if len(mentions) != 1:
            return None
        before = self.text[:mentions[0]["start"]].lower()
        count = re.search(r"(?<![\w/.])(\d{1,4}|an?|one|two|three|four|five|six)\s*(?:x|×|pcs?)?\s*$", before)
        if count is None:
            return None
        word = count.group(1)
        return int(word) if word.isdigit() else WORD_NUMBERS.get(word, 1)

    def in_a_hurry(self) -> bool:
        """Says it is needed soon ("asap", "car's down"), not that it can wait ("no rush")."""
        return self.value("urgency") not in (None, "standard")

    def extra(self, entity: str, key: str) -> str | None:
        for e in self.all(entity):
            for k, v in e.get("extra") or []:
                if k == key:
                    return str(v)
        return None

    def without_entity(self, entity: str) -> Said:
        """The same words, not read as this entity ("that lcecpu40 draft": no part number, a name)."""
        return Said(self.text, [e for e in self.entities if e.get("entity") != entity])

    def after(self, offset: int) -> Said:
        """What the message says from `offset` on (its last sentence, say)."""
        return self.within(offset, len(self.text))

    def within(self, start: int, end: int) -> Said:
        """What the message says in text[start:end] (one clause of it), offsets counted from `start`."""
        return Said(self.text[start:end], [{**e, "start": int(e["start"]) - start} for e in self.entities
                                           if start <= int(e.get("start", -1)) < end])

    def without(self, start: int, end: int) -> Said:
        """What the message says outside text[start:end] (blanked, so offsets hold)."""
        return Said(self.text[:start] + " " * (end - start) + self.text[end:],
                    [e for e in self.entities if not start <= int(e.get("start", -1)) < end])

    @property
    def lowered(self) -> str:
        return self.text.lower()

    def describes(self) -> bool:
        """Does the message say what a thing is in words of its own ("the step chain one"), beyond a
        request's plain words ("bump me to 2300")?"""
        return any(w not in STOP and w not in _PLAIN for w in re.findall(r"[a-z][a-z0-9-]{2,}", self.lowered))


STOP = frozenset({"the", "one", "that", "this", "from", "option", "with", "want", "take", "please", "yes", "and",
                   "for", "publish", "list", "listing", "live", "offer", "hold", "grab", "accept", "reject", "counter",
                   "pull", "cancel", "make", "put", "it", "on", "of", "a", "an", "my", "our", "me", "go", "ones",
                   "draft", "about", "what", "how", "is", "are", "get", "got", "can", "you", "i", "we", "us", "show",
                   "tell", "more", "details", "info", "bid", "watch", "them", "those", "these"})

# Words of a request that say nothing about which thing: "bump me to 2300", "ok put me in for 3600 max".
_PLAIN = frozenset({"bump", "raise", "put", "max", "maximum", "bid", "ugh", "okay", "sure", "then", "now", "just",
                    "up", "lower", "drop", "cut", "send", "sell", "buy", "pay", "each", "bucks", "dollars",
                    "price", "offer", "counter", "accept", "reject", "yeah", "yep", "let", "lets", "try", "go",
                    "higher", "more", "less", "instead", "actually", "please", "pls", "plz", "thanks", "thx"})
