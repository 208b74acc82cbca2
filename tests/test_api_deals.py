"""REST transactions, wanted posts, auction bids and the watchlist: each flow end to end over HTTP, plus the
403 / 404 / 422 answers for the wrong caller or bad input."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api_helpers import body, error
from tests.deal_helpers import make_deal, stock_of
from tests.tool_helpers import MARIA, SELLER, create_test_listing
from tools.context import caller_by_email

MARKET = "/api/v1/marketplace"


def test_transaction_ship_deliver_review(client: TestClient, engine: Engine, tech: dict[str, str],
                                         seller: dict[str, str], outsider: dict[str, str]) -> None:
    tx, item = make_deal(engine, caller_by_email(engine, SELLER), caller_by_email(engine, MARIA))
    url = f"{MARKET}/transactions/{tx}"
    assert body(client.get(url, headers=tech))["role"] == "buyer"
    assert body(client.get(url, headers=seller))["role"] == "seller"
    error(client.get(url, headers=outsider), 404, "not_found")
    bought = body(client.get(f"{MARKET}/transactions", params={"role": "buyer", "page_size": 100}, headers=tech))
    assert str(tx) in {t["id"] for t in bought["items"]} and bought["total"] >= 1
    error(client.get(f"{MARKET}/transactions", params={"role": "thief"}, headers=tech), 422)
    error(client.post(f"{url}/ship", json={"tracking_number": "1Z1"}, headers=tech), 403, "forbidden")
    error(client.post(f"{url}/ship", json={"tracking_number": ""}, headers=seller), 422)
    shipped = body(client.post(f"{url}/ship", json={"carrier": "UPS", "tracking_number": "1Z777"}, headers=seller))
    assert shipped["transaction"]["status"] == "shipped" and stock_of(engine, item) == (3, 0)
    error(client.post(f"{url}/delivered", headers=seller), 403)
    assert body(client.post(f"{url}/delivered", headers=tech))["transaction"]["status"] == "delivered"
    error(client.post(f"{url}/review", json={"rating": 6}, headers=tech), 422)
    body(client.post(f"{url}/review", json={"rating": 5, "review": "Great"}, headers=tech))
    error(client.post(f"{url}/review", json={"rating": 4}, headers=tech), 409, "conflict")
    done = body(client.post(f"{url}/review", json={"rating": 5}, headers=seller))
    assert done["transaction"]["status"] == "completed"


def test_wanted_post_and_responses(client: TestClient, tech: dict[str, str], seller: dict[str, str],
                                   outsider: dict[str, str]) -> None:
    wanted = {"description": "Test relay for a door panel", "part_number": f"PPW-{uuid.uuid4().hex[:6]}",
              "manufacturer": "Testco", "category": "elevator_door", "quantity_needed": 2, "urgency": "urgent",
              "visibility": "public"}
    error(client.post(f"{MARKET}/wanted", json={**wanted, "urgency": "yesterday"}, headers=tech), 422)
    post = body(client.post(f"{MARKET}/wanted", json=wanted, headers=tech), 201)["post"]
    listed = body(client.get(f"{MARKET}/wanted", params={"urgency": "urgent", "near_lat": 39.74, "near_lng": -104.99,
                                                         "radius_miles": 100, "page_size": 20}, headers=seller))
    assert post["id"] in {p["id"] for p in listed["items"]}
    far = body(client.get(f"{MARKET}/wanted", params={"near_lat": 25.76, "near_lng": -80.19, "radius_miles": 50},
                          headers=seller))
    assert post["id"] not in {p["id"] for p in far["items"]}
    answer = {"condition": "used_good", "price": "75", "message": "two in stock"}
    error(client.post(f"{MARKET}/wanted/{post['id']}/respond", json=answer, headers=tech), 403, "forbidden")
    error(client.post(f"{MARKET}/wanted/{uuid.uuid4()}/respond", json=answer, headers=seller), 404)
    sent = body(client.post(f"{MARKET}/wanted/{post['id']}/respond", json=answer, headers=seller), 201)["response"]
    assert sent["quantity"] == 2
    answers = body(client.get(f"{MARKET}/wanted/{post['id']}/responses", headers=tech))
    assert [a["id"] for a in answers["items"]] == [sent["id"]] and answers["total"] == 1
    assert body(client.get(f"{MARKET}/wanted/{post['id']}/responses", headers=outsider))["items"] == []


def test_auction_bids_and_watchlist(client: TestClient, engine: Engine, tech: dict[str, str],
                                    seller: dict[str, str], outsider: dict[str, str]) -> None:
    end = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    lid = create_test_listing(engine, caller_by_email(engine, SELLER), "PPX", listing_type="auction", price=None,
                              starting_bid="100", auction_end=end, name="Test drive", category="elevator_drive")
    error(client.post(f"{MARKET}/listings/{lid}/bid", json={"max_bid": "abc"}, headers=tech), 422)
    error(client.post(f"{MARKET}/listings/{lid}/bid", json={"max_bid": "50"}, headers=tech), 422, "invalid")
    error(client.post(f"{MARKET}/listings/{lid}/bid", json={"max_bid": "500"}, headers=seller), 403)
    mine = body(client.post(f"{MARKET}/listings/{lid}/bid", json={"max_bid": "150"}, headers=tech))
    assert mine["you_are_winning"] and mine["current_bid"] == "100.00"
    body(client.post(f"{MARKET}/listings/{lid}/bid", json={"max_bid": "400"}, headers=outsider))
    history = body(client.get(f"{MARKET}/listings/{lid}/bids", headers=tech))
    assert history["bids"][0]["bidder"].startswith("Bidder") and history["bids"][0]["max_bid"] is None
    error(client.get(f"{MARKET}/listings/{uuid.uuid4()}/bids", headers=tech), 404)
    watched = body(client.post(f"{MARKET}/listings/{lid}/watch", params={"price_alert": "500"}, headers=tech))
    assert watched["watching"] and watched["alert_reached"]
    error(client.post(f"{MARKET}/listings/{lid}/watch", params={"price_alert": "-3"}, headers=tech), 422)
    page = body(client.get(f"{MARKET}/watchlist", params={"page_size": 100}, headers=tech))
    assert str(lid) in {w["listing_id"] for w in page["items"]}
    assert not body(client.delete(f"{MARKET}/listings/{lid}/watch", headers=tech))["watching"]
    page = body(client.get(f"{MARKET}/watchlist", params={"page_size": 100}, headers=tech))
    assert str(lid) not in {w["listing_id"] for w in page["items"]}
