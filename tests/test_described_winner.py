"""The part the words name among search candidates: picked only when the words single it out."""

from __future__ import annotations

import pytest

from agent.planners.local.policies.common import described_winner

FURNACE = [{"part_number": "LA93PR127", "manufacturer": "Carrier", "name": "Flame sensor, 59TP6"},
           {"part_number": "HH84AA021", "manufacturer": "Carrier", "name": "Furnace control board, 59TP6"},
           {"part_number": "A133", "manufacturer": "Fasco", "name": "Blower motor 1 hp 4-speed 208-230V"}]
COMPRESSORS = [{"part_number": f"ZP{n}", "manufacturer": "Copeland", "name": f"Scroll compressor {tons} ton R-410A"}
               for n, tons in (("49", "4"), ("54", "4.5"), ("61", "5"), ("42", "3.5"))]
OPERATORS = [{"part_number": "VF4-2877", "manufacturer": "Fermator", "name": "Door operator motor, VVVF5"},
             {"part_number": "FER-32665-R", "manufacturer": "Fermator", "name": "Door operator, VVVF5 complete"},
             {"part_number": "VF8-8904", "manufacturer": "Fermator", "name": "Door operator motor, VVVF4+"}]


@pytest.mark.parametrize(("parts", "text", "picked"), [
    (FURNACE, "carrier 59TP6 furnace, flame sensor is toast", "LA93PR127"),
    (COMPRESSORS, "4 ton scroll compressor 410a copeland", "ZP49"),  # 4.5 ton is not 4 ton
    (OPERATORS, "need a door op motor for a fermator vvvf5", "VF4-2877"),  # every word the others have, and more
    (COMPRESSORS, "scroll compressor 410a copeland", None),  # no size: all alike
    (FURNACE, "carrier 59TP6 furnace wont light", None),  # "furnace" names the unit, not a part to pick
    (OPERATORS, "fermator door operator", None),
])
def test_the_part_the_words_single_out(parts: list[dict[str, str]], text: str, picked: str | None) -> None:
    best = described_winner(parts, text)
    assert (best["part_number"] if best else None) == picked
