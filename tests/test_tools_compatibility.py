"""check_compatibility on the seeded store: rows, supersession, specifications, ownership, the AI hook."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from tests.tool_helpers import fails, ok
from tools.catalog.compatibility_ai import AiOpinion, set_compatibility_reasoner
from tools.context import Caller
from tools.registry import invoke


def _check(engine: Engine, caller: Caller, **args: object):  # type: ignore[no-untyped-def]
    return invoke(engine, caller, "check_compatibility", args)


def test_direct_row_is_compatible_with_alternatives(engine: Engine, maria: Caller) -> None:
    out = _check(engine, maria, part_number="GAA24350BH1", equipment_manufacturer="Otis", equipment_model="Gen 2")
    ok(out)
    assert out.verdict == "compatible" and out.confidence >= 0.9 and out.verdict_source == "catalog"
    assert any("part_compatibility row" in line for line in out.evidence)
    assert out.equipment.startswith("Otis Gen2")
    assert out.alternatives and all(a.part_id != out.part_id for a in out.alternatives)


def test_installed_unit_of_own_organization(engine: Engine, maria: Caller) -> None:
    with engine.connect() as conn:
        unit = conn.execute(text("SELECT id FROM equipment WHERE site_name = 'Brown Palace Hotel' AND model = 'Gen2' "
                                 "AND organization_id = :org LIMIT 1"), {"org": maria.organization_id}).scalar_one()
    out = _check(engine, maria, part_number="GBA21230F1", equipment_id=str(unit))
    ok(out)
    assert out.verdict == "compatible"
    assert "Brown Palace Hotel" in out.equipment


def test_other_organizations_unit_is_forbidden_and_unknown_id_not_found(engine: Engine, maria: Caller) -> None:
    with engine.connect() as conn:
        foreign = conn.execute(text("SELECT id FROM equipment WHERE organization_id <> :org LIMIT 1"),
                               {"org": maria.organization_id}).scalar_one()
    out = _check(engine, maria, part_number="GAA24350BH1", equipment_id=str(foreign))
    fails(out, "forbidden")
    missing = _check(engine, maria, part_number="GAA24350BH1", equipment_id=str(uuid.uuid4()))
    fails(missing, "not_found")


def test_bad_arguments(engine: Engine, maria: Caller) -> None:
    no_equipment = _check(engine, maria, part_number="GAA24350BH1")
    fails(no_equipment, "invalid")
    no_model = _check(engine, maria, part_number="GAA24350BH1", equipment_manufacturer="Otis",
                      equipment_model="Hoverlift 9000")
    fails(no_model, "not_found")
    no_part = _check(engine, maria, part_number="NOPE-0000-XX", equipment_model="Gen2")
    fails(no_part, "not_found")


def test_wrong_trade_is_incompatible(engine: Engine, maria: Caller) -> None:
    out = _check(engine, maria, part_number="ZP49K5E-PFV-800", equipment_manufacturer="Otis", equipment_model="Gen2")
    ok(out)
    assert out.verdict == "incompatible" and out.confidence >= 0.9
    assert any("trade" in line for line in out.evidence)


def test_voltage_mismatch_is_incompatible(engine: Engine, maria: Caller) -> None:
    # A single-phase 208-230 V compressor against a 460 V three-phase rooftop unit model.
    out = _check(engine, maria, part_number="ZP49K5E-PFV-800", equipment_manufacturer="Carrier",
                 equipment_model="48TC")
    ok(out)
    assert out.verdict == "incompatible"
    assert any("voltage" in line and "NOT" in line for line in out.evidence)
    assert any("voltage" in w for w in out.warnings)


def test_no_record_is_unknown_without_a_key_and_uses_an_injected_reasoner(engine: Engine, maria: Caller) -> None:
    args = {"part_number": "GBA26800KB1", "equipment_manufacturer": "Otis", "equipment_model": "Elevonic 401"}
    out = _check(engine, maria, **args)
    ok(out)
    assert out.verdict == "unknown" and out.verdict_source == "none"
    assert "No compatibility record" in out.explanation
    assert any("manufacturer-level fit" in line for line in out.evidence)
    seen: list[dict] = []

    def reasoner(facts: dict) -> AiOpinion:
        seen.append(facts)
        return AiOpinion(compatible=False, confidence=0.9, reasoning="GECB is a Gen2 board.", warnings=["x"])

    set_compatibility_reasoner(reasoner)
    try:
        ai = _check(engine, maria, **args)
    finally:
        set_compatibility_reasoner(None)
    ok(ai)
    assert seen and seen[0]["part"]["number"] == "GBA26800KB1"
    assert ai.verdict == "incompatible" and ai.verdict_source == "ai" and ai.confidence <= 0.6
    assert "GECB is a Gen2 board." in ai.explanation


@pytest.fixture
def chain_rows(engine: Engine) -> Iterator[dict]:
    """A drop-in/one-way edge and an equipment model that only the old (or only the new) part has a row for."""
    created: list[uuid.UUID] = []
    with engine.begin() as conn:
        edge = conn.execute(text(
            "SELECT e.old_part_id, e.new_part_id, o.part_number AS old_pn, n.part_number AS new_pn, o.trade "
            "FROM part_supersessions e JOIN parts_catalog o ON o.id = e.old_part_id "
            "JOIN parts_catalog n ON n.id = e.new_part_id WHERE e.interchangeability = 'one_way' "
            "AND NOT EXISTS (SELECT 1 FROM part_supersessions x WHERE x.new_part_id = e.old_part_id) "
            "AND NOT EXISTS (SELECT 1 FROM part_supersessions x WHERE x.old_part_id = e.new_part_id) "
            "ORDER BY o.part_number LIMIT 1")).one()
        models = conn.execute(text(
            "SELECT id, manufacturer, model FROM equipment_models m WHERE m.trade = :t AND NOT EXISTS "
            "(SELECT 1 FROM part_compatibility c WHERE c.equipment_model_id = m.id AND c.part_id IN (:o, :n)) "
            "ORDER BY model LIMIT 2"), {"t": edge.trade, "o": edge.old_part_id, "n": edge.new_part_id}).all()
        for part_id, model in ((edge.old_part_id, models[0]), (edge.new_part_id, models[1])):
            rid = uuid.uuid4()
            created.append(rid)
            conn.execute(text("INSERT INTO part_compatibility (id, part_id, equipment_model_id, fit, source) "
                              "VALUES (:id, :p, :m, 'direct', 'test')"), {"id": rid, "p": part_id, "m": model.id})
    yield {"edge": edge, "old_model": models[0], "new_model": models[1]}
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM part_compatibility WHERE id = ANY(:ids)"), {"ids": created})


def test_supersession_carries_fit_forward_only_for_one_way(engine: Engine, maria: Caller, chain_rows: dict) -> None:
    edge, old_model, new_model = chain_rows["edge"], chain_rows["old_model"], chain_rows["new_model"]
    # The new part replaces the old one wherever the old one fitted …
    forward = _check(engine, maria, part_id=str(edge.new_part_id), equipment_manufacturer=old_model.manufacturer,
                     equipment_model=old_model.model)
    ok(forward)
    assert forward.verdict == "compatible" and forward.verdict_source in ("supersession", "catalog")
    assert any(line.startswith("supersession:") and edge.old_pn in line for line in forward.evidence)
    # … but the old part cannot stand in where only the new one is recorded (one-way).
    backward = _check(engine, maria, part_id=str(edge.old_part_id), equipment_manufacturer=new_model.manufacturer,
                      equipment_model=new_model.model)
    ok(backward)
    assert backward.verdict == "incompatible"
    assert any(line.startswith("supersession:") and "cannot be assumed" in line for line in backward.evidence)
    assert any(edge.new_pn in w for w in backward.warnings)
    assert any(a.part_number == edge.new_pn for a in backward.alternatives)


def test_superseded_part_suggests_its_current_replacement(engine: Engine, maria: Caller) -> None:
    out = _check(engine, maria, part_number="GAA26800LB1", equipment_manufacturer="Otis",
                 equipment_model="Elevonic 411M")
    ok(out)
    assert out.verdict == "compatible"
    assert out.alternatives[0].part_number == "GAA26800LC1"
    assert "current replacement" in out.alternatives[0].reason
