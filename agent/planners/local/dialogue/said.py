"""What one ask said: its words and the entities found in them, as the policies read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent.planners.local.nlu.cues import CORRECTION


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

    def extra(self, entity: str, key: str) -> str | None:
        for e in self.all(entity):
            for k, v in e.get("extra") or []:
                if k == key:
                    return str(v)
        return None

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
