"""What one ask said: its words and the entities found in them, as the policies read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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

    @property
    def lowered(self) -> str:
        return self.text.lower()
