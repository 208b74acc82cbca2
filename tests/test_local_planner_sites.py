"""Customer sites in conversation with the offline planner: "does it fit the Gen2 at the Brown Palace?" and
"I'm at the brown palace, need a door operator" resolve the caller's unit at the site (find_installed_equipment)
before checking fit or searching; unknown or other organizations' sites are said plainly."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from agent.planners.local import LocalPlanner
from agent.runner import AgentRunner
from tests.local_planner_scripts import TECH, Conversation, args_of, caller, names

UNIT = ("SELECT e.site_name, e.model FROM equipment e JOIN users u ON u.organization_id = e.organization_id "
        "WHERE e.id = CAST(:id AS uuid) AND u.email = :email")


@pytest.fixture(scope="module")
def runner(engine: Engine) -> AgentRunner:
    return AgentRunner(engine, LocalPlanner())


def talk(runner: AgentRunner, engine: Engine, email: str = TECH) -> Conversation:
    return Conversation(runner, caller(engine, email))


def unit_of(engine: Engine, equipment_id: str, email: str = TECH) -> tuple[str, str]:
    with engine.connect() as conn:
        row = conn.execute(text(UNIT), {"id": equipment_id, "email": email}).one()
    return row.site_name, row.model


def test_fit_is_checked_on_the_unit_at_the_site(runner: AgentRunner, engine: Engine) -> None:
    turn = talk(runner, engine).say("does GAA24350BH1 fit the Gen2 at the Brown Palace?")
    assert names(turn) == ["find_installed_equipment", "check_compatibility"]
    assert args_of(turn, "find_installed_equipment") == {"site": "Brown Palace Hotel"}  # the site's own name
    check = args_of(turn, "check_compatibility")
    assert unit_of(engine, check["equipment_id"]) == ("Brown Palace Hotel", "Gen2") and "equipment_model" not in check
    assert turn.reply.startswith("Yes") and "Brown Palace Hotel" in turn.reply and "Car 1" in turn.reply


def test_at_the_site_a_described_part_is_searched_for_its_unit(runner: AgentRunner, engine: Engine) -> None:
    chat = talk(runner, engine)
    turn = chat.say("I'm at the brown palace, need a door operator")
    assert names(turn) == ["find_installed_equipment", "search_parts", "search_parts"]
    searches = [c.args for c in turn.tool_calls if c.name == "search_parts"]
    assert searches[0]["query"] == "door operator" and searches[1]["compatible_with"] == "Gen2"
    assert "Otis Gen2 at Brown Palace Hotel" in turn.reply and "GAA24350BH1" in turn.reply
    listed = [i for i, p in enumerate(chat.shown(), 1) if p["part_number"] == "GAA24350BH1"]
    if listed:  # several candidates: pick it; one clear winner is in focus already
        chat.say(str(listed[0]))
    else:
        assert turn.reply.startswith("Best match") and "GAA24350BH1" in turn.reply.split("\n")[0]
    fit = chat.say("will it fit?")
    check = args_of(fit, "check_compatibility")
    assert check["part_number"] == "GAA24350BH1" and unit_of(engine, check["equipment_id"])[0] == "Brown Palace Hotel"


def test_the_parts_trade_picks_the_unit_at_a_mixed_site(runner: AgentRunner, engine: Engine) -> None:
    turn = talk(runner, engine).say("is GAA26800LC1 compatible at Denver Health?")
    assert names(turn) == ["find_installed_equipment", "lookup_part", "check_compatibility"]
    check = args_of(turn, "check_compatibility")
    assert unit_of(engine, check["equipment_id"]) == ("Denver Health Medical Center", "Elevonic 411M")
    assert turn.reply.startswith("Yes") and "the other 2 there are the same model" in turn.reply


def test_which_unit_is_asked_when_the_site_has_two_candidates(runner: AgentRunner, engine: Engine) -> None:
    with engine.connect() as conn:
        number = conn.execute(text(
            "SELECT p.part_number FROM parts_catalog p JOIN part_compatibility pc ON pc.part_id = p.id "
            "JOIN equipment_models em ON em.id = pc.equipment_model_id WHERE p.manufacturer = 'Carrier' "
            "AND em.model = '48TC' AND p.organization_id IS NULL "
            "AND (SELECT count(*) FROM parts_catalog q WHERE q.part_number = p.part_number) = 1 "
            "ORDER BY p.part_number LIMIT 1")).scalar_one()
    chat = talk(runner, engine)
    asked = chat.say(f"is {number} compatible at the Brown Palace?")
    assert "check_compatibility" not in names(asked) and asked.reply.startswith("Which unit at Brown Palace Hotel")
    assert "48TC" in asked.reply and "50TC" in asked.reply and "Gen2" not in asked.reply
    turn = chat.say("the 48TC")
    check = args_of(turn, "check_compatibility")
    assert check["part_number"] == number and unit_of(engine, check["equipment_id"]) == ("Brown Palace Hotel", "48TC")
    assert turn.reply.startswith("Yes")


def test_unknown_site_falls_back_to_the_model(runner: AgentRunner, engine: Engine) -> None:
    chat = talk(runner, engine)
    chat.say("GAA24350BH1")
    turn = chat.say("is it compatible with the Gen2 at the Hilton?")
    assert names(turn) == ["find_installed_equipment", "check_compatibility"]
    assert args_of(turn, "check_compatibility")["equipment_model"] == "Gen2"
    assert "Hilton isn't among your organization's sites" in turn.reply


def test_whats_installed_at_a_site(runner: AgentRunner, engine: Engine) -> None:
    turn = talk(runner, engine).say("what's installed at Denver Health?")
    assert names(turn) == ["find_installed_equipment"]
    assert "Denver Health Medical Center" in turn.reply and "3 × Otis Elevonic 411M" in turn.reply


def test_another_organizations_site_is_not_revealed(runner: AgentRunner, engine: Engine) -> None:
    turn = talk(runner, engine).say("what equipment do we have at the Four Seasons?")
    assert names(turn) == ["find_installed_equipment"]
    assert "isn't among your organization's sites" in turn.reply and "Synergy" not in turn.reply
