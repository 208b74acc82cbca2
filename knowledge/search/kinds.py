"""Kinds of part a technician names, mapped to the catalog's subcategories.

Words alone mislead ranking: "door motor otis" shares "otis" with every Otis board and "motor" with every
hoist motor. A phrase naming a kind of part says which subcategories are meant, and parts of those kinds rank
up. Techs call a complete door operator a "door motor", so that phrase names both kinds.
"""

from __future__ import annotations

import re

from knowledge.search.query import SYNONYMS

PART_KINDS: dict[str, tuple[str, ...]] = {
    "door motor": ("door_motor", "door_operator"),
    "door operator": ("door_operator", "door_motor"),
    "door machine": ("door_operator",),
    "door board": ("door_board",),
    "door controller": ("door_board",),
    "txv": ("txv",),
    "tev": ("txv",),
    "expansion valve": ("txv",),
    "metering device": ("txv",),
    "reversing valve": ("reversing_valve",),
    "solenoid valve": ("solenoid_valve",),
    "zone valve": ("zone_valve",),
    "gas valve": ("gas_valve",),
    "cap": ("capacitor",),
    "caps": ("capacitor",),
    "capacitor": ("capacitor",),
    "run cap": ("capacitor",),
    "dual cap": ("capacitor",),
    "contactor": ("definite_purpose", "iec", "lighting", "starter"),
    "starter": ("starter",),
    "compressor": ("scroll", "semi_hermetic"),
    "comp": ("scroll", "semi_hermetic"),
    "scroll": ("scroll",),
    "condenser fan motor": ("fan_motor",),
    "condenser motor": ("fan_motor",),
    "fan motor": ("fan_motor",),
    "blower motor": ("blower_motor", "ecm_motor"),
    "ecm": ("ecm_motor",),
    "breaker": ("miniature", "molded_case", "din_mcb"),
    "fuse": ("fuse",),
    "disconnect": ("safety_switch", "rotary_disconnect"),
    "disco": ("safety_switch", "rotary_disconnect"),
    "transformer": ("control", "dry_type"),
    "xfmr": ("control", "dry_type"),
    "relay": ("general_purpose", "time_delay", "phase_monitor", "overload", "solid_state"),
    "hoist motor": ("hoist_motor",),
    "vfd": ("vvvf_drive",),
    "thermostat": ("thermostat",),
    "tstat": ("thermostat",),
    "crankcase heater": ("crankcase_heater",),
    "receptacle": ("receptacle",),
    "battery": ("battery",),
}
_PHRASES = re.compile(
    r"(?<![a-z0-9])(" + "|".join(re.escape(p) for p in sorted(PART_KINDS, key=len, reverse=True)) + r")s?(?![a-z0-9])")


# Nouns that make a kind phrase before them a modifier: a "door operator belt" is a belt, not an operator.
PART_OF_NOUNS = frozenset({
    "belt", "board", "card", "roller", "clutch", "gib", "cable", "switch", "sensor", "coil", "lining", "kit",
    "bracket", "gasket", "seal", "bulb", "module", "fuse", "blade", "wheel", "mount", "cover", "harness",
})
_NEXT_WORD = re.compile(r"\s+([a-z0-9]+)")


def kinds_in(lowered_query: str) -> frozenset[str]:
    """Subcategories named in the query; a longer phrase wins over the words inside it ("fan motor" is not
    also a bare "motor"), and a phrase followed by another part's noun only modifies it ("compressor
    contactor" names a contactor)."""
    matches = list(_PHRASES.finditer(lowered_query))
    kinds: set[str] = set()
    for i, match in enumerate(matches):
        following = _NEXT_WORD.match(lowered_query, match.end())
        next_is_kind = i + 1 < len(matches) and following is not None and following.start(1) == matches[i + 1].start()
        if next_is_kind or (following is not None and following.group(1).rstrip("s") in PART_OF_NOUNS):
            continue
        kinds.update(PART_KINDS[match.group(1)])
    return frozenset(kinds)


# Nouns that say what a part is, beyond the kinds above: "drop my curtain hold" is not the PVT hold just made.
PART_NOUNS = frozenset({
    "capacitor", "contactor", "breaker", "relay", "fuse", "transformer", "thermostat", "sensor", "switch", "valve",
    "motor", "board", "belt", "roller", "gib", "clutch", "encoder", "governor", "battery", "filter", "coil", "lining",
    "heater", "blade", "wheel", "cable", "rope", "interlock", "button", "lantern", "indicator", "keypad", "pads",
    "cuff", "probe", "compressor", "disconnect", "starter", "actuator", "module", "operator", "transducer", "curtain",
    "clip", "anchor", "grease", "oil", "lubricant", "multimeter", "meter", "screwdriver", "restrictor", "brake",
    "inverter", "fan", "inducer", "receptacle", "hanger", "chain", "buffer", "bolt", "pump",
})
# The trade's one-word names of a part noun ("batt", "tstat") are the search vocabulary's (query.SYNONYMS)
_NOUN_SLANG = {"op": "operator", **{slang: words[0] for slang, words in SYNONYMS.items()
                                    if " " not in slang and len(words) == 1 and words[0] in PART_NOUNS}}
_WORD = re.compile(r"[a-z]+")


def part_nouns_in(lowered_text: str) -> frozenset[str]:
    """The nouns of PART_NOUNS a text uses (plural or trade slang: "caps", "batts", "curtains")."""
    found = set()
    for word in _WORD.findall(lowered_text):
        word = _NOUN_SLANG.get(word, _NOUN_SLANG.get(word.removesuffix("s"), word))  # "caps", "batts"
        singular = word[:-1] if word.endswith("s") and word[:-1] in PART_NOUNS else word
        if singular in PART_NOUNS:
            found.add(singular)
    return frozenset(found)


def kinds_named(lowered_text: str) -> frozenset[str]:
    """What a text says a part is: its kinds (subcategories) and its part nouns, to compare with another's."""
    return kinds_in(lowered_text) | part_nouns_in(lowered_text)
