"""The offline local planner through the real graph and the Postgres checkpointer, on offers: made (after a
fit check when the equipment is named), accepted, rejected, countered and withdrawn — asserting the tool calls
made and the database outcome (rows only after a yes)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from agent.planners.local import LocalPlanner
from agent.runner import AgentRunner
from tests.local_planner_scripts import (
    APEX_TECH,
    METRO_SELLER,
    OFFERS_ON,
    PARTS_MANAGER,
    TECH,
    args_of,
    caller,
    count,
    live_listing,
    names,
    offer_status,
    pending_offer,
    talk,
    unlisted_part_fitting,
)


@pytest.fixture(scope="module")
def runner(engine: Engine) -> AgentRunner:
    return AgentRunner(engine, LocalPlanner())


# ---- offers -----------------------------------------------------------------------------------------------

def test_offer_on_a_listing_after_yes(runner: AgentRunner, engine: Engine) -> None:
    listing_id, number = live_listing(engine, caller(engine, METRO_SELLER), price="150")
    chat = talk(runner, engine)
    found = chat.say(f"who is selling {number}?")
    assert args_of(found, "search_listings")["part_number"] == number
    asked = chat.say("offer $120 on the first one, local pickup")
    call = args_of(asked, "submit_offer")
    assert call["listing_id"] == listing_id and float(call["offered_price"]) == 120
    assert call["fulfillment_preference"] == "local_pickup" and count(engine, OFFERS_ON, l=listing_id) == 0
    sent = chat.say("yes")
    assert count(engine, OFFERS_ON, l=listing_id) == 1 and "Offer sent" in sent.reply


def test_offer_declined_sends_nothing(runner: AgentRunner, engine: Engine) -> None:
    listing_id, number = live_listing(engine, caller(engine, METRO_SELLER))
    chat = talk(runner, engine)
    chat.say(f"who is selling {number}?")
    chat.say("the first one")
    asked = chat.say("offer 80 for it")
    assert asked.confirmation is not None and asked.confirmation.tool == "submit_offer"
    chat.say("no")
    assert count(engine, OFFERS_ON, l=listing_id) == 0


def test_offer_amount_asked_when_missing_then_changed_at_confirmation(runner: AgentRunner, engine: Engine) -> None:
    listing_id, number = live_listing(engine, caller(engine, METRO_SELLER), price="140")
    chat = talk(runner, engine)
    chat.say(f"who is selling {number}?")
    assert "What price" in chat.say("make an offer on the first one").reply
    assert chat.say("$110").confirmation is not None
    changed = chat.say("make it 115")
    assert float(changed.confirmation.args["offered_price"]) == 115  # type: ignore[union-attr]
    chat.say("yes")
    assert count(engine, OFFERS_ON + " AND offered_price = 115", l=listing_id) == 1


def test_offer_checks_fit_first_when_equipment_is_named(runner: AgentRunner, engine: Engine) -> None:
    number = unlisted_part_fitting(engine, "Gen2")
    listing_id, _ = live_listing(engine, caller(engine, METRO_SELLER), part_number=number, manufacturer="Otis")
    chat = talk(runner, engine)
    chat.say(f"who is selling {number}?")
    asked = chat.say("offer $90 on the first one for our Otis Gen2")
    assert names(asked) == ["check_compatibility", "submit_offer"]
    assert args_of(asked, "check_compatibility")["equipment_model"] == "Gen2"
    chat.say("yes")
    assert count(engine, OFFERS_ON, l=listing_id) == 1


def test_offer_refused_when_the_part_does_not_fit(runner: AgentRunner, engine: Engine) -> None:
    number = unlisted_part_fitting(engine, "Gen2")
    listing_id, _ = live_listing(engine, caller(engine, METRO_SELLER), part_number=number, manufacturer="Otis")
    chat = talk(runner, engine)
    chat.say(f"who is selling {number}?")
    turn = chat.say("offer $90 on the first one for our Carrier 48TC")
    assert names(turn) == ["check_compatibility"] and turn.confirmation is None
    assert "won't send" in turn.reply and count(engine, OFFERS_ON, l=listing_id) == 0


def _received_offer(engine: Engine) -> tuple[str, str, str]:
    listing_id, number = live_listing(engine, caller(engine, PARTS_MANAGER), price="200")
    return listing_id, number, pending_offer(engine, caller(engine, APEX_TECH), listing_id, "150")


def test_seller_accepts_a_received_offer(runner: AgentRunner, engine: Engine) -> None:
    _, number, offer_id = _received_offer(engine)
    chat = talk(runner, engine, PARTS_MANAGER)
    listed = chat.say("any offers on our listings?")
    assert args_of(listed, "list_offers")["direction"] == "received"
    asked = chat.say(f"accept the offer on {number}")
    assert asked.confirmation is not None and asked.confirmation.args == {"offer_id": offer_id, "action": "accept"}
    assert offer_status(engine, offer_id) == "pending"
    done = chat.say("yes")
    assert offer_status(engine, offer_id) == "accepted" and done.reply.startswith("Accepted")


def test_seller_rejects_a_received_offer(runner: AgentRunner, engine: Engine) -> None:
    _, number, offer_id = _received_offer(engine)
    chat = talk(runner, engine, PARTS_MANAGER)
    asked = chat.say(f"reject the offer from Apex on {number}")
    assert names(asked) == ["list_offers", "respond_to_offer"]
    assert asked.confirmation.args["action"] == "reject"  # type: ignore[union-attr]
    chat.say("yes")
    assert offer_status(engine, offer_id) == "rejected"


def test_seller_counters_and_declining_changes_nothing(runner: AgentRunner, engine: Engine) -> None:
    _, number, offer_id = _received_offer(engine)
    chat = talk(runner, engine, PARTS_MANAGER)
    asked = chat.say(f"counter the {number} offer at $180")
    call = args_of(asked, "respond_to_offer")
    assert call["action"] == "counter" and float(call["counter_price"]) == 180
    chat.say("no")
    assert offer_status(engine, offer_id) == "pending"
    again = chat.say(f"counter the {number} offer at $185")
    assert again.confirmation is not None
    chat.say("yes")
    assert offer_status(engine, offer_id) == "countered"


def test_buyer_withdraws_their_offer(runner: AgentRunner, engine: Engine) -> None:
    listing_id, number = live_listing(engine, caller(engine, METRO_SELLER))
    offer_id = pending_offer(engine, caller(engine, TECH), listing_id, "60")
    chat = talk(runner, engine)
    asked = chat.say(f"withdraw my offer on {number}")
    assert asked.confirmation is not None and asked.confirmation.args["offer_id"] == offer_id
    chat.say("yes")
    assert offer_status(engine, offer_id) == "withdrawn"
