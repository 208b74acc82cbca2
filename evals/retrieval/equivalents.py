"""Which generated parts answer a labeled query as well as its expected ones, in a catalog padded to scale.

The labeled queries were labeled on the demo world. `bench search` pads the catalog with generated builds of
the same family variants (knowledge/seed/world/extras.py): "Dual run capacitor 45/5 MFD 440 VAC" gains builds
named "Dual run capacitor 45/5 MFD 440 VAC, 460 VAC, rev S8" from many makers. A query that describes a part
("45/5 cap 440v") and names nothing a build adds is answered as well by such a build as by the labeled part, so
it is counted as an equivalent answer, with two limits: a query that names a part by its number wants that
number (no equivalents), and a labeled manufacturer must match (the query named it, or implied it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, text

from knowledge.seed.world.extras_vocab import is_build_of

# The kinds of labeled query that describe a part rather than name it by number.
DESCRIBING_KINDS = frozenset({"description", "spec", "synonym", "equipment_scoped"})

Equivalent = Callable[[Any], bool]


def expected_names(engine: Engine, items: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Part number → (manufacturer, name) of every labeled query's expected parts."""
    numbers = sorted({number for item in items for number in item["expected"]})
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT part_number, manufacturer, name FROM parts_catalog "
                                 "WHERE organization_id IS NULL AND part_number = ANY(:numbers)"),
                            {"numbers": numbers}).all()
    return {row.part_number: (row.manufacturer, row.name) for row in rows}


def equivalent_builds(item: dict[str, Any], names: dict[str, tuple[str, str]]) -> Equivalent | None:
    """A test of whether a hit is a generated build of one of `item`'s expected parts; None when the query's
    kind admits no equivalents."""
    if item["kind"] not in DESCRIBING_KINDS:
        return None
    maker = item.get("manufacturer") or ""
    bases = [names[number] for number in item["expected"] if number in names]

    def equivalent(hit: Any) -> bool:
        return any(is_build_of(hit.name, name) and (not maker or hit.manufacturer == made_by)
                   for made_by, name in bases)

    return equivalent
