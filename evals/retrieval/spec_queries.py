"""Labeled queries where specifications decide the part: refrigerant, voltage, phase, tonnage, horsepower,
capacitance, poles and amps, typed the way technicians type them (terse, lower case, the odd typo).

Each names the kind of part (subcategories) and a pattern over the part's name, written by hand from the
catalog templates rather than derived with the search's own spec parser, so a parser bug cannot label its
own answers. Every current part of that kind (and maker) whose name fits is a right answer.
"""

from __future__ import annotations

import re
from typing import Any

# (query, subcategories, name pattern, manufacturer or None)
SPEC_CURATED: tuple[tuple[str, tuple[str, ...], str, str | None], ...] = (
    ("txv r410a 5 ton", ("txv",), r"(?<![\d.])5 ton R-410A", None),
    ("expansion valve 404a 5ton", ("txv",), r"(?<![\d.])5 ton R-404A", None),
    ("txv 8 ton r22", ("txv",), r" 8 ton R-22$", None),
    ("sporlan txv 1.5 ton 410a", ("txv",), r"1\.5 ton R-410A", "Sporlan"),
    ("danfoss expansion valve 2 ton 404a", ("txv",), r" 2 ton R-404A", "Danfoss"),
    ("tev 10 ton r-410a", ("txv",), r"10 ton R-410A", None),
    ("txv 3 ton 404a", ("txv",), r" 3 ton R-404A", None),
    ("thermal expansion vlave r-22 1-1/2 ton", ("txv",), r"1\.5 ton R-22$", None),
    ("45/5 cap 440v", ("capacitor",), r"45/5 MFD 440 VAC", None),
    ("dual run capacitor 45+5 mfd 370 volt", ("capacitor",), r"45/5 MFD 370 VAC", None),
    ("40/5 uf 370v dual cap", ("capacitor",), r"40/5 MFD 370 VAC", None),
    ("run cap 20uf 440v", ("capacitor",), r"^Run capacitor 20 MFD 440 VAC", None),
    ("capacitor 55/5 440 volt", ("capacitor",), r"55/5 MFD 440 VAC", None),
    ("70+5 mfd 370vac capacitor", ("capacitor",), r"70/5 MFD 370 VAC", None),
    ("10 µf run capacitor 370v", ("capacitor",), r"^Run capacitor 10 MFD 370 VAC", None),
    ("80/5 440v cap carrier", ("capacitor",), r"80/5 MFD 440 VAC", "Carrier"),
    ("scroll comp 3 ton 410a 460v", ("scroll",), r" 3 ton R-410A 460V", None),
    ("copeland scroll 2 ton r22 460 volt", ("scroll",), r" 2 ton R-22 460V", "Copeland"),
    ("5 ton compressor r-410a 208-230v 1ph", ("scroll",), r" 5 ton R-410A 208-230V 1ph", None),
    ("scroll compresor 4.5 ton 410a 3ph 230v", ("scroll",), r"4\.5 ton R-410A 208-230V 3ph", None),
    ("semi hermetic comp 10hp 404a", ("semi_hermetic",), r" 10 hp R-404A", None),
    ("condenser fan motor 1/2 hp 460v", ("fan_motor",), r" 1/2 hp \d+ rpm 460V", None),
    ("cond fan motor 3/4 hp 460v 1100 rpm", ("fan_motor",), r" 3/4 hp 1100 rpm 460V", None),
    ("1/3 hp 825 rpm 460v condenser motor", ("fan_motor",), r" 1/3 hp 825 rpm 460V", None),
    ("blower motor 1/2hp 115v 4 speed", ("blower_motor",), r" 1/2 hp 4-speed 115V", None),
    ("blower motor .75 hp 208-230v 3 speed", ("blower_motor",), r" 3/4 hp 3-speed 208-230V", None),
    ("40 amp 2 pole contactor 24v coil", ("definite_purpose", "iec"), r" 2P 40A 24V coil", None),
    ("contactor 1p 40a 208-240v coil", ("definite_purpose", "iec"), r" 1P 40A 208-240V coil", None),
    ("qo breaker 1 pole 20 amp", ("miniature",), r"QO 1P 20A", "Square D"),
    ("homeline 3p 50a", ("miniature",), r"Homeline 3P 50A", "Square D"),
    ("molded case breaker 3 pole 100a 600v siemens", ("molded_case",), r" 3P 100A", "Siemens"),
    ("powerpact 2p 60 amp", ("molded_case",), r"PowerPact H 2P 60A", "Square D"),
    ("class j fuse 30a", ("fuse",), r"class J 600V 30A", None),
    ("cc fuse 10 amp 600v", ("fuse",), r"class CC 600V 10A", None),
    ("heavy duty disconnect 60a 3p fusible", ("safety_switch",), r"heavy duty 60A 3P fusible", None),
    ("control transformer 100va 480v to 24v", ("control",), r"^Control transformer 100 VA [\d/]*4[68]0-24V", None),
    ("crankcase heater 60w 480v", ("crankcase_heater",), r" 60 W 480V", None),
    ("hoist motor 15hp 460v 1750", ("hoist_motor",), r" 15 hp 1750 rpm 460V", None),
    ("door motor otis", ("door_operator", "door_motor"), r"^Door operator", "Otis"),
    ("door motor kone", ("door_operator", "door_motor"), r"^Door operator", "KONE"),
    ("schindler door operator", ("door_operator", "door_motor"), r"^Door operator", "Schindler"),
)


def spec_expected(parts: list[dict[str, Any]], subcategories: tuple[str, ...], pattern: str,
                  maker: str | None) -> list[dict[str, Any]]:
    """The current parts (not superseded) a spec query is right to return."""
    wanted = re.compile(pattern)
    return [p for p in parts if not p["superseded_by"] and p["subcategory"] in subcategories
            and wanted.search(p["name"]) and (maker is None or p["manufacturer"] == maker)]
