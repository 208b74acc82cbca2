"""Every WRITE tool's confirmation sentence on real objects of the seeded store: it names the part (number,
places, organizations, conditions and reasons in words) and shows nothing of the machinery — no ids, no tool
names, no snake_case values; one question. Asked by someone who cannot see the object, it still shows no ids
and tells nothing about the object. The WRITE tools come from the registry, so a new one needs a case here."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text

from agent.reply_draft import internals_in
from knowledge import clock
from tests.deal_helpers import make_deal, stock_row
from tests.order_helpers import listing_source, place_order
from tests.tool_helpers import METRO, create_test_listing, key, member, ok
from tools.context import Caller, caller_by_email
from tools.registry import REGISTRY, ToolKind, invoke, load_all_tools, summarize_call

SUMMIT_MANAGER = "linda.park@summitvm.example"
RIVAL = "Rival Lift & Climate"
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
SNAKE = re.compile(r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b")

load_all_tools()
WRITE_TOOLS = sorted(name for name, spec in REGISTRY.items() if spec.kind is ToolKind.WRITE)


@dataclass
class Case:
    """One confirmation to check: who asks, with which arguments, and what the sentence must say."""

    caller: Caller
    args: dict[str, Any]
    part_number: str
    says: list[str] = field(default_factory=list)
    private: bool = True  # an outsider must not learn the part number from it


def _location(engine: Engine, org: Caller, name: str) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT id FROM stock_locations WHERE organization_id = :o AND name = :n"),
                                {"o": org.organization_id, "n": name}).scalar_one())


def _set_condition(engine: Engine, item: uuid.UUID, condition: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE inventory_items SET condition = :c WHERE id = :id"), {"c": condition, "id": item})


@pytest.fixture(scope="module")
def cases(engine: Engine, maria: Caller, metro: Caller) -> dict[str, list[Case]]:
    """Real objects made through the tools — listings, an auction, an offer, a deal, a hold, stock, a wanted post
    with an answer — and the confirmations to ask about them."""
    linda = caller_by_email(engine, SUMMIT_MANAGER)
    shelf, shelf_number = stock_row(engine, maria, 5, prefix="PPS")  # at Summit Main Warehouse, used (good)
    truck = _location(engine, maria, "Truck 02 (Derek)")
    warehouse = _location(engine, maria, "Summit Main Warehouse")
    held = ok(invoke(engine, maria, "request_emergency_pickup", {"inventory_item_id": str(shelf), "quantity": 1},
                     idempotency_key=key()))

    stock, number = stock_row(engine, metro, 6, prefix="PPS")
    _set_condition(engine, stock, "refurbished")
    listing = str(create_test_listing(engine, metro, "PPS", part_number=number, inventory_item_id=str(stock),
                                      quantity=3, name="Test relay", category="electrical_relay",
                                      fulfillment_options=["local_pickup", "shipping"]))
    draft = str(create_test_listing(engine, metro, "PPS", publish=False, name="Test sensor", category="hvac_sensor"))
    draft_number = ok(invoke(engine, metro, "get_listing", {"listing_id": draft})).part_number
    end = (clock.now() + timedelta(days=3)).isoformat()
    auction = str(create_test_listing(engine, metro, "PPS", listing_type="auction", price=None, starting_bid="100",
                                      auction_end=end, name="Test valve", category="hvac_valve"))
    auction_number = ok(invoke(engine, maria, "get_listing", {"listing_id": auction})).part_number
    offer = ok(invoke(engine, maria, "submit_offer", {"listing_id": listing, "quantity": 1, "offered_price": "90"},
                      idempotency_key=key())).offer.id
    deal, _ = make_deal(engine, metro, maria, "shipping", quantity=1)
    deal_number = ok(invoke(engine, maria, "get_transaction", {"transaction_id": str(deal)})).parts[0]["part_number"]
    post = ok(invoke(engine, maria, "create_wanted_post", {
        "description": "Test relay for a chiller panel", "part_number": number, "manufacturer": "Testco",
        "category": "electrical_relay", "quantity_needed": 2, "visibility": "public"}, idempotency_key=key())).post.id
    answer = ok(invoke(engine, metro, "respond_to_wanted_post", {
        "wanted_post_id": str(post), "listing_id": listing, "quantity": 2, "price": "95"},
        idempotency_key=key())).response.id
    alert = str(ok(invoke(engine, maria, "create_deal_alert", {"part_number": number, "max_price": "120"},
                          idempotency_key=key())).alert.id)
    in_cart = str(ok(invoke(engine, maria, "add_to_cart", {"listing_id": listing}, idempotency_key=key())).item.id)
    used, used_number = stock_row(engine, maria, 4, prefix="PPS")
    job = f"Hyatt {uuid.uuid4().hex[:6]}"
    ok(invoke(engine, linda, "adjust_stock", {"item_id": str(used), "quantity_change": -1, "reason": "used_on_job",
                                              "note": f"{job} car 2"}, idempotency_key=key()))
    sold, _ = listing_source(engine, metro, 4)
    paid, paid_number = place_order(engine, maria, sold, 1)
    _, waiting_number = place_order(engine, maria, sold, 2, status="awaiting_approval")
    ordered = f"1 × {sold.part_number}, $100"

    return {
        "update_order": [
            Case(metro, {"order_id": str(paid), "transition": "ship", "carrier": "UPS",
                         "tracking_number": "1Z999AA10123456784"}, sold.part_number,
                 [f"Mark order {paid_number} ({ordered}) to {maria.organization_name} shipped",
                  "UPS 1Z999AA10123456784"]),
            Case(linda, {"order_number": waiting_number, "transition": "approve"}, sold.part_number,
                 [f"Approve Maria Gonzalez's order {waiting_number} (2 × {sold.part_number}, $200) from {METRO}"]),
            Case(metro, {"order_id": str(paid), "transition": "verify-payment"}, sold.part_number,
                 [f"Confirm the payment for order {paid_number}", "was received"]),
            Case(maria, {"order_id": str(paid), "transition": "cancel", "reason": "found one? on the truck"},
                 sold.part_number, [f"Cancel order {paid_number} ({ordered}) from {METRO}",
                                    "(reason: found one. on the truck)"]),
            Case(maria, {"order_id": str(paid), "transition": "return", "reason": "wrong voltage"}, sold.part_number,
                 [f"Ask to return order {paid_number}", "wrong voltage"])],
        "add_to_cart": [Case(maria, {"listing_id": listing, "quantity": 2}, number,
                             [f"Add 2 × {number} from {METRO}", "$100 each", "to your cart"], private=False)],
        "update_cart_item": [Case(maria, {"item_id": in_cart, "quantity": 2}, number, [METRO, "to 2"])],
        "remove_from_cart": [Case(maria, {"item_id": in_cart}, number, [f"× {number} from {METRO}"]),
                             Case(maria, {"all": True}, "", ["Empty your cart"], private=False)],
        "checkout": [Case(maria, {"ship_to": "Brown Palace job", "po_number": "4471", "shipping_method": "next_day"},
                          METRO, ["Check out", "ship to Brown Palace Hotel", "PO 4471", "next day"])],
        "buy_now": [Case(maria, {"listing_id": listing, "ship_to": "main warehouse", "po_number": "4471"}, number,
                         [f"Buy 1 × {number} from {METRO}", "$100 each", "Summit Main Warehouse", "PO 4471"],
                         private=False)],
        "reorder_used_parts": [Case(maria, {"job": f"the {job} job"}, used_number, [f"1 × {used_number}", job])],
        "accept_wanted_response": [Case(maria, {"response_id": str(answer), "fulfillment_preference": "local_pickup"},
                                        number, [METRO, "used (good)", "$95 each", "local pickup"])],
        "add_stock_item": [Case(linda, {"part_number": "GAA24350BH1", "stock_location_id": warehouse,
                                        "quantity_on_hand": 2, "condition": "used_good"},
                                "GAA24350BH1", ["used (good)", "Summit Main Warehouse"], private=False)],
        "adjust_stock": [Case(linda, {"item_id": str(shelf), "quantity_change": -1, "reason": "used_on_job"},
                              shelf_number, ["Summit Main Warehouse", "used on a job", "leaving 4"]),
                         Case(linda, {"item_id": str(shelf), "quantity_change": 2, "reason": "cycle_count"},
                              shelf_number, ["recount", "making 7"])],
        "cancel_hold": [Case(maria, {"hold_id": str(held.hold_id)}, shelf_number,
                             ["Summit Main Warehouse", held.pickup_code])],
        "cancel_listing": [Case(metro, {"listing_id": listing, "reason": "sold at the counter"}, number,
                                ["Test relay"], private=False)],
        "confirm_transaction_delivered": [Case(maria, {"transaction_id": str(deal)}, deal_number,
                                               [f"1 × {deal_number} from {METRO} was delivered"])],
        "create_listing": [
            Case(metro, {"listing_type": "sale", "inventory_item_id": str(stock), "quantity": 1, "price": "1234"},
                 number, ["refurbished", "$1,234 each", "visible to the industry"]),
            Case(metro, {"listing_type": "sale", "part_number": "GAA24350BH1", "condition": "used_good",
                         "price": "4650", "visibility": "network"},
                 "GAA24350BH1", ["used (good)", "$4,650", "your partner network"], private=False),
            Case(metro, {"listing_type": "auction", "part_number": "GAA24350BH1", "condition": "for_parts",
                         "starting_bid": "500", "reserve_price": "900", "auction_end": end},
                 "GAA24350BH1", ["for parts", "$500", "reserve of $900", "UTC"], private=False)],
        "create_deal_alert": [Case(maria, {"part_number": "GAA26800LC1", "max_price": "400", "within_km": 80.5,
                                           "conditions": ["used_excellent", "used_good", "used_fair"]},
                                   "GAA26800LC1", ["used GAA26800LC1 under $400 within 50 mi"], private=False)],
        "delete_deal_alert": [Case(maria, {"alert_id": alert}, number, ["Delete your deal alert", "under $120"])],
        "update_deal_alert": [Case(maria, {"alert_id": alert, "max_price": "90"}, number, ["max price $90"]),
                              Case(maria, {"all_mine": True, "paused": True}, "", ["Pause all"], private=False)],
        "create_wanted_post": [Case(maria, {"description": "Door operator for a Gen2", "part_number": "GAA26800LC1",
                                            "quantity_needed": 2, "acceptable_conditions": ["new", "used_excellent"],
                                            "max_price": "5000", "urgency": "urgent"},
                                    "GAA26800LC1", ["new or used (excellent)", "$5,000", "the industry"],
                                    private=False)],
        "mark_transaction_shipped": [Case(metro, {"transaction_id": str(deal), "carrier": "UPS",
                                                  "tracking_number": "1Z84F1230347289910"}, deal_number,
                                          [f"your sale of 1 × {deal_number} to {maria.organization_name}",
                                           "(UPS 1Z84F1230347289910)"])],
        "place_bid": [Case(maria, {"listing_id": auction, "max_bid": "250"}, auction_number, ["$250", METRO],
                           private=False)],
        "publish_listing": [Case(metro, {"listing_id": draft}, draft_number, ["Test sensor"], private=False)],
        "request_emergency_pickup": [Case(maria, {"inventory_item_id": str(shelf), "quantity": 1}, shelf_number,
                                          ["Summit Main Warehouse"], private=False)],
        "respond_to_offer": [
            Case(metro, {"offer_id": str(offer), "action": "accept"}, number, [maria.organization_name, "$90"]),
            Case(metro, {"offer_id": str(offer), "action": "counter", "counter_price": "1100"}, number,
                 ["$1,100"]),
            Case(metro, {"offer_id": str(offer), "action": "reject"}, number, ["Decline"])],
        "respond_to_wanted_post": [Case(metro, {"wanted_post_id": str(post), "listing_id": listing, "price": "95"},
                                        number, [maria.organization_name, "used (good)", "$95 each"],
                                        private=False)],
        "review_transaction": [Case(maria, {"transaction_id": str(deal), "rating": 4, "review": "Fast"},
                                    deal_number, [f"Rate {METRO} 4/5"])],
        "submit_offer": [Case(maria, {"listing_id": listing, "quantity": 2, "offered_price": "1250.5",
                                      "fulfillment_preference": "local_pickup"}, number,
                              ["$1,250.50 each", "$2,501 total", METRO, "local pickup"], private=False)],
        "transfer_stock": [Case(linda, {"item_id": str(shelf), "to_location_id": truck, "quantity": 2}, shelf_number,
                                [f"2 × {shelf_number} from Summit Main Warehouse to Truck 02 (Derek)"])],
        "update_listing": [Case(metro, {"listing_id": listing, "price": "1234", "visibility": "public",
                                        "condition": "used_fair", "fulfillment_options": ["local_pickup", "will_call"],
                                        "minimum_order_quantity": 2, "price_negotiable": False}, number,
                                ["price $1,234", "visible to everyone", "used (fair)", "local pickup or will call",
                                 "minimum order 2", "price firm"], private=False)],
        "update_stock_item": [Case(linda, {"item_id": str(shelf), "list_price": "1234", "bin_location": "A-12",
                                           "available_for_sale": False, "condition": "salvage", "reorder_point": 3},
                                   shelf_number, ["list price $1,234", "bin A-12", "not offered for sale", "salvage",
                                                  "reorder point 3"])],
        "watch_listing": [Case(maria, {"listing_id": listing, "price_alert_threshold": "80"}, number, ["$80"],
                               private=False)],
        "withdraw_offer": [Case(maria, {"offer_id": str(offer)}, number, [METRO])],
        "mark_notifications_read": [Case(metro, {"notification_ids": [str(_notice_about(engine, metro, offer))]},
                                         number, ["Mark read", "New offer on"])],
        "set_notification_preferences": [
            Case(maria, {"quiet_hours": {"start": "18:00", "end": "07:00"}, "time_zone": "America/Denver"}, "",
                 ["quiet hours 18:00–07:00 (America/Denver)", "held until they end"], private=False),
            Case(maria, {"only_topics": ["offers"], "topics": [{"topic": "orders", "cadence": "daily"}]}, "",
                 ["offers only", "orders: as a daily digest"], private=False)],
    }


def _notice_about(engine: Engine, who: Caller, subject: uuid.UUID) -> uuid.UUID:
    with engine.connect() as conn:
        return uuid.UUID(str(conn.execute(text(
            "SELECT id FROM notifications WHERE user_id = :u AND subject_id = :s ORDER BY created_at LIMIT 1"),
            {"u": who.user_id, "s": subject}).scalar_one()))


def machinery_in(sentence: str, part_numbers: list[str]) -> list[str]:
    """What a person must not read in a confirmation: ids, tool names, snake_case values (part numbers aside)."""
    found = internals_in(sentence) + UUID.findall(sentence)
    found += [name for name in REGISTRY if re.search(rf"\b{name}\b", sentence)]
    plain = sentence
    for number in part_numbers:
        plain = plain.replace(number, " ")
    return found + SNAKE.findall(plain)


def test_every_write_tool_has_a_case(cases: dict[str, list[Case]]) -> None:
    assert set(cases) == set(WRITE_TOOLS), "give each WRITE tool a confirmation case here"


@pytest.mark.parametrize("name", WRITE_TOOLS)
def test_confirmation_names_the_part_and_hides_the_machinery(engine: Engine, cases: dict[str, list[Case]],
                                                             name: str) -> None:
    assert name in cases, f"no confirmation case for the WRITE tool {name}"
    for case in cases[name]:
        sentence = summarize_call(engine, case.caller, name, case.args)
        assert machinery_in(sentence, [case.part_number]) == [], sentence
        assert sentence.endswith("?") and sentence.count("?") == 1, sentence
        assert case.part_number in sentence, sentence
        for words in case.says:
            assert words in sentence, (words, sentence)


@pytest.mark.parametrize("name", WRITE_TOOLS)
def test_an_outsider_reads_no_ids_and_nothing_private(engine: Engine, cases: dict[str, list[Case]],
                                                      name: str) -> None:
    outsider = member(engine, RIVAL, selling=True)
    for case in cases.get(name, []):
        sentence = summarize_call(engine, outsider, name, case.args)
        assert machinery_in(sentence, [case.part_number]) == [], sentence
        assert sentence.endswith("?") and sentence.count("?") == 1, sentence
        if case.private:
            assert case.part_number not in sentence, sentence
