"""REST listings and offers: a seller lists, a technician finds it through the filters, offers, is countered and
accepts; roles (403), other organizations' drafts (404), bad input (422)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from fastapi.testclient import TestClient

from tests.api_helpers import body, error

LISTINGS = "/api/v1/marketplace/listings"
OFFERS = "/api/v1/marketplace/offers"


def new_listing(client: TestClient, seller: dict[str, str], publish: bool = True, **fields: object) -> str:
    listing = {"listing_type": "sale", "part_number": f"PPM-{uuid.uuid4().hex[:8].upper()}", "manufacturer": "Testco",
               "name": "Test door relay", "category": "elevator_door", "condition": "used_good", "price": "120",
               "quantity": 3, "visibility": "public", "emergency_available": True, "emergency_premium": "25",
               "compatible_equipment": ["Gen2"], **fields}
    created = body(client.post(LISTINGS, json=listing, headers=seller), 201)
    lid = str(created["listing"]["id"])
    if publish:
        assert body(client.post(f"{LISTINGS}/{lid}/publish", headers=seller))["listing"]["status"] == "active"
    return lid


def test_listing_lifecycle_and_search_filters(client: TestClient, tech: dict[str, str], seller: dict[str, str],
                                              outsider: dict[str, str]) -> None:
    error(client.post(LISTINGS, json={"listing_type": "sale", "part_number": "GAA26800LC1", "condition": "used_good",
                                      "price": "10"}, headers=tech), 403, "forbidden")
    lid = new_listing(client, seller)
    detail = body(client.get(f"{LISTINGS}/{lid}", headers=tech))
    assert detail["seller_organization"] == "Metro Salvage & Surplus" and not detail["is_own_listing"]
    filters = {"q": "Test door relay", "condition": ["used_good", "new"], "min_price": "100", "max_price": "150",
               "emergency_only": True, "compatible_with": "Gen2", "near_lat": 39.74, "near_lng": -104.99,
               "radius_miles": 50, "page_size": 50}
    found = body(client.get(LISTINGS, params=filters, headers=tech))
    assert lid in {h["id"] for h in found["items"]}
    assert all(h["distance_km"] is not None and h["distance_km"] <= 50 * 1.61 for h in found["items"])
    for miss in ({"max_price": "50"}, {"condition": ["new"]}, {"min_price": "200"}):
        missed = body(client.get(LISTINGS, params={**filters, **miss}, headers=tech))["items"]
        assert lid not in {h["id"] for h in missed}
    error(client.get(LISTINGS, params={"condition": ["shiny"]}, headers=tech), 422)
    error(client.get(LISTINGS, params={"near_lat": 300}, headers=tech), 422)
    error(client.patch(f"{LISTINGS}/{lid}", json={"price": "99"}, headers=tech), 403, "forbidden")
    error(client.patch(f"{LISTINGS}/{lid}", json={"price": "-5"}, headers=seller), 422)
    repriced = body(client.patch(f"{LISTINGS}/{lid}", json={"price": "110"}, headers=seller))
    assert Decimal(repriced["listing"]["price"]) == 110
    error(client.delete(f"{LISTINGS}/{lid}", headers=outsider), 403)
    assert body(client.delete(f"{LISTINGS}/{lid}", params={"reason": "sold elsewhere"},
                              headers=seller))["listing"]["status"] == "cancelled"
    error(client.get(f"{LISTINGS}/{lid}", headers=tech), 404, "not_found")


def test_drafts_of_other_organizations_are_404(client: TestClient, tech: dict[str, str],
                                               seller: dict[str, str]) -> None:
    draft = new_listing(client, seller, publish=False)
    error(client.get(f"{LISTINGS}/{draft}", headers=tech), 404, "not_found")
    error(client.post(f"{LISTINGS}/{draft}/offer", json={"offered_price": "100"}, headers=tech), 404)
    assert body(client.get(f"{LISTINGS}/{draft}", headers=seller))["status"] == "draft"
    mine = body(client.get(LISTINGS, params={"mine": True, "q": "Test door relay", "page_size": 50}, headers=seller))
    assert draft in {h["id"] for h in mine["items"]}


def test_offer_counter_accept(client: TestClient, tech: dict[str, str], seller: dict[str, str]) -> None:
    lid = new_listing(client, seller)
    error(client.post(f"{LISTINGS}/{lid}/offer", json={"offered_price": "-1"}, headers=tech), 422)
    offer = body(client.post(f"{LISTINGS}/{lid}/offer", json={"quantity": 2, "offered_price": "90"}, headers=tech),
                 201)["offer"]
    assert offer["status"] == "pending" and offer["awaiting"] == "seller"
    assert offer["id"] in {o["id"] for o in body(client.get(f"{OFFERS}/sent", headers=tech))["items"]}
    received = body(client.get(f"{OFFERS}/received", params={"status": "pending", "listing_id": lid}, headers=seller))
    assert [o["id"] for o in received["items"]] == [offer["id"]] and received["total"] == 1
    error(client.get(f"{OFFERS}/received", headers=tech), 403, "forbidden")
    error(client.post(f"{OFFERS}/{offer['id']}/accept", headers=tech), 409, "conflict")  # the seller's move
    error(client.post(f"{OFFERS}/{offer['id']}/counter", json={"price": "0"}, headers=seller), 422)
    countered = body(client.post(f"{OFFERS}/{offer['id']}/counter", json={"price": "105", "message": "meet me"},
                                 headers=seller))
    assert countered["offer"]["status"] == "countered" and countered["offer"]["awaiting"] == "buyer"
    deal = body(client.post(f"{OFFERS}/{offer['id']}/accept", headers=tech))
    assert deal["transaction"]["total"] and deal["listing_quantity_left"] == 1
    error(client.post(f"{OFFERS}/{uuid.uuid4()}/accept", headers=seller), 404)


def test_reject_and_withdraw(client: TestClient, tech: dict[str, str], seller: dict[str, str]) -> None:
    lid = new_listing(client, seller)
    first = body(client.post(f"{LISTINGS}/{lid}/offer", json={"offered_price": "60"}, headers=tech), 201)["offer"]
    rejected = body(client.post(f"{OFFERS}/{first['id']}/reject", params={"message": "too low"}, headers=seller))
    assert rejected["offer"]["status"] == "rejected"
    second = body(client.post(f"{LISTINGS}/{lid}/offer", json={"offered_price": "100"}, headers=tech), 201)["offer"]
    pages = [body(client.get(f"{OFFERS}/received", params={"listing_id": lid, "page_size": 1, "page": page},
                             headers=seller)) for page in (1, 2)]
    assert [p["total"] for p in pages] == [2, 2] and [p["has_more"] for p in pages] == [True, False]
    assert [p["items"][0]["id"] for p in pages] == [second["id"], first["id"]], "newest first, one per page"
    assert body(client.post(f"{OFFERS}/{second['id']}/withdraw", headers=tech))["offer"]["status"] == "withdrawn"


def test_listing_sort_and_pages(client: TestClient, tech: dict[str, str]) -> None:
    params = {"q": "door operator", "sort_by": "price_low", "page_size": 4}
    first = body(client.get(LISTINGS, params=params, headers=tech))
    second = body(client.get(LISTINGS, params={**params, "page": 2}, headers=tech))
    assert first["has_more"] and len(first["items"]) == 4
    assert not {h["id"] for h in first["items"]} & {h["id"] for h in second["items"]}
    prices = [Decimal(h["price"] or h["current_bid"] or 0) for h in first["items"] + second["items"]
              if h["price"] or h["current_bid"]]
    assert prices == sorted(prices)
    error(client.get(LISTINGS, params={"page_size": 51}, headers=tech), 422)
    error(client.get(LISTINGS, params={"sort_by": "cheapest"}, headers=tech), 422)
