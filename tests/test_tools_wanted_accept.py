"""accept_wanted_response on the seeded store: an answer through a listing becomes an accepted offer and a
transaction with the seller's stock reserved; an answer without one becomes a transaction on its own terms; the
post fills, other answers close; who may accept, repeats, expiry, and two answers racing for the last unit."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, text

from tests.deal_helpers import stock_of, stock_row
from tests.tool_helpers import create_test_listing, fails, key, member, ok
from tools.context import Caller, caller_by_email
from tools.registry import invoke, summarize_call
from tools.results import ToolFailure

SUMMIT_TECH = "derek.olson@summitvm.example"
SUMMIT_BUYER = "rachel.kim@summitvm.example"


def _post(engine: Engine, caller: Caller, quantity: int, number: str | None = None) -> tuple[uuid.UUID, str]:
    number = number or f"PPA-{uuid.uuid4().hex[:8].upper()}"
    post = ok(invoke(engine, caller, "create_wanted_post", {
        "description": "Test contactor for a chiller panel", "part_number": number, "manufacturer": "Testco",
        "category": "electrical_contactor", "quantity_needed": quantity, "visibility": "public"},
        idempotency_key=key())).post
    return post.id, number


def _answer(engine: Engine, seller: Caller, post: uuid.UUID, **terms: Any) -> uuid.UUID:
    args = {"wanted_post_id": str(post), "condition": "new", "price": "120", **terms}
    return ok(invoke(engine, seller, "respond_to_wanted_post", args, idempotency_key=key())).response.id


def _state(engine: Engine, post: uuid.UUID) -> tuple[str, int, dict[uuid.UUID, str]]:
    with engine.connect() as conn:
        status, needed = conn.execute(text("SELECT status, quantity_needed FROM wanted_posts WHERE id = :id"),
                                      {"id": post}).one()
        answers = {r.id: r.status for r in conn.execute(
            text("SELECT id, status FROM wanted_responses WHERE wanted_post_id = :id"), {"id": post})}
    return status, needed, answers


def test_accepting_an_answer_with_a_listing_closes_a_deal(engine: Engine, maria: Caller, metro: Caller) -> None:
    item, number = stock_row(engine, metro, 5, prefix="PPA")
    post, _ = _post(engine, maria, 3, number)
    listing = create_test_listing(engine, metro, "PPA", part_number=number, inventory_item_id=str(item), quantity=4,
                                  name="Test contactor", category="electrical_contactor",
                                  fulfillment_options=["local_pickup", "shipping"])
    answer = _answer(engine, metro, post, listing_id=str(listing), condition=None, quantity=2, price="90")
    keystone = member(engine, "Keystone Parts Supply", selling=True)
    other = _answer(engine, keystone, post)
    args = {"response_id": str(answer), "wanted_post_id": str(post)}
    assert summarize_call(engine, maria, "accept_wanted_response", args) == (
        f"Accept Metro Salvage & Surplus' answer and buy 2 × {number}, used (good), at $90 each ($180 total)?")

    fails(invoke(engine, metro, "accept_wanted_response", args, idempotency_key=key()), "forbidden")
    fails(invoke(engine, member(engine, "Rival Lift & Climate", selling=True), "accept_wanted_response", args,
                 idempotency_key=key()), "not_found")
    fails(invoke(engine, caller_by_email(engine, SUMMIT_TECH), "accept_wanted_response", args,
                 idempotency_key=key()), "forbidden")
    fails(invoke(engine, maria, "accept_wanted_response", {**args, "wanted_post_id": str(uuid.uuid4())},
                 idempotency_key=key()), "not_found")
    fails(invoke(engine, maria, "accept_wanted_response", {**args, "quantity": 3}, idempotency_key=key()), "invalid")
    assert _state(engine, post) == ("active", 3, {answer: "open", other: "open"})

    first = key()
    out = ok(invoke(engine, maria, "accept_wanted_response", args, idempotency_key=first))
    tx = out.transaction
    assert tx.seller_organization == "Metro Salvage & Surplus" and tx.buyer_organization == maria.organization_name
    assert tx.subtotal == 180 and tx.parts[0]["quantity"] == 2 and tx.fulfillment_type == "local_pickup"
    assert tx.pickup_code and out.offer_id is not None
    assert out.response.status == "accepted" and out.response.transaction_id == tx.id
    assert out.post_status == "active" and out.quantity_still_needed == 1 and out.other_responses_closed == 0
    assert _state(engine, post) == ("active", 1, {answer: "accepted", other: "open"})
    assert stock_of(engine, item) == (5, 2)
    with engine.connect() as conn:
        offer = conn.execute(text("SELECT status, offered_price, quantity, buyer_id FROM part_offers WHERE id = :id"),
                             {"id": out.offer_id}).one()
        left = conn.execute(text("SELECT quantity_available FROM marketplace_listings WHERE id = :id"),
                            {"id": listing}).scalar_one()
        linked = conn.execute(text("SELECT offer_id, listing_id FROM part_transactions WHERE id = :id"),
                              {"id": tx.id}).one()
    assert (offer.status, offer.offered_price, offer.quantity, offer.buyer_id) == ("accepted", 90, 2, maria.user_id)
    assert left == 2 and (linked.offer_id, linked.listing_id) == (out.offer_id, listing)

    assert ok(invoke(engine, maria, "accept_wanted_response", args, idempotency_key=first)) == out
    again = fails(invoke(engine, maria, "accept_wanted_response", args, idempotency_key=key()), "conflict")
    assert str(tx.id) in again.message
    assert stock_of(engine, item) == (5, 2)
    seen = ok(invoke(engine, maria, "list_wanted_responses", {"wanted_post_id": str(post)})).responses
    assert {r.id: r.transaction_id for r in seen} == {answer: tx.id, other: None}


def test_racing_answers_for_the_last_unit_one_wins(engine: Engine, maria: Caller) -> None:
    post, number = _post(engine, maria, 1)
    prices = {"Keystone Parts Supply": "120", "Apex Elevator Services": "110", "Metro Salvage & Surplus": "105",
              "Northline Mechanical": "99"}
    answers = {_answer(engine, member(engine, org, selling=True), post, quantity=3, price=price): price
               for org, price in prices.items()}
    rachel = caller_by_email(engine, SUMMIT_BUYER)

    def accept(answer: uuid.UUID):  # type: ignore[no-untyped-def]
        return invoke(engine, rachel, "accept_wanted_response", {"response_id": str(answer)}, idempotency_key=key())

    with ThreadPoolExecutor(max_workers=len(answers)) as pool:
        results = list(pool.map(accept, answers))
    won = [r for r in results if not isinstance(r, ToolFailure)]
    lost = [r for r in results if isinstance(r, ToolFailure)]
    assert len(won) == 1 and [f.error for f in lost] == ["conflict"] * 3
    deal = won[0]
    winner = deal.response.id
    assert deal.post_status == "fulfilled" and deal.quantity_still_needed == 0 and deal.other_responses_closed == 3
    assert deal.offer_id is None and deal.transaction.fulfillment_type == "shipping"
    assert deal.transaction.parts[0]["quantity"] == 1 and deal.transaction.parts[0]["part_number"] == number
    assert deal.transaction.total == Decimal(answers[winner])
    assert _state(engine, post) == ("fulfilled", 0, {a: "accepted" if a == winner else "closed" for a in answers})
    with engine.connect() as conn:
        deals = conn.execute(text("SELECT count(*), min(t.listing_id::text) FROM part_transactions t JOIN "
                                  "wanted_responses r ON r.transaction_id = t.id WHERE r.wanted_post_id = :p"),
                             {"p": post}).one()
    assert tuple(deals) == (1, None)
    loser = next(a for a in answers if a != winner)
    fails(invoke(engine, maria, "accept_wanted_response", {"response_id": str(loser)}, idempotency_key=key()),
          "conflict")


def test_expired_posts_and_answers_without_a_price(engine: Engine, maria: Caller, metro: Caller) -> None:
    post, _ = _post(engine, maria, 1)
    no_price = _answer(engine, metro, post, price=None)
    fails(invoke(engine, maria, "accept_wanted_response", {"response_id": str(no_price)}, idempotency_key=key()),
          "invalid")
    keystone = member(engine, "Keystone Parts Supply", selling=True)
    priced = _answer(engine, keystone, post)
    with engine.begin() as conn:
        conn.execute(text("UPDATE wanted_posts SET expires_at = now() - interval '1 day' WHERE id = :id"), {"id": post})
    fails(invoke(engine, maria, "accept_wanted_response", {"response_id": str(priced)}, idempotency_key=key()),
          "unavailable")
    assert _state(engine, post) == ("active", 1, {no_price: "open", priced: "open"})
