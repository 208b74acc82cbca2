"""Catalog tools on the seeded store: search_parts and lookup_part (typos, OCR, supersession chains)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, text

from tests.tool_helpers import fails, ok
from tools.context import Caller
from tools.registry import invoke
from tools.results import ToolFailure


def test_search_parts_finds_the_door_operator(engine: Engine, maria: Caller) -> None:
    out = invoke(engine, maria, "search_parts", {"query": "Otis Gen2 door operator", "limit": 5})
    ok(out)
    numbers = [h.part_number for h in out.results]
    assert "GAA24350BH1" in numbers[:3]
    assert len(out.results) <= 5
    assert all(h.score > 0 and h.matched_by for h in out.results)


def test_search_parts_filters_narrow_every_hit(engine: Engine, maria: Caller) -> None:
    out = invoke(engine, maria, "search_parts", {"query": "control board", "category": "hvac_thermostat",
                                                 "manufacturer": "Carrier", "limit": 10})
    ok(out)
    assert out.results
    assert {h.category for h in out.results} == {"hvac_thermostat"}
    assert {h.manufacturer for h in out.results} == {"Carrier"}


def test_search_parts_shows_the_replacement_of_a_superseded_number(engine: Engine, maria: Caller) -> None:
    out = invoke(engine, maria, "search_parts", {"query": "GAA26800LA1"})
    ok(out)
    top = out.results[0]
    assert top.part_number == "GAA26800LA1" and top.superseded_by == "GAA26800LC1"
    assert any(h.part_number == "GAA26800LC1" and h.replaces == "GAA26800LA1" for h in out.results)


@pytest.mark.parametrize("args", [{"query": "   "}, {"query": "x" * 600}, {"query": "board", "category": "rocket"},
                                  {"query": "board", "limit": 0}])
def test_search_parts_rejects_bad_input(engine: Engine, maria: Caller, args: dict) -> None:
    out = invoke(engine, maria, "search_parts", args)
    fails(out, "invalid")
    assert out.message


def test_lookup_exact_current_part_has_its_history(engine: Engine, maria: Caller) -> None:
    out = invoke(engine, maria, "lookup_part", {"part_number": "GAA26800LC1"})
    ok(out)
    best = out.matches[0]
    assert best.part_number == "GAA26800LC1" and best.match_kind == "exact" and best.confidence == 1.0
    assert not best.is_superseded and out.current_part_number == "GAA26800LC1"
    older = [h for h in best.supersession_chain if h.direction == "older"]
    assert [h.from_part_number for h in older] == ["GAA26800KY1", "GAA26800LA1", "GAA26800LA2", "GAA26800LB1"]
    assert older[-1].to_part_number == "GAA26800LC1"
    assert all(h.interchangeability in {"drop_in", "one_way", "requires_modification", "kit"} for h in older)
    assert [h.effective_date for h in older] == sorted(h.effective_date for h in older)


def test_lookup_superseded_number_leads_to_current(engine: Engine, maria: Caller) -> None:
    out = invoke(engine, maria, "lookup_part", {"part_number": "gaa-26800 la1", "manufacturer": "otis"})
    ok(out)
    best = out.matches[0]
    assert best.part_number == "GAA26800LA1" and best.is_superseded
    assert best.current_part_number == "GAA26800LC1" == out.current_part_number
    newer = [h for h in best.supersession_chain if h.direction == "newer"]
    assert [h.to_part_number for h in newer] == ["GAA26800LA2", "GAA26800LB1", "GAA26800LC1"]
    assert [h.direction for h in best.supersession_chain][:1] == ["older"]  # KY1 → LA1 comes first
    assert "order GAA26800LC1" in best.note


def test_lookup_ocr_confusion_and_typo(engine: Engine, maria: Caller) -> None:
    ocr = invoke(engine, maria, "lookup_part", {"part_number": "GAA268OOLC1"})  # letter O for zero
    ok(ocr)
    assert ocr.matches[0].part_number == "GAA26800LC1" and ocr.matches[0].match_kind == "ocr_normalized"
    typo = invoke(engine, maria, "lookup_part", {"part_number": "GAA2680LC1"})  # a digit dropped
    ok(typo)
    assert typo.matches[0].part_number == "GAA26800LC1" and typo.matches[0].match_kind == "fuzzy"
    assert typo.matches[0].confidence < 0.9 and "confirm" in typo.matches[0].note.lower()


def test_lookup_number_inside_text_and_wrong_manufacturer(engine: Engine, maria: Caller) -> None:
    out = invoke(engine, maria, "lookup_part", {"part_number": "Copeland ZP49K5E-PFV-800"})
    ok(out)
    assert out.matches[0].part_number == "ZP49K5E-PFV-800" and out.matches[0].match_kind == "exact"
    wrong = invoke(engine, maria, "find_inventory", {"part_number": "ZP49K5E-PFV-800", "manufacturer": "Trane"})
    assert "Copeland" in fails(wrong, "not_found").message


def test_lookup_unknown_number_fails_with_a_hint(engine: Engine, maria: Caller) -> None:
    out = invoke(engine, maria, "lookup_part", {"part_number": "QQ-ZXW-QQQQ-WW"})
    fails(out, "not_found")
    assert out.hint
    empty = invoke(engine, maria, "lookup_part", {"part_number": ""})
    fails(empty, "invalid")


def _current_by_edges(edges: list, start: uuid.UUID) -> uuid.UUID:
    """End of the chain, following the newest edge out of each part (independent of the tool's SQL)."""
    out: dict[uuid.UUID, tuple] = {}
    for e in edges:
        if e.old_part_id not in out or e.effective_date > out[e.old_part_id][1]:
            out[e.old_part_id] = (e.new_part_id, e.effective_date)
    node, seen = start, set()
    while node in out and node not in seen:
        seen.add(node)
        node = out[node][0]
    return node


def test_every_superseded_number_resolves_to_the_current_part(engine: Engine, maria: Caller) -> None:
    with engine.connect() as conn:
        edges = conn.execute(text("SELECT old_part_id, new_part_id, effective_date FROM part_supersessions")).all()
        numbers = {r.id: (r.part_number, r.manufacturer) for r in conn.execute(text(
            "SELECT id, part_number, manufacturer FROM parts_catalog WHERE id IN "
            "(SELECT old_part_id FROM part_supersessions UNION SELECT new_part_id FROM part_supersessions)"))}
    old_ids = sorted({e.old_part_id for e in edges})
    assert len(old_ids) >= 150
    failures = []
    for old_id in old_ids:
        number, maker = numbers[old_id]
        out = invoke(engine, maria, "lookup_part", {"part_number": number, "manufacturer": maker})
        if isinstance(out, ToolFailure):
            failures.append(f"{number}: {out.message}")
            continue
        match = next((m for m in out.matches if m.part_id == old_id), None)
        expected = _current_by_edges(edges, old_id)
        newer = [h for h in match.supersession_chain if h.direction == "newer"] if match else []
        if (match is None or not match.is_superseded or match.current_part_id != expected or not newer
                or newer[0].from_part_id != old_id or newer[-1].to_part_id != expected
                or match.current_part_number != numbers[expected][0]):
            failures.append(f"{number}: {match and match.current_part_number} != {numbers[expected][0]}")
    assert not failures, failures[:10]
