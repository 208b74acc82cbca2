"""The orders REST contract: every status × transition — the legal ones made by their side (200, the order and its
history changed), refused for the other side (403) and for everyone where the status does not allow it (409 with
the status and what can be done); another organization's order is 404 and unchanged; lists by role, status and
words, paged; the invoice route beside these still answers."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api_helpers import api_client, body, error, headers_for
from tests.order_helpers import (
    TIMESTAMP,
    Source,
    advance,
    listing_source,
    order_history,
    order_row,
    place_order,
)
from tests.tool_helpers import OUTSIDER
from tools.context import Caller, caller_by_email

pytestmark = pytest.mark.long_module(30)  # seconds, all its tests (tests/conftest.py orders by it)

STATUSES = ("awaiting_approval", "pending_payment", "payment_verified", "processing", "packed", "shipped",
            "delivered", "return_requested", "returned", "cancelled")
TRANSITIONS = ("approve", "reject", "cancel", "verify-payment", "pack", "ship", "deliver", "return")
# The agreed workflow (the brief), written out here independently of the code's table:
# (status, transition) → (who makes it, the status it leads to).
LEGAL: dict[tuple[str, str], tuple[str, str]] = {
    ("awaiting_approval", "approve"): ("approver", "pending_payment"),
    ("payment_verified", "approve"): ("seller", "processing"),
    ("awaiting_approval", "reject"): ("approver", "cancelled"),
    **{(s, "reject"): ("seller", "cancelled") for s in ("pending_payment", "payment_verified", "processing")},
    **{(s, "cancel"): ("orderer", "cancelled") for s in ("awaiting_approval", "pending_payment", "payment_verified",
                                                          "processing")},
    ("pending_payment", "verify-payment"): ("seller", "payment_verified"),
    **{(s, "pack"): ("seller", "packed") for s in ("payment_verified", "processing")},
    **{(s, "ship"): ("seller", "shipped") for s in ("payment_verified", "processing", "packed")},
    ("shipped", "deliver"): ("receiver", "delivered"),
    ("delivered", "return"): ("orderer", "return_requested"),
    ("return_requested", "return"): ("seller", "returned"),
}
# Who of the order's two organizations may not make a step that is someone else's.
WRONG_SIDE = {"approver": ("derek", "ray"), "seller": ("derek", "linda"), "orderer": ("ray", "maria"),
              "receiver": ()}  # either side's people may say it arrived
DETAILS = {"reason": "wrong voltage", "carrier": "UPS", "tracking_number": "1Z999AA10123456784"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return api_client()


@pytest.fixture(scope="module")
def people(engine: Engine) -> dict[str, Caller]:
    summit = "summitvm.example"
    return {"derek": caller_by_email(engine, f"derek.olson@{summit}"),
            "maria": caller_by_email(engine, f"maria.gonzalez@{summit}"),
            "linda": caller_by_email(engine, f"linda.park@{summit}"),
            "ray": caller_by_email(engine, "ray.kowalski@metrosalvage.example"),
            "keystone": caller_by_email(engine, "paul.ferraro@keystoneparts.example"),
            "rival": caller_by_email(engine, OUTSIDER)}


@pytest.fixture(scope="module")
def auth(engine: Engine, people: dict[str, Caller]) -> dict[str, dict[str, str]]:
    return {name: headers_for(engine, who) for name, who in people.items()}


@pytest.fixture(scope="module")
def stock(engine: Engine, people: dict[str, Caller]) -> Source:
    return listing_source(engine, people["ray"], 400)[0]


def order_in(engine: Engine, people: dict[str, Caller], stock: Source, status: str) -> tuple[uuid.UUID, str]:
    first = "awaiting_approval" if status == "awaiting_approval" else "pending_payment"
    order, number = place_order(engine, people["derek"], stock, 1, status=first)
    advance(engine, order, status, people["derek"], people["ray"])
    assert order_row(engine, order).status == status
    return order, number


def post(client: TestClient, auth: dict[str, str], order: uuid.UUID, transition: str) -> Any:
    return client.post(f"/api/v1/orders/{order}/{transition}", json=DETAILS,
                       headers={**auth, "Idempotency-Key": f"test-{uuid.uuid4()}"})


@pytest.mark.parametrize("transition", TRANSITIONS)
@pytest.mark.parametrize("status", STATUSES)
def test_every_status_and_transition(engine: Engine, client: TestClient, people: dict[str, Caller],
                                     auth: dict[str, dict[str, str]], stock: Source, status: str,
                                     transition: str) -> None:
    order, number = order_in(engine, people, stock, status)
    history = order_history(engine, order)
    error(post(client, auth["rival"], order, transition), 404, "not_found")
    assert order_history(engine, order) == history, "another organization changes nothing"
    if (status, transition) not in LEGAL:
        for who in ("derek", "linda", "ray"):
            refused = error(post(client, auth[who], order, transition), 409, "conflict")
            assert refused["message"].startswith(f"Order {number} is "), refused
            assert any(w in refused["message"] for w in ("no longer", "yet", "any more")), refused
        assert order_row(engine, order).status == status and order_history(engine, order) == history
        return
    actor, target = LEGAL[(status, transition)]
    for who in WRONG_SIDE[actor]:
        refused = error(post(client, auth[who], order, transition), 403, "forbidden")
        assert f"Order {number} is " in refused["message"] and "only" in refused["message"], refused
    assert order_row(engine, order).status == status and order_history(engine, order) == history
    maker = {"approver": "linda", "seller": "ray", "orderer": "derek", "receiver": "maria"}[actor]
    done = body(post(client, auth[maker], order, transition))
    assert (done["from_status"], done["order"]["status"], done["transition"]) == (status, target, transition)
    assert done["message"].startswith(f"Order {number} ")
    row = order_row(engine, order)
    assert row.status == target
    if target in TIMESTAMP:
        assert getattr(row, TIMESTAMP[target]) is not None
    assert order_history(engine, order) == [*history, (status, target, people[maker].user_id)]


def test_lists_by_side_status_and_words_paged(engine: Engine, client: TestClient, people: dict[str, Caller],
                                              auth: dict[str, dict[str, str]]) -> None:
    source, _ = listing_source(engine, people["ray"], 10)
    placed = [place_order(engine, people["derek"], source, 1) for _ in range(3)]
    first = body(client.get("/api/v1/orders", params={"q": source.part_number, "page_size": 2},
                            headers=auth["linda"]))
    assert (first["total"], first["has_more"]) == (3, True)
    assert [o["order_number"] for o in first["items"]] == [placed[2][1], placed[1][1]], "newest first"
    assert first["items"][0]["role"] == "buyer" and first["items"][0]["lines"] == f"1 × {source.part_number}"
    second = body(client.get("/api/v1/orders", params={"q": source.part_number, "page_size": 2, "page": 2},
                             headers=auth["linda"]))
    assert [o["order_number"] for o in second["items"]] == [placed[0][1]] and not second["has_more"]

    sold = body(client.get("/api/v1/orders", params={"role": "seller", "q": source.part_number},
                           headers=auth["ray"]))
    assert sold["total"] == 3 and {o["role"] for o in sold["items"]} == {"seller"}
    assert sold["items"][0]["next_steps"] == ["reject", "verify-payment"]
    assert body(client.get("/api/v1/orders", params={"role": "buyer", "q": source.part_number},
                           headers=auth["ray"]))["total"] == 0
    error(client.get("/api/v1/orders", params={"role": "seller"}, headers=auth["maria"]), 403, "forbidden")
    advance(engine, placed[0][0], "cancelled", people["derek"], people["ray"])
    live = body(client.get("/api/v1/orders", params={"q": source.part_number, "status": "pending_payment"},
                           headers=auth["derek"]))
    assert {o["order_number"] for o in live["items"]} == {placed[1][1], placed[2][1]}
    by_number = body(client.get("/api/v1/orders", params={"q": placed[1][1]}, headers=auth["derek"]))
    assert [o["order_number"] for o in by_number["items"]] == [placed[1][1]]
    site = body(client.get("/api/v1/orders", params={"site": "brown palace", "q": source.part_number,
                                                     "mine": True}, headers=auth["derek"]))
    assert site["total"] == 3
    assert body(client.get("/api/v1/orders", params={"mine": True, "q": source.part_number},
                           headers=auth["linda"]))["total"] == 0

    for outsider in ("rival", "keystone"):
        assert body(client.get("/api/v1/orders", params={"q": source.part_number},
                               headers=auth[outsider]))["total"] == 0
        error(client.get(f"/api/v1/orders/{placed[1][0]}", headers=auth[outsider]), 404, "not_found")
    seen = body(client.get(f"/api/v1/orders/{placed[1][0]}", headers=auth["ray"]))
    assert (seen["role"], seen["buyer_name"], seen["seller_organization"]) == (
        "seller", "Derek Olson", "Metro Salvage & Surplus")
    assert seen["history"][0]["from_status"] is None and seen["history"][0]["by"] == "Derek Olson"


def test_the_order_routes_leave_the_invoice_and_unknown_steps_alone(engine: Engine, client: TestClient,
                                                                    people: dict[str, Caller],
                                                                    auth: dict[str, dict[str, str]],
                                                                    stock: Source) -> None:
    order, _ = order_in(engine, people, stock, "pending_payment")
    view = body(client.get(f"/api/v1/orders/{order}", headers=auth["derek"]))
    pdf = client.get(view["invoice_url"], headers=auth["derek"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf", pdf.text[:200]
    error(post(client, auth["ray"], order, "refund"), 422)
    error(client.post(f"/api/v1/orders/{order}/ship", json={"tracking_number": "1Z" * 60}, headers=auth["ray"]),
          422)
    assert order_row(engine, order).status == "pending_payment"
    schema = client.get("/openapi.json").json()
    step = schema["paths"]["/api/v1/orders/{order_id}/{transition}"]["post"]
    assert step["x-tool"] == "update_order"
    [param] = [p for p in step["parameters"] if p["name"] == "transition"]
    assert sorted(param["schema"]["enum"]) == sorted(TRANSITIONS)
