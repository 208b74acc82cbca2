"""Manufacturer names and equipment models known to the catalog, for spotting them inside a query."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import Engine, text

from knowledge.partnumbers import normalize_part_number
from knowledge.store_cache import PerStoreCache

# Names technicians use for manufacturers that the catalog spells differently.
MANUFACTURER_ALIASES = {
    "square d": "Square D", "schneider": "Square D", "ab": "Allen-Bradley", "allen bradley": "Allen-Bradley",
    "tk": "ThyssenKrupp", "thyssen": "ThyssenKrupp", "tke": "ThyssenKrupp", "jci": "York",
    "white rodgers": "White-Rodgers",
    "mce": "Motion Control Engineering", "ge": "GE", "bd": "BD Alaris", "alaris": "BD Alaris", "hillrom": "Hill-Rom",
    "hill rom": "Hill-Rom", "welch allyn": "Welch Allyn", "draeger": "Drager", "dräger": "Drager",
}


@dataclass(frozen=True)
class EquipmentRef:
    id: uuid.UUID
    manufacturer: str
    model: str


@dataclass(frozen=True)
class Vocabulary:
    manufacturers: dict[str, str]  # lower-case spelling → catalog spelling
    equipment: dict[str, list[EquipmentRef]]  # normalised model or alias → models
    catalog_size: float = -1.0  # the planner's estimate of the catalog's rows (-1: never analyzed)

    def manufacturers_in(self, lowered_query: str) -> list[str]:
        found: dict[str, None] = {}
        for spelling, name in self.manufacturers.items():
            if re.search(rf"(?<![a-z0-9]){re.escape(spelling)}(?![a-z0-9])", lowered_query):
                found.setdefault(name, None)
        return list(found)

    def equipment_in(self, words: tuple[str, ...]) -> list[EquipmentRef]:
        """Equipment models named by 1–3 consecutive words ("gen2", "gen 2", "monospace 500")."""
        found: dict[uuid.UUID, EquipmentRef] = {}
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                key = normalize_part_number("".join(words[start : start + size]))
                if len(key) < 3 or key.isdigit():
                    continue
                for ref in self.equipment.get(key, []):
                    found.setdefault(ref.id, ref)
        return list(found.values())

    def resolve_model(self, model: str) -> list[EquipmentRef]:
        return self.equipment.get(normalize_part_number(model), [])


def _read_vocabulary(engine: Engine) -> Vocabulary:
    with engine.connect() as conn:
        # kept on write by triggers (migration 0019): a DISTINCT over parts_catalog scans the whole catalog
        names = [r[0] for r in conn.execute(text("SELECT name FROM catalog_manufacturers"))]
        models = conn.execute(text("SELECT id, manufacturer, model, aliases FROM equipment_models")).all()
        size = conn.execute(text("SELECT reltuples FROM pg_class WHERE oid = 'parts_catalog'::regclass")).scalar()
    manufacturers = {name.lower(): name for name in names}
    for alias, name in MANUFACTURER_ALIASES.items():
        if name in names:
            manufacturers.setdefault(alias, name)
    equipment: dict[str, list[EquipmentRef]] = {}
    for row in models:
        ref = EquipmentRef(row.id, row.manufacturer, row.model)
        for spelling in [row.model, *(row.aliases or [])]:
            equipment.setdefault(normalize_part_number(spelling), []).append(ref)
    return Vocabulary(manufacturers, equipment, float(size if size is not None else -1))


_VOCABULARY = PerStoreCache(_read_vocabulary)


def load_vocabulary(engine: Engine) -> Vocabulary:
    """The vocabulary for this database, cached for a few minutes."""
    return _VOCABULARY.get(engine)


def forget_vocabulary() -> None:
    """Drop cached vocabularies (after seeding)."""
    _VOCABULARY.clear()
