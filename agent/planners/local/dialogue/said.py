"""What one ask said: its words and the entities found in them, as the policies read them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# "2 more… no wait, 3 more", "send 4, make that 5": what follows the correction replaces what came before
_CORRECTION = re.compile(r"\b(?:no wait|wait no|wait|i mean|i meant|make (?:that|it)|scratch that|correction|sorry|"
                         r"actually|no,)\W", re.IGNORECASE)


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
            cuts = [m.end() for m in _CORRECTION.finditer(self.text)]
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
        return Said(self.text[offset:], [{**e, "start": int(e["start"]) - offset} for e in self.entities
                                         if int(e.get("start", -1)) >= offset])

    @property
    def lowered(self) -> str:
        return self.text.lower()
