"""The evidence behind a compatibility verdict, and how it adds up to one.

Hard facts win: a trade mismatch or a wrong voltage on the installed unit makes a part incompatible
whatever else is recorded. A catalog compatibility row (directly, or through a newer/older number)
makes it compatible. Model-level specifications are type defaults, so they only lower confidence when
they contradict a catalog row.
"""

from __future__ import annotations

import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.partnumbers import normalize_part_number
from tools.catalog.parts import CatalogPart, load_part
from tools.catalog.specs import SpecCheck
from tools.catalog.supersession import ChainHop

Source = Literal["catalog", "supersession", "specifications", "ai", "none"]
FORWARD_OK = ("drop_in", "one_way", "kit")


@dataclass
class Evidence:
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    positive: list[tuple[float, Source]] = field(default_factory=list)
    negative: list[tuple[float, Source, bool]] = field(default_factory=list)  # (confidence, source, hard)
    manufacturer_fit: bool | None = None

    def spec(self, check: SpecCheck, where: str, *, unit_level: bool) -> None:
        self.lines.append(check.describe(where))
        if check.matches:
            return
        if check.critical:
            self.negative.append((0.9 if unit_level else 0.75, "specifications", unit_level))
            self.warnings.append(f"{check.key} differs: part {check.part_value}, equipment {check.equipment_value}.")
        else:
            self.warnings.append(f"Check {check.key}: part {check.part_value}, equipment {check.equipment_value}.")

    def decide(self, part_number: str, equipment: str) -> tuple[str, float, Source, str]:
        hard = [n for n in self.negative if n[2]]
        if hard:
            conf, source, _ = max(hard)
            reason = self.warnings[0] if self.warnings else "hard mismatch"
            return "incompatible", conf, source, f"{part_number} does not fit {equipment}: {reason}"
        if self.positive:
            conf, source = max(self.positive)
            if self.negative:
                conf = min(conf, 0.6)
                self.warnings.append("A catalog record says it fits, but the model's typical specifications "
                                     "differ: confirm the unit's nameplate ratings.")
            return "compatible", conf, source, f"{part_number} fits {equipment} ({source} evidence)."
        if self.negative:
            conf, source, _ = max(self.negative)
            reason = f": {self.warnings[0]}" if self.warnings else "."
            return "incompatible", conf, source, f"{part_number} is not expected to fit {equipment}{reason}"
        conf = 0.5 if self.manufacturer_fit else 0.3
        fit = ("the part's manufacturer fit is the only signal" if self.manufacturer_fit
               else "no manufacturer-level fit either")
        return "unknown", conf, "none", (f"No compatibility record links {part_number} to {equipment}; {fit}. "
                                         "Confirm with the OEM or the unit's parts manual before ordering.")


def catalog_evidence(session: Session, part: CatalogPart, model_id: uuid.UUID | None, maker: str, model: str,
                     trade: str | None, aliases: list[str], ev: Evidence) -> None:
    """Trade, direct compatibility rows, the catalog's compatible-equipment list and manufacturer fit."""
    if trade and part.trade not in (trade, "general"):
        ev.negative.append((0.95, "catalog", True))
        ev.lines.append(f"trade: {part.part_number} is a {part.trade} part; {maker} {model} is {trade} equipment")
        ev.warnings.append(f"Wrong trade: a {part.trade} part for {trade} equipment.")
    if model_id is not None:
        row = session.execute(text("SELECT fit, source, notes FROM part_compatibility WHERE part_id = :p "
                                   "AND equipment_model_id = :m"), {"p": part.id, "m": model_id}).one_or_none()
        if row is not None:
            direct = row.fit == "direct"
            ev.positive.append((0.95 if direct else 0.8, "catalog"))
            ev.lines.append(f"part_compatibility row: {part.part_number} fits {maker} {model} "
                            f"(fit={row.fit}, source={row.source})" + (f" — {row.notes}" if row.notes else ""))
            if not direct:
                ev.warnings.append(f"Catalog fit is '{row.fit}', not direct" + (f": {row.notes}" if row.notes else "."))
    names = {normalize_part_number(n) for n in [model, f"{maker}{model}", *aliases]}
    listed = [e for e in part.compatible_equipment if normalize_part_number(str(e)) in names]
    if listed:
        ev.positive.append((0.85, "catalog"))
        ev.lines.append(f"catalog entry of {part.part_number} lists {listed[0]!r} as compatible equipment")
    makers = {m.lower() for m in part.compatible_manufacturers} | {part.manufacturer.lower()}
    ev.manufacturer_fit = maker.lower() in makers
    if ev.manufacturer_fit:
        ev.lines.append(f"manufacturer-level fit: {part.part_number} is made for {maker} equipment")
    elif part.compatible_manufacturers:
        ev.lines.append(f"manufacturer-level: {part.part_number} is listed for "
                        f"{', '.join(part.compatible_manufacturers[:6])}, not {maker}")
        ev.warnings.append(f"The catalog lists {part.part_number} for other manufacturers' equipment than {maker}.")


def supersession_evidence(session: Session, part: CatalogPart, older: list[ChainHop], newer: list[ChainHop],
                          model_id: uuid.UUID | None, equipment: str, ev: Evidence
                          ) -> tuple[CatalogPart | None, str | None]:
    """Fit inherited along the chain. Returns the current replacement and why it is an alternative."""
    ids = {h.from_part_id for h in older + newer} | {h.to_part_id for h in older + newer}
    fits: set[uuid.UUID] = set()
    if model_id is not None and ids:
        fits = set(session.execute(text("SELECT part_id FROM part_compatibility WHERE equipment_model_id = :m "
                                        "AND part_id = ANY(:ids)"), {"m": model_id, "ids": list(ids)}).scalars())
    # Older numbers this part replaced: the new part fits wherever an older one did (forward direction).
    by_new: dict[uuid.UUID, list[ChainHop]] = {}
    for hop in older:
        by_new.setdefault(hop.to_part_id, []).append(hop)
    # With the part's own catalog record the inherited fit adds evidence but no caveats.
    caveats = not any(source == "catalog" for _, source in ev.positive)
    queue: deque[tuple[uuid.UUID, tuple[str, ...]]] = deque([(part.id, ())])
    visited = {part.id}
    while queue:
        node, kinds = queue.popleft()
        for hop in by_new.get(node, []):
            if hop.from_part_id in visited:
                continue
            visited.add(hop.from_part_id)
            path = (hop.interchangeability, *kinds)
            queue.append((hop.from_part_id, path))
            if hop.from_part_id not in fits:
                continue
            line = (f"supersession: {part.part_number} replaces {hop.from_part_number} ({' → '.join(path)}), "
                    f"which has a compatibility row for {equipment}")
            ev.lines.append(line)
            if all(k in FORWARD_OK for k in path):
                ev.positive.append((0.85, "supersession"))
                if "kit" in path and caveats:
                    ev.warnings.append(f"{part.part_number} replaces {hop.from_part_number} as a kit.")
            else:
                ev.positive.append((0.65, "supersession"))
                if caveats:
                    ev.warnings.append(f"Replacing {hop.from_part_number} with {part.part_number} requires "
                                       f"modification" + (f": {hop.notes}" if hop.notes else "."))
    # Newer numbers: the old part only stands in for them across drop-in (two-way) hops.
    kinds_so_far: list[str] = []
    for hop in newer:
        kinds_so_far.append(hop.interchangeability)
        if hop.to_part_id not in fits:
            continue
        if all(k == "drop_in" for k in kinds_so_far):
            ev.positive.append((0.8, "supersession"))
            ev.lines.append(f"supersession: {hop.to_part_number} fits {equipment} and is a drop-in "
                            f"successor of {part.part_number} (interchangeable both ways)")
        else:
            ev.negative.append((0.6, "supersession", False))
            ev.lines.append(f"supersession: {hop.to_part_number} fits {equipment} but replaced "
                            f"{part.part_number} {'/'.join(kinds_so_far)} — the old part cannot be assumed to fit")
            ev.warnings.append(f"Use {hop.to_part_number} instead: the change from {part.part_number} is not "
                               "reversible.")
    if not newer:
        return None, None
    current = load_part(session, newer[-1].to_part_id)
    kinds = tuple(h.interchangeability for h in newer)
    if current is None:
        return None, None
    if current.id in fits:
        return current, f"current replacement of {part.part_number}, with its own compatibility row for {equipment}"
    if all(k in FORWARD_OK for k in kinds):
        return current, f"current replacement of {part.part_number} ({' → '.join(kinds)}): fits wherever it did"
    return current, f"current replacement of {part.part_number}, but the change {'/'.join(kinds)} needs checking"
