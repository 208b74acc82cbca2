"""Helpers for the local planner's scripted conversations: a conversation driver over the real graph, and
fresh marketplace fixtures (listings, offers, auctions) made through the tool registry."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

from agent.runner import AgentRunner, TurnResult
from tools.context import Caller, caller_by_email
from tools.registry import invoke
from tools.results import ToolFailure

TECH = "maria.gonzalez@summitvm.example"
PARTS_MANAGER = "linda.park@summitvm.example"
METRO_SELLER = "ray.kowalski@metrosalvage.example"
APEX_SELLER = "megan.doyle@apexelevator.example"
APEX_TECH = "ben.carter@apexelevator.example"
HOLDS = "SELECT count(*) FROM stock_holds WHERE user_id = :u"
OFFERS_ON = "SELECT count(*) FROM part_offers WHERE listing_id = :l"
MY_LISTINGS = "SELECT count(*) FROM marketplace_listings WHERE seller_id = :u"
WANTED = "SELECT count(*) FROM wanted_posts WHERE requester_id = :u"


@dataclass
class Conversation:
    """One thread of the real graph: say() a message, inspect the turn."""

    runner: AgentRunner
    caller: Caller
    thread: str = field(default_factory=lambda: f"lp-{uuid.uuid4()}")
    turns: list[TurnResult] = field(default_factory=list)

    def say(self, text_: str, photo_ids: list[str] | None = None) -> TurnResult:
        turn = self.runner.send(self.thread, self.caller, text_, photo_ids=tuple(photo_ids or ()))
        self.turns.append(turn)
        return turn

    def shown(self) -> list[dict[str, Any]]:
        """What the planner's last reply listed (the items "the second one" refers to), from the dialogue state
        the graph keeps for it."""
        state = self.runner.graph.get_state(self.runner.config(self.thread, self.caller))
        listed = (state.values.get("planner_state") or {}).get("listed") or {}
        return [item.get("data") or {} for item in listed.get("items") or []]


def names(turn: TurnResult) -> list[str]:
    return [c.name for c in turn.tool_calls]


def args_of(turn: TurnResult, name: str) -> dict[str, Any]:
    calls = [c for c in turn.tool_calls if c.name == name]
    assert calls, f"{name} not called; calls: {names(turn)}; reply: {turn.reply}"
    return calls[-1].args


def ok(result: Any) -> Any:
    assert not isinstance(result, ToolFailure), result
    return result


def count(engine: Engine, sql: str, **params: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def fresh_number() -> str:
    return f"PPL-{random.randint(100000, 999999)}"


def live_listing(engine: Engine, seller: Caller, **fields: Any) -> tuple[str, str]:
    """A published public listing of an uncatalogued test part; returns (listing id, part number)."""
    number = fields.pop("part_number", None) or fresh_number()
    args = {"listing_type": "sale", "part_number": number, "manufacturer": "Testco", "name": "Door operator test unit",
            "category": "elevator_door", "condition": "used_good", "quantity": 3, "price": "100",
            "visibility": "public", "fulfillment_options": ["shipping", "local_pickup"], **fields}
    created = ok(invoke(engine, seller, "create_listing", args, idempotency_key=f"lp-{uuid.uuid4()}"))
    ok(invoke(engine, seller, "publish_listing", {"listing_id": str(created.listing.id)},
              idempotency_key=f"lp-{uuid.uuid4()}"))
    return str(created.listing.id), created.listing.part_number


def live_auction(engine: Engine, seller: Caller) -> tuple[str, str]:
    end = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    return live_listing(engine, seller, listing_type="auction", price=None, starting_bid="100", bid_increment="10",
                        auction_end=end)


def pending_offer(engine: Engine, buyer: Caller, listing_id: str, price: str = "90") -> str:
    made = ok(invoke(engine, buyer, "submit_offer", {"listing_id": listing_id, "offered_price": price, "quantity": 1},
                     idempotency_key=f"lp-{uuid.uuid4()}"))
    return str(made.offer.id)


def offer_status(engine: Engine, offer_id: str) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT status FROM part_offers WHERE id = :id"), {"id": offer_id}).scalar_one())


def unlisted_part_fitting(engine: Engine, model: str) -> str:
    """A catalog part with a compatibility row for `model`, no supersession links and no listings."""
    with engine.connect() as conn:
        return str(conn.execute(text(
            "SELECT p.part_number FROM parts_catalog p JOIN part_compatibility pc ON pc.part_id = p.id "
            "JOIN equipment_models em ON em.id = pc.equipment_model_id WHERE em.model = :m "
            "AND p.organization_id IS NULL AND NOT p.is_discontinued AND p.part_number ~ '^[A-Z]{3}[0-9]{5}[A-Z0-9]+$' "
            "AND NOT EXISTS (SELECT 1 FROM part_supersessions s WHERE p.id IN (s.old_part_id, s.new_part_id)) "
            "AND NOT EXISTS (SELECT 1 FROM marketplace_listings l WHERE l.part_id = p.id) "
            "AND (SELECT count(*) FROM parts_catalog q WHERE q.part_number = p.part_number) = 1 "
            "ORDER BY p.part_number LIMIT 1"), {"m": model}).scalar_one())


def holdable_part(engine: Engine, organization: str) -> str:
    """A catalog part the organization offers for sale with free units on a shelf (not a truck)."""
    with engine.connect() as conn:
        return str(conn.execute(text(
            "SELECT i.part_number FROM inventory_items i JOIN organizations o ON o.id = i.organization_id "
            "JOIN stock_locations s ON s.id = i.stock_location_id JOIN parts_catalog p ON p.id = i.part_id "
            "WHERE o.name = :org AND i.available_for_sale AND i.quantity_available >= 2 AND s.is_active "
            "AND s.location_type <> 'truck' AND p.organization_id IS NULL "
            "AND (SELECT count(*) FROM parts_catalog q WHERE q.part_number = p.part_number) = 1 "
            "ORDER BY i.quantity_available DESC, i.part_number LIMIT 1"), {"org": organization}).scalar_one())


def caller(engine: Engine, email: str, channel: str = "cli") -> Caller:
    return caller_by_email(engine, email, channel=channel)


def nameplate_photo(engine: Engine, email: str, number: str, maker: str, name: str,
                    injected_text: str | None = None) -> str:
    """A nameplate photo of the part, stored as sent by `email`: its photo id."""
    from evals.nameplates import NameplateSpec, render_nameplate
    from tools.photos.store import save_photo

    image = render_nameplate(NameplateSpec(manufacturer=maker, part_number=number, name=name), seed=7,
                             rotation=0, blur=0.3, noise=2, glare=False, barcode=True, injected_text=injected_text)
    return save_photo(engine, caller(engine, email), image)


def talk(runner: AgentRunner, engine: Engine, email: str = TECH, channel: str = "cli") -> Conversation:
    return Conversation(runner, caller(engine, email, channel))
