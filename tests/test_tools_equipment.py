"""find_installed_equipment on the seeded world: fuzzy site names, filters, and only the caller's organization's
units — which check_compatibility then takes by equipment_id."""

from __future__ import annotations

from sqlalchemy import Engine, text

from tests.tool_helpers import member, ok
from tools.context import Caller
from tools.registry import invoke


def _find(engine: Engine, caller: Caller, **args: object) -> object:
    return ok(invoke(engine, caller, "find_installed_equipment", args))


def test_site_by_fuzzy_name_lists_its_units(engine: Engine, maria: Caller) -> None:
    out = _find(engine, maria, site="the brown palce")  # typo, article
    assert out.sites == ["Brown Palace Hotel"] and "Otis Gen2 (4)" in out.models
    assert out.total == len(out.units) >= 4 and {u.site_name for u in out.units} == {"Brown Palace Hotel"}
    gen2 = [u for u in out.units if u.model == "Gen2"]
    assert [u.unit for u in gen2] == ["Car 1", "Car 2", "Car 3", "Car 4"] and gen2[0].trade == "elevator"
    with engine.connect() as conn:
        orgs = set(conn.execute(text("SELECT DISTINCT organization_id FROM equipment WHERE id = ANY(:ids)"),
                                {"ids": [u.equipment_id for u in out.units]}).scalars())
    assert orgs == {maria.organization_id}
    fit = ok(invoke(engine, maria, "check_compatibility",
                    {"part_number": "GAA24350BH1", "equipment_id": str(gen2[1].equipment_id)}))
    assert fit.verdict == "compatible" and "Brown Palace Hotel" in fit.equipment


def test_filters_by_model_alias_type_and_maker(engine: Engine, maria: Caller) -> None:
    assert _find(engine, maria, site="Brown Palace", model="gen 2").models == ["Otis Gen2 (4)"]
    rtus = _find(engine, maria, site="Brown Palace", equipment_type="RTU")
    assert {u.equipment_type for u in rtus.units} == {"rooftop_unit"} and rtus.total == 4
    otis = _find(engine, maria, equipment_type="elevators", manufacturer="OTIS")
    assert otis.total >= 10 and {u.manufacturer for u in otis.units} == {"Otis"}
    assert {u.trade for u in otis.units} == {"elevator"} and len(otis.sites) >= 3
    assert _find(engine, maria, site="Brown Palace", trade="medical").units == []


def test_ambiguous_name_matches_every_site_it_could_mean(engine: Engine, maria: Caller) -> None:
    out = _find(engine, maria, site="the Hyatt")
    assert set(out.sites) == {"Grand Hyatt Denver", "Hyatt Regency Denver"}


def test_only_the_callers_organization_equipment(engine: Engine, maria: Caller) -> None:
    rival = member(engine, "Rival Lift & Climate")
    theirs = _find(engine, rival, site="Four Seasons")
    assert theirs.total >= 3 and theirs.sites == ["Four Seasons Denver"]
    mine = _find(engine, maria, site="Four Seasons")
    said = mine.message or ""
    assert mine.units == [] and "Four Seasons Denver" not in said and "Rival" not in said
    everything = _find(engine, maria, limit=200)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM equipment WHERE organization_id = :o"),
                             {"o": maria.organization_id}).scalar_one()
    assert everything.total == total


def test_unknown_site_says_so(engine: Engine, maria: Caller) -> None:
    out = _find(engine, maria, site="the Hilton")
    assert out.units == [] and out.sites == [] and "Hilton" in (out.message or "")
    near = _find(engine, maria, site="Republic Place")
    assert near.sites == ["Republic Plaza"] or "Republic Plaza" in near.did_you_mean
