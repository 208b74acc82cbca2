"""Transaction tools: list / get as either party, ship → delivered → reviews → completed, stock leaving the
seller's inventory, and who may do what."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, text

from tests.deal_helpers import make_deal, stock_of
from tests.tool_helpers import fails, key, member, ok
from tools.context import Caller
from tools.registry import invoke


def test_ship_deliver_review_complete(engine: Engine, maria: Caller, metro: Caller) -> None:
    tx, item = make_deal(engine, metro, maria, "shipping")
    assert stock_of(engine, item) == (5, 2)
    fails(invoke(engine, maria, "mark_transaction_shipped", {"transaction_id": str(tx), "tracking_number": "1Z9"},
                 idempotency_key=key()), "forbidden")
    fails(invoke(engine, maria, "confirm_transaction_delivered", {"transaction_id": str(tx)},
                 idempotency_key=key()), "conflict")
    shipped = ok(invoke(engine, metro, "mark_transaction_shipped",
                        {"transaction_id": str(tx), "carrier": "UPS", "tracking_number": "1Z999"},
                        idempotency_key=key()))
    assert shipped.transaction.status == "shipped" and shipped.transaction.tracking_number == "UPS 1Z999"
    assert stock_of(engine, item) == (3, 0)
    fails(invoke(engine, metro, "mark_transaction_shipped", {"transaction_id": str(tx), "tracking_number": "1Z9"},
                 idempotency_key=key()), "conflict")
    fails(invoke(engine, metro, "confirm_transaction_delivered", {"transaction_id": str(tx)},
                 idempotency_key=key()), "forbidden")
    fails(invoke(engine, maria, "review_transaction", {"transaction_id": str(tx), "rating": 5},
                 idempotency_key=key()), "conflict")
    delivered = ok(invoke(engine, maria, "confirm_transaction_delivered", {"transaction_id": str(tx)},
                          idempotency_key=key()))
    assert delivered.transaction.status == "delivered" and delivered.transaction.delivered_at is not None
    with engine.connect() as conn:
        before = conn.execute(text("SELECT rating_count FROM seller_ratings WHERE organization_id = :o"),
                              {"o": metro.organization_id}).scalar() or 0
    rated = ok(invoke(engine, maria, "review_transaction", {"transaction_id": str(tx), "rating": 4,
                                                            "review": "Fast"}, idempotency_key=key()))
    assert rated.transaction.seller_rating == 4 and rated.transaction.status == "delivered"
    fails(invoke(engine, maria, "review_transaction", {"transaction_id": str(tx), "rating": 1},
                 idempotency_key=key()), "conflict")
    done = ok(invoke(engine, metro, "review_transaction", {"transaction_id": str(tx), "rating": 5},
                     idempotency_key=key()))
    assert done.transaction.status == "completed" and done.transaction.buyer_rating == 5
    with engine.connect() as conn:
        after = conn.execute(text("SELECT rating_count FROM seller_ratings WHERE organization_id = :o"),
                             {"o": metro.organization_id}).scalar()
    assert after == before + 1


def test_pickup_is_delivered_without_shipping(engine: Engine, maria: Caller, metro: Caller) -> None:
    tx, item = make_deal(engine, metro, maria, "local_pickup", quantity=1)
    done = ok(invoke(engine, maria, "confirm_transaction_delivered", {"transaction_id": str(tx)},
                     idempotency_key=key()))
    assert done.transaction.status == "delivered" and stock_of(engine, item) == (4, 0)


def test_list_and_get_only_own_transactions(engine: Engine, maria: Caller, metro: Caller) -> None:
    tx, _ = make_deal(engine, metro, maria, quantity=1)
    bought = ok(invoke(engine, maria, "list_transactions", {"role": "buyer", "limit": 100}))
    assert tx in {t.id for t in bought.transactions} and bought.total >= 1
    assert all(t.role == "buyer" for t in bought.transactions)
    sold = ok(invoke(engine, metro, "list_transactions", {"role": "seller", "status": "pending"}))
    assert all(t.role == "seller" and t.status == "pending" for t in sold.transactions)
    page2 = ok(invoke(engine, metro, "list_transactions", {"limit": 1, "offset": 1}))
    assert len(page2.transactions) <= 1
    assert ok(invoke(engine, maria, "get_transaction", {"transaction_id": str(tx)})).role == "buyer"
    outsider = member(engine, "Rival Lift & Climate", selling=True)
    fails(invoke(engine, outsider, "get_transaction", {"transaction_id": str(tx)}), "not_found")
    fails(invoke(engine, outsider, "mark_transaction_shipped", {"transaction_id": str(tx), "tracking_number": "X12"},
                 idempotency_key=key()), "not_found")
    fails(invoke(engine, maria, "get_transaction", {"transaction_id": str(uuid.uuid4())}), "not_found")


def test_ship_is_idempotent(engine: Engine, maria: Caller, metro: Caller) -> None:
    tx, item = make_deal(engine, metro, maria, quantity=1)
    k = key()
    args = {"transaction_id": str(tx), "tracking_number": "TRK123"}
    first = ok(invoke(engine, metro, "mark_transaction_shipped", args, idempotency_key=k))
    again = ok(invoke(engine, metro, "mark_transaction_shipped", args, idempotency_key=k))
    assert first.transaction.shipped_at == again.transaction.shipped_at and stock_of(engine, item) == (4, 0)
