"""Specifications a technician types ("410a", "440v", "3 ton", "1/2 hp", "45/5 mfd", "2 pole", "40a"), read the
same way out of a query and out of a part's `specifications` (and its name), and compared.

Each dimension keeps a tuple of values; a part's are read from the keys listed in `PART_KEYS`, and its name
fills in what the keys leave out (a dual capacitor's 5 µF, a receptacle's 125 V). Only dimensions both sides
state are compared: a part saying nothing about voltage neither matches nor contradicts "440v".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

Specs = dict[str, tuple[Any, ...]]
DIMENSIONS = ("refrigerant", "mfd", "hp", "tons", "va", "coil", "volts", "phase", "poles", "amps", "speeds", "inches",
              "fused")

# Which `specifications` keys state which dimension. Voltage lives under many names (supply, primary…); a
# query's voltage matches a part when it matches any of them. A coil's voltage is its own dimension.
PART_KEYS: dict[str, tuple[str, ...]] = {
    "refrigerant": ("refrigerant",),
    "mfd": ("mfd", "uf", "microfarads"),
    "hp": ("hp",),
    "tons": ("tons", "tonnage"),
    "va": ("va", "kva"),
    "coil": ("coil",),
    "volts": ("voltage", "vac", "volts", "supply", "input", "output", "pri", "sec", "load", "ctrl"),
    "phase": ("voltage", "phase", "supply", "input"),
    "poles": ("poles",),
    "amps": ("amps", "amperage", "fla"),
    "speeds": ("speeds",),
    "inches": ("size", "size_in"),
    "fused": ("fused",),
}
# Nameplate voltages that name one supply system: a "440 V" motor runs on a 460 V or 480 V bus.
VOLTAGE_SYSTEMS = ((110, 115, 120, 125), (208, 220, 230, 240), (440, 460, 480), (575, 600))
# Sizes: the nearest size of the right kind may still do (a TXV covers a range); the others must fit.
SIZE_DIMENSIONS = frozenset({"tons", "hp", "amps", "va"})
VOLT_TOLERANCE = 0.05
NUMBER_TOLERANCE = 0.02

_NUM = r"(?<![a-z0-9.])(\d+(?:\.\d+)?|\.\d+)"
_FRACTION = r"(?<![a-z0-9.])(\d+\s*-\s*\d+/\d+|\d+\s+\d+/\d+|\d+/\d+|\d+(?:\.\d+)?|\.\d+)"
_END = r"(?![a-z0-9])"
# Refrigerants with a letter suffix are unambiguous bare ("410a"); numeric ones need the R ("r22").
_REFRIGERANT = re.compile(
    r"(?<![a-z0-9])(?:r\s?-?\s?(\d{2,4}[a-z]{0,2})|(410a|404a|134a|407c|454b|448a|449a|507a|422b|438a|513a|"
    r"1234yf|1234ze))" + _END)
_MFD = re.compile(_NUM + r"(?:\s*(?:\+|/|&|and)\s*(\d+(?:\.\d+)?))?\s*-?\s*(?:uf|µf|μf|mfd|mf|microfarads?)" + _END)
_BARE_DUAL = re.compile(r"(?<![a-z0-9./])(\d{1,3}(?:\.\d)?)\s*[/+]\s*(\d{1,2}(?:\.\d)?)(?![0-9./])")
_HP = re.compile(_FRACTION + r"\s*-?\s*(?:hp|horsepower)" + _END)
_TONS = re.compile(_FRACTION + r"\s*-?\s*tons?" + _END)
_BTU = re.compile(_NUM + r"\s*(k)?\s*(?:btu|btuh)" + _END)
_VA = re.compile(_NUM + r"\s*(k)?va" + _END)
_VOLTS = re.compile(_NUM + r"(?:\s*[-/]\s*(\d+(?:\.\d+)?))?\s*-?\s*(?:v|vac|vdc|volts?|vlt)" + _END)
_COIL = re.compile(_VOLTS.pattern + r"\s*(?:ac\s*|dc\s*|ac/dc\s*)?coils?" + _END)
_PHASE = re.compile(r"(?<![a-z0-9.])([13])\s*-?\s*(?:ph|phase|phs|φ)" + _END)
_PHASE_WORDS = re.compile(r"(?<![a-z0-9])(single|three)[\s-]+phase" + _END)
_POLES = re.compile(r"(?<![a-z0-9.])([1-4])\s*-?\s*(?:p|pole|poles|pl)" + _END)
_POLE_WORDS = re.compile(r"(?<![a-z0-9])(single|double|two|triple|three|four)[\s-]+poles?" + _END)
_AMPS = re.compile(_NUM + r"(?:a|\s*-?\s*(?:amps?|amperes?|fla))" + _END)
_SPEEDS = re.compile(r"(?<![a-z0-9.])([1-9])\s*-?\s*(?:speeds?|spd)" + _END)
# A size in inches: with an inch mark or word, or "in" before what is sized by it ("3/4 in sweat", "3/4 npt");
# a bare "in" elsewhere is the preposition ("2 in the van").
_PIPE_WORDS = r"(?:sweat|npt|fpt|mpt|odf|ods|flare|pipe|stroke)"
_BEFORE_PIPE_WORD = r"(?=\s+" + _PIPE_WORDS + _END + ")"
_INCHES = re.compile(_FRACTION + r"\s*(?:-?\s*inch(?:es)?" + _END + r"|\"|in" + _BEFORE_PIPE_WORD + r"|in(?=\s*$)|"
                     + _BEFORE_PIPE_WORD + ")")
_FUSED = re.compile(r"(?<![a-z0-9])(non[\s-]?)?(?:fusible|fused)" + _END)
_CAPACITOR_WORDS = re.compile(r"(?<![a-z0-9])(?:cap|caps|capacitor|capacitors|mfd|uf)" + _END)
_POLE_COUNT = {"single": 1, "double": 2, "two": 2, "triple": 3, "three": 3, "four": 4}
_SPEC_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(?:\s*-\s*(\d+(?:\.\d+)?))?\s*([a-z]*)")


def _number(text: str) -> float:
    """A decimal, a fraction ("1/2") or a mixed number ("1-1/2", "2 1/2") as a float."""
    mixed = re.fullmatch(r"(\d+)\s*[-\s]\s*(\d+/\d+)", text.strip())
    if mixed:
        return float(int(mixed.group(1)) + Fraction(mixed.group(2)))
    return float(Fraction(text.strip())) if "/" in text else float(text)


def _take(pattern: re.Pattern[str], text: str, read: Callable[[re.Match[str]], Iterable[Any]]) -> tuple[
        str, tuple[Any, ...]]:
    """Values read from every match, and the text with the matches blanked so no later dimension rereads them."""
    values: list[Any] = []
    for match in pattern.finditer(text):
        values.extend(read(match))
    return pattern.sub(" ", text), tuple(dict.fromkeys(values))


def canonical_refrigerant(value: str) -> str:
    """'R-410A', 'r410a', '410a' → '410A'."""
    return re.sub(r"^r\s?-?\s?", "", value.strip().lower()).upper()


def extract_specs(text: str) -> Specs:
    """The specifications stated in free text, by dimension; dimensions not stated are absent."""
    # One space between words keeps the patterns' optional spaces from backtracking over long runs.
    rest = " " + " ".join(unicodedata.normalize("NFKC", text).lower().split()) + " "
    found: Specs = {}
    rest, found["refrigerant"] = _take(_REFRIGERANT, rest, lambda m: [canonical_refrigerant(m.group(0))])
    rest, found["mfd"] = _take(_MFD, rest, lambda m: [(_number(m.group(1)), _opt(m.group(2)))])
    rest, found["hp"] = _take(_HP, rest, lambda m: [_number(m.group(1))])
    if not found["mfd"] and _CAPACITOR_WORDS.search(rest):
        # "dual cap 45/5": a capacitor's two ratings need no unit.
        rest, found["mfd"] = _take(_BARE_DUAL, rest, lambda m: [(float(m.group(1)), float(m.group(2)))])
    rest, found["tons"] = _take(_TONS, rest, lambda m: [_number(m.group(1))])
    rest, btu = _take(_BTU, rest, lambda m: [float(m.group(1)) * (1000 if m.group(2) else 1) / 12000])
    found["tons"] += tuple(t for t in btu if t >= 0.5)
    rest, found["va"] = _take(_VA, rest, lambda m: [float(m.group(1)) * (1000 if m.group(2) else 1)])
    rest, found["coil"] = _take(_COIL, rest, lambda m: [
        (float(v), float(v)) for v in (m.group(1), m.group(2)) if v is not None])
    rest, found["volts"] = _take(_VOLTS, rest, lambda m: [
        (float(v), float(v)) for v in (m.group(1), m.group(2)) if v is not None])
    rest, phase = _take(_PHASE_WORDS, rest, lambda m: [1 if m.group(1) == "single" else 3])
    rest, found["phase"] = _take(_PHASE, rest, lambda m: [int(m.group(1))])
    found["phase"] += phase
    rest, poles = _take(_POLE_WORDS, rest, lambda m: [_POLE_COUNT[m.group(1)]])
    rest, found["poles"] = _take(_POLES, rest, lambda m: [int(m.group(1))])
    found["poles"] += poles
    rest, found["speeds"] = _take(_SPEEDS, rest, lambda m: [int(m.group(1))])
    rest, found["inches"] = _take(_INCHES, rest, lambda m: [_number(m.group(1))])
    rest, found["fused"] = _take(_FUSED, rest, lambda m: [m.group(1) is None])
    rest, found["amps"] = _take(_AMPS, rest, lambda m: [float(m.group(1))])
    return {dim: values for dim, values in found.items() if values}


def _opt(value: str | None) -> float | None:
    return float(value) if value is not None else None


def part_specs(specifications: Mapping[str, Any] | None, name: str = "",
               dims: Iterable[str] = DIMENSIONS) -> Specs:
    """A catalog part's specifications by dimension (only `dims`, as search reads ~100 parts per query); its
    name fills in dimensions the keys leave out."""
    asked = tuple(dims)
    # A bare voltage is also compared with a coil's (see `compare_specs`).
    wanted = (*asked, "coil") if "volts" in asked and "coil" not in asked else asked
    specs: Specs = {}
    lowered = {str(k).lower(): v for k, v in (specifications or {}).items() if v is not None and v != ""}
    for dim in wanted:
        values: list[Any] = []
        for key in PART_KEYS.get(dim, ()):
            if key in lowered:
                scale = 1000 if key == "kva" else 1
                values.extend(v * scale if scale > 1 else v for v in _spec_values(dim, lowered[key]))
        if values:
            specs[dim] = tuple(dict.fromkeys(values))
    if "mfd" not in asked and all(dim in specs for dim in asked):
        return specs
    from_name = _name_specs(name)
    if "mfd" in specs and "mfd" in from_name:
        # The keys give a dual capacitor's main rating only; its name ("45/5 MFD") also gives the second.
        specs["mfd"] = from_name["mfd"]
    for dim in wanted:
        if dim in from_name:
            specs.setdefault(dim, from_name[dim])
    return specs


@lru_cache(maxsize=65536)
def _name_specs(name: str) -> Specs:
    """Specs in a part name; cached, as the same parts come back query after query (never mutate the result)."""
    return extract_specs(name)


def _spec_values(dim: str, value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return [v for item in value for v in _spec_values(dim, item)]
    if isinstance(value, bool):
        return [value] if dim == "fused" else []
    if dim == "refrigerant":
        return [canonical_refrigerant(str(value))]
    if isinstance(value, int | float):
        number = float(value)
        if dim == "phase":
            return [int(number)] if number in (1, 3) else []
        return [(number, number)] if dim in ("volts", "coil") else [(number, None)] if dim == "mfd" else [number]
    text = str(value).lower()
    if dim == "phase":
        return [int(m.group(1)) for m in _PHASE.finditer(text)]
    if dim in ("volts", "coil"):
        # Numbers followed by nothing or by V ("208-230V 1ph", "208/230/460", "24VDC 10A": not the 10 A).
        ranges = []
        for match in _SPEC_NUMBER.finditer(text):
            unit = match.group(3)
            if unit and not unit.startswith(("v", "y")):
                continue
            low = float(match.group(1))
            high = float(match.group(2)) if match.group(2) else low
            ranges.append((min(low, high), max(low, high)))
        return ranges
    # A size is inches only when it says so ("3/4 in"): a "size" key also holds NEMA sizes and frames.
    found = extract_specs(f"{text} {_UNIT_WORD[dim]}") if dim in _UNIT_WORD else extract_specs(text)
    return list(found.get(dim, ()))


_UNIT_WORD = {"hp": "hp", "tons": "ton", "mfd": "mfd", "amps": "amp", "poles": "pole"}


def _same_number(a: float, b: float, tolerance: float = NUMBER_TOLERANCE) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-9)


def _volt_fits(asked: float, low: float, high: float) -> bool:
    if low * (1 - VOLT_TOLERANCE) <= asked <= high * (1 + VOLT_TOLERANCE):
        return True
    return any(asked in system and (low in system or high in system) for system in VOLTAGE_SYSTEMS)


def _value_matches(dim: str, asked: Any, stated: tuple[Any, ...]) -> bool:
    if dim in ("refrigerant", "speeds", "fused"):
        return asked in stated
    if dim in ("volts", "coil"):
        return any(_volt_fits(asked[0], low, high) for low, high in stated)
    if dim == "mfd":
        main, aux = asked
        # "45 uf" fits a 45/5 dual capacitor; "45/5" does not fit a single 45 µF one.
        return any(_same_number(main, s_main) and (aux is None or (s_aux is not None and _same_number(aux, s_aux)))
                   for s_main, s_aux in stated)
    return any(_same_number(float(asked), float(s)) for s in stated)


@dataclass(frozen=True)
class SpecFit:
    matched: int = 0  # dimensions where every value asked fits one the part states
    hard_conflicts: int = 0  # refrigerant, voltage, coil, phase, capacitance, poles: none fits
    size_conflicts: int = 0  # tons, hp, amps, VA: none fits


def compare_specs(asked: Specs, stated: Specs) -> SpecFit:
    """How a part's specs fit a query's, dimension by dimension ("208/230v" against a 230 V part matches;
    against a 115 V part contradicts; against a part stating no voltage, neither)."""
    matched = hard = size = 0
    for dim, values in asked.items():
        if dim == "volts" and dim not in stated and "coil" in stated:
            # A bare "24v" on a contactor may mean its coil: a fit counts, a miss may mean the line voltage.
            matched += all(_value_matches("coil", value, stated["coil"]) for value in values)
            continue
        if dim not in stated:
            continue
        fits = [_value_matches(dim, value, stated[dim]) for value in values]
        if all(fits):
            matched += 1
        elif not any(fits):
            size += dim in SIZE_DIMENSIONS
            hard += dim not in SIZE_DIMENSIONS
    return SpecFit(matched, hard, size)
