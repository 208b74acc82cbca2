"""Comparing a part's specifications with the equipment it is meant for (voltage, phase, refrigerant …).

Only keys both sides state are compared. Electrical supply and refrigerant are hard constraints (a
wrong value damages equipment); anything else that differs is a warning for the technician to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

CRITICAL_KEYS = frozenset({"voltage", "phase", "refrigerant", "frequency", "frequency_hz", "hz", "fuel"})
_VOLT = re.compile(r"(\d+(?:\.\d+)?)(?:\s*-\s*(\d+(?:\.\d+)?))?\s*(?:Y|V|VAC|VDC)?", re.IGNORECASE)
_PHASE = re.compile(r"([13])\s*(?:ph|phase|φ)", re.IGNORECASE)


@dataclass(frozen=True)
class SpecCheck:
    key: str
    part_value: Any
    equipment_value: Any
    matches: bool
    critical: bool

    def describe(self, where: str) -> str:
        verdict = "matches" if self.matches else "does NOT match"
        return (f"spec '{self.key}': part {self.part_value!r} {verdict} {where} {self.equipment_value!r}")


def _volt_ranges(value: str) -> list[tuple[float, float]]:
    cleaned = _PHASE.sub(" ", value)
    ranges: list[tuple[float, float]] = []
    for match in _VOLT.finditer(cleaned):
        low = float(match.group(1))
        high = float(match.group(2)) if match.group(2) else low
        if low >= 5:  # skip stray small numbers
            ranges.append((low, high))
    return ranges


def _is_dc(value: str) -> bool:
    return "DC" in value.upper()


def _phase(value: Any) -> int | None:
    found = _PHASE.search(str(value))
    if found:
        return int(found.group(1))
    if isinstance(value, int | float) and value in (1, 3):
        return int(value)
    return None


def _voltage_matches(part: str, equipment: str) -> bool:
    if _is_dc(part) != _is_dc(equipment):
        return False
    part_phase, equipment_phase = _phase(part), _phase(equipment)
    if part_phase and equipment_phase and part_phase != equipment_phase:
        return False
    part_v, equipment_v = _volt_ranges(part), _volt_ranges(equipment)
    if not part_v or not equipment_v:
        return _norm(part) == _norm(equipment)
    # A part rated 208-230 V runs on a 230 V unit; allow the usual ±10 % nameplate tolerance.
    return any(pl * 0.9 <= eh and el <= ph * 1.1 for pl, ph in part_v for el, eh in equipment_v)


def _norm(value: Any) -> str:
    return re.sub(r"[^a-z0-9.]", "", str(value).lower())


def _values_match(key: str, part: Any, equipment: Any) -> bool:
    if key == "voltage":
        return _voltage_matches(str(part), str(equipment))
    if key == "phase":
        return _phase(part) == _phase(equipment) or _norm(part) == _norm(equipment)
    if isinstance(part, list) or isinstance(equipment, list):
        left = {_norm(v) for v in (part if isinstance(part, list) else [part])}
        right = {_norm(v) for v in (equipment if isinstance(equipment, list) else [equipment])}
        return bool(left & right)
    if isinstance(part, int | float) and isinstance(equipment, int | float):
        return abs(part - equipment) <= 0.05 * max(abs(part), abs(equipment), 1e-9)
    return _norm(part) == _norm(equipment)


def compare_specs(part_specs: dict[str, Any], equipment_specs: dict[str, Any]) -> list[SpecCheck]:
    """One check per key both sides state (the part's phase is also read out of its voltage string)."""
    part = dict(part_specs)
    equipment = dict(equipment_specs)
    if "voltage" in part and "voltage" in equipment:
        # "460V 3ph" carries the phase; compare it once, inside the voltage check.
        part.pop("phase", None)
        equipment.pop("phase", None)
    checks = []
    for key in sorted(set(part) & set(equipment)):
        if part[key] is None or equipment[key] is None:
            continue
        checks.append(SpecCheck(key, part[key], equipment[key], _values_match(key, part[key], equipment[key]),
                                key in CRITICAL_KEYS))
    return checks
