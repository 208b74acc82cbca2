"""Search where specifications decide: reading specs out of queries and parts, comparing them, and ranking
parts that contradict the asked specs below those that fit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from knowledge.search import search_parts
from knowledge.search.kinds import kinds_in
from knowledge.search.specs import compare_specs, extract_specs, part_specs

QUERIES = Path(__file__).resolve().parent.parent / "evals" / "retrieval" / "search_queries.jsonl"


@pytest.mark.parametrize(("query", "expected"), [
    ("410A", {"refrigerant": ("410A",)}),
    ("r-410a", {"refrigerant": ("410A",)}),
    ("R410A txv", {"refrigerant": ("410A",)}),
    ("404a", {"refrigerant": ("404A",)}),
    ("r22 txv", {"refrigerant": ("22",)}),
    ("R-134a", {"refrigerant": ("134A",)}),
    ("440v", {"volts": ((440.0, 440.0),)}),
    ("440 volt", {"volts": ((440.0, 440.0),)}),
    ("460V", {"volts": ((460.0, 460.0),)}),
    ("370vac", {"volts": ((370.0, 370.0),)}),
    ("208-230v", {"volts": ((208.0, 208.0), (230.0, 230.0))}),
    ("3 ton", {"tons": (3.0,)}),
    ("5ton", {"tons": (5.0,)}),
    ("2 1/2 ton", {"tons": (2.5,)}),
    ("2-1/2 tons", {"tons": (2.5,)}),
    ("36k btu", {"tons": (3.0,)}),
    ("1/2 hp", {"hp": (0.5,)}),
    (".5hp", {"hp": (0.5,)}),
    ("1-1/2 hp", {"hp": (1.5,)}),
    ("10hp", {"hp": (10.0,)}),
    ("45/5 uf", {"mfd": ((45.0, 5.0),)}),
    ("45+5 mfd", {"mfd": ((45.0, 5.0),)}),
    ("7.5 µF", {"mfd": ((7.5, None),)}),
    ("7.5 μf", {"mfd": ((7.5, None),)}),
    ("dual cap 40/5", {"mfd": ((40.0, 5.0),)}),
    ("2 pole", {"poles": (2,)}),
    ("2p", {"poles": (2,)}),
    ("double pole", {"poles": (2,)}),
    ("40a", {"amps": (40.0,)}),
    ("40 amp", {"amps": (40.0,)}),
    ("30 amps", {"amps": (30.0,)}),
    ("1ph", {"phase": (1,)}),
    ("three phase", {"phase": (3,)}),
    ("100va", {"va": (100.0,)}),
    ("45 kva", {"va": (45000.0,)}),
    ("40 amp 2 pole contactor 24v coil", {"amps": (40.0,), "poles": (2,), "coil": ((24.0, 24.0),)}),
    ("relay 24vac coil", {"coil": ((24.0, 24.0),)}),
    ("scroll comp 3 ton 410a 460v 3ph", {"tons": (3.0,), "refrigerant": ("410A",), "volts": ((460.0, 460.0),),
                                          "phase": (3,)}),
    ("cap for 1/2 hp motor", {"hp": (0.5,)}),
    # Part numbers, models and fractions that are no spec.
    ("ZP49K5E-PFV-800", {}),
    ("HPV900-4040-2E1-01", {}),
    ("LC1D40AG7", {}),
    ("3/4 sweat zone valve", {"inches": (0.75,)}),
    ('1-1/2" npt ball valve', {"inches": (1.5,)}),
    ("got 2 in the van", {}),
    ("blower motor 3 speed", {"speeds": (3,)}),
    ("disco 60a fusible", {"fused": (True,), "amps": (60.0,)}),
    ("non-fusible disconnect", {"fused": (False,)}),
    ("door motor otis", {}),
])
def test_extract_specs(query: str, expected: dict[str, Any]) -> None:
    assert extract_specs(query) == expected


def test_part_specs_read_keys_and_name() -> None:
    dual = part_specs({"mfd": 45, "vac": 440}, "Dual run capacitor 45/5 MFD 440 VAC")
    assert dual == {"mfd": ((45.0, 5.0),), "volts": ((440.0, 440.0),)}
    motor = part_specs({"hp": "1/2", "voltage": "208-230V 1ph", "refrigerant": "R-410A"})
    assert motor == {"hp": (0.5,), "volts": ((208.0, 230.0),), "phase": (1,), "refrigerant": ("410A",)}
    # "24VDC 10A": the 10 is amps, not volts.
    assert part_specs({"output": "24VDC 10A"})["volts"] == ((24.0, 24.0),)
    assert part_specs({}, "Receptacle 20A 125V, duplex") == {"volts": ((125.0, 125.0),), "amps": (20.0,)}


@pytest.mark.parametrize(("query", "specs", "name", "matched", "hard", "size"), [
    ("440v cap", {"vac": 370}, "", 0, 1, 0),
    ("440v cap", {"vac": 440}, "", 1, 0, 0),
    ("440v motor", {"voltage": "460V 3ph"}, "", 1, 0, 0),  # one supply system
    ("230v", {"voltage": "208-230V 1ph"}, "", 1, 0, 0),
    ("115v", {"voltage": "208-230V 1ph"}, "", 0, 1, 0),
    ("45 uf", {"mfd": 45}, "Dual run capacitor 45/5 MFD 440 VAC", 1, 0, 0),
    ("45/5 uf", {"mfd": 45}, "Run capacitor 45 MFD 440 VAC", 0, 1, 0),
    ("txv 410a 3 ton", {"tons": 2, "refrigerant": "R-410A"}, "", 1, 0, 1),
    ("txv 410a 3 ton", {"tons": 3, "refrigerant": "R-404A"}, "", 1, 1, 0),
    ("410a", {"voltage": "230V"}, "", 0, 0, 0),  # nothing both sides state
    ("contactor 24v coil", {"coil": "120V"}, "", 0, 1, 0),
    ("contactor 120v", {"coil": "120V"}, "", 1, 0, 0),  # a bare voltage may be the coil's…
    ("contactor 480v", {"coil": "120V"}, "", 0, 0, 0),  # …or the line's, which the part does not state
    ("3/4 sweat zone valve", {"size": "1/2 in"}, "", 0, 1, 0),
    ("3/4 sweat zone valve", {"size": "3/4 in"}, "", 1, 0, 0),
    ("3/4 sweat zone valve", {"size": "NEMA 1"}, "", 0, 0, 0),  # a size that is not in inches says nothing
    ("fusible disconnect", {"fused": False}, "Safety switch, heavy duty 30A 3P non-fusible", 0, 1, 0),
    ("fusible disconnect", {"fused": True}, "", 1, 0, 0),
    ("blower motor 3 speed", {}, "Blower motor 3/4 hp 4-speed 208-230V", 0, 1, 0),
    ("blower motor 3 speed", {"speeds": 3}, "", 1, 0, 0),
])
def test_compare_specs(query: str, specs: dict[str, Any], name: str, matched: int, hard: int, size: int) -> None:
    fit = compare_specs(extract_specs(query), part_specs(specs, name))
    assert (fit.matched, fit.hard_conflicts, fit.size_conflicts) == (matched, hard, size)


def test_kinds_prefer_the_longest_phrase() -> None:
    assert kinds_in("door motor otis") == {"door_motor", "door_operator"}
    assert kinds_in("cond fan motor") == {"fan_motor"}
    assert kinds_in("txvs for a 3 ton") == {"txv"}
    assert kinds_in("logic board") == frozenset()
    # A kind before another part's noun only modifies it.
    assert kinds_in("door operator belt at400") == frozenset()
    assert kinds_in("compressor contactor 40a") == {"definite_purpose", "iec", "lighting", "starter"}


def _specs_of(engine: Engine, part_numbers: list[str]) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT part_number, specifications, subcategory, manufacturer FROM parts_catalog "
                                 "WHERE part_number = ANY(:pns)"), {"pns": part_numbers}).all()
    return {r.part_number: {**r.specifications, "_sub": r.subcategory, "_maker": r.manufacturer} for r in rows}


def _variants(engine: Engine, subcategory: str, axis: str, other: str) -> list[tuple[Any, list[str]]]:
    """Values of `axis` whose parts come in more than one value of `other` (e.g. tons with several refrigerants)."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            f"SELECT specifications->>'{axis}' AS v, array_agg(DISTINCT specifications->>'{other}') AS others "
            "FROM parts_catalog WHERE subcategory = :s AND organization_id IS NULL "
            f"GROUP BY 1 HAVING count(DISTINCT specifications->>'{other}') > 1 ORDER BY 1"), {"s": subcategory}).all()
    return [(r.v, sorted(r.others)) for r in rows]


def test_txv_asked_for_a_refrigerant_never_leads_with_another(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT DISTINCT specifications->>'tons' AS tons, specifications->>'refrigerant' AS r "
                                 "FROM parts_catalog WHERE subcategory = 'txv' AND organization_id IS NULL")).all()
    tonnages, refrigerants = sorted({r.tons for r in rows}), sorted({r.r for r in rows})
    assert len(refrigerants) >= 3
    for refrigerant in refrigerants:
        # As typed: "410a", "r-404a", "r22" (a bare "22" names no refrigerant).
        bare = refrigerant.lower().replace("r-", "")
        typed = "r" + bare if bare.isdigit() else bare
        # Every tonnage, also those not made for this refrigerant: the nearest size of it still leads.
        queries = [f"txv {typed} {tons} ton" for tons in tonnages] + [
            f"expansion valve {refrigerant.lower()}", f"{typed} txv"]
        for query in queries:
            top = search_parts(engine, query, limit=1).results[0]
            found = _specs_of(engine, [top.part_number])[top.part_number]
            assert (found["refrigerant"], found["_sub"]) == (refrigerant, "txv"), (query, top.name)


def test_capacitor_asked_for_a_voltage_never_leads_with_another(engine: Engine) -> None:
    cases = _variants(engine, "capacitor", "mfd", "vac")
    assert len(cases) >= 3
    for mfd, volts in cases:
        for vac in volts:
            for query in (f"{mfd} mfd cap {vac}v", f"capacitor {vac} volt {mfd}uf"):
                hits = search_parts(engine, query, limit=3).results
                top = _specs_of(engine, [hits[0].part_number])[hits[0].part_number]
                assert str(top["vac"]) == vac and str(top["mfd"]) == mfd, (query, hits[0].name)


def test_door_motor_otis_finds_door_operators_not_boards(engine: Engine) -> None:
    hits = search_parts(engine, "door motor otis", limit=5).results
    found = _specs_of(engine, [h.part_number for h in hits])
    assert all(found[h.part_number]["_sub"] in {"door_operator", "door_motor"} for h in hits[:3]), [
        h.name for h in hits]
    assert found[hits[0].part_number]["_maker"] == "Otis"


def test_labeled_spec_queries_top1(engine: Engine) -> None:
    rows = [json.loads(line) for line in QUERIES.read_text().splitlines() if line.strip()]
    spec_rows = [r for r in rows if r["kind"] == "spec"]
    assert len(spec_rows) >= 30
    misses = []
    for row in spec_rows:
        hits = search_parts(engine, row["query"], limit=1).results
        if not hits or not ({hits[0].part_number, hits[0].superseded_by} & set(row["expected"])):
            misses.append(f"{row['query']!r} -> {[h.name for h in hits]}")
    assert 1 - len(misses) / len(spec_rows) >= 0.90, misses
