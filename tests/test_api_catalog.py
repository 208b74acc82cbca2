"""REST catalog and pricing: search pages, lookup, photo identification by upload, part detail with fit and
alternatives, price assessment — and 404 / 422 with field errors."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from evals.nameplates import NameplateSpec, render_nameplate
from tests.api_helpers import body, error, headers_for

CATALOG = "/api/v1/parts/catalog"


def test_search_pages(signed_in: TestClient) -> None:
    first = body(signed_in.get(f"{CATALOG}/search", params={"q": "door operator", "page_size": 3}))
    second = body(signed_in.get(f"{CATALOG}/search", params={"q": "door operator", "page_size": 3, "page": 2}))
    assert len(first["items"]) == 3 and first["has_more"] and first["page"] == 1
    assert not {h["part_id"] for h in first["items"]} & {h["part_id"] for h in second["items"]}
    hvac = body(signed_in.get(f"{CATALOG}/search", params={"q": "compressor", "trade": "hvac"}))
    assert hvac["items"] and all(h["trade"] == "hvac" for h in hvac["items"])


@pytest.mark.parametrize("params,field", [({"q": "x", "page_size": 0}, "page_size"), ({"q": "x", "page": 0}, "page"),
                                          ({"q": "x", "trade": "plumbing"}, "trade"), ({}, "q")])
def test_search_bad_params_are_422_with_field_errors(signed_in: TestClient, params: dict[str, object],
                                                     field: str) -> None:
    payload = error(signed_in.get(f"{CATALOG}/search", params=params), 422, "invalid")
    assert any(e["loc"][-1] == field for e in payload["detail"])


def test_lookup(signed_in: TestClient) -> None:
    found = body(signed_in.get(f"{CATALOG}/lookup", params={"part_number": "gaa 26800 lc1"}))
    assert found["matches"][0]["part_number"] == "GAA26800LC1"
    error(signed_in.get(f"{CATALOG}/lookup", params={"part_number": "ZZZ-NOPE-000"}), 404, "not_found")


def test_part_detail_with_compatibility_and_alternatives(signed_in: TestClient, engine: Engine) -> None:
    with engine.connect() as conn:
        part_id = conn.execute(text(
            "SELECT s.old_part_id FROM part_supersessions s JOIN part_compatibility c ON c.part_id = s.old_part_id "
            "ORDER BY s.old_part_id LIMIT 1")).scalar_one()
    detail = body(signed_in.get(f"{CATALOG}/{part_id}"))
    assert detail["compatible_equipment"] and detail["alternatives"] and detail["supersession_chain"]
    error(signed_in.get(f"{CATALOG}/{uuid.uuid4()}"), 404, "not_found")
    payload = error(signed_in.get(f"{CATALOG}/not-a-uuid"), 422)
    assert payload["detail"][0]["loc"] == ["path", "part_id"]


def test_other_organizations_private_part_is_404(signed_in: TestClient, engine: Engine) -> None:
    with engine.begin() as conn:
        private = conn.execute(text(
            "INSERT INTO parts_catalog (organization_id, part_number, manufacturer, name, category, trade) "
            "SELECT o.id, :pn, 'Testco', 'Private test board', 'elevator_controller', 'elevator' FROM organizations o "
            "WHERE o.name = 'Metro Salvage & Surplus' RETURNING id"),
            {"pn": f"PPP-{uuid.uuid4().hex[:8]}"}).scalar_one()
    try:
        error(signed_in.get(f"{CATALOG}/{private}"), 404, "not_found")
        owner = headers_for(engine, "ray.kowalski@metrosalvage.example")
        assert body(signed_in.get(f"{CATALOG}/{private}", headers=owner))["name"] == "Private test board"
    finally:  # a catalog row without an embedding would make the seed loader embed it later
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM parts_catalog WHERE id = :id"), {"id": private})


def test_identify_uploaded_nameplate(signed_in: TestClient, engine: Engine) -> None:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT part_number, manufacturer, name FROM parts_catalog WHERE organization_id "
                                "IS NULL AND part_number = 'GAA26800LC1'")).one()
    photo = render_nameplate(NameplateSpec(manufacturer=row.manufacturer, part_number=row.part_number,
                                           name=row.name[:40]), seed=3, rotation=0.0, glare=False)
    found = body(signed_in.post(f"{CATALOG}/identify", files={"image": ("plate.jpg", photo, "image/jpeg")},
                             data={"context": "door operator"}))
    assert found["candidates"][0]["part_number"] == "GAA26800LC1" and found["photo_id"]
    error(signed_in.post(f"{CATALOG}/identify", files={"image": ("x.jpg", b"not an image", "image/jpeg")}),
          422, "rejected_input")
    error(signed_in.post(f"{CATALOG}/identify"), 422, "invalid")


def test_price_assessment(signed_in: TestClient, engine: Engine) -> None:
    fair = body(signed_in.get("/api/v1/marketplace/price-assessment",
                           params={"part_number": "GAA26800LC1", "condition": "used_good", "price": "4800"}))
    assert fair["verdict"] and fair["part_number"] == "GAA26800LC1"
    with engine.connect() as conn:
        listing = conn.execute(text("SELECT id FROM marketplace_listings WHERE status = 'active' AND visibility = "
                                    "'public' AND price IS NOT NULL ORDER BY id LIMIT 1")).scalar_one()
    assert body(signed_in.get("/api/v1/marketplace/price-assessment", params={"listing_id": str(listing)}))["verdict"]
    error(signed_in.get("/api/v1/marketplace/price-assessment", params={"part_number": "GAA26800LC1"}), 422, "invalid")
    error(signed_in.get("/api/v1/marketplace/price-assessment", params={"listing_id": str(uuid.uuid4())}), 404)
    assert body(signed_in.get("/api/v1/marketplace/price-suggestion",
                           params={"part_number": "GAA26800LC1", "condition": "new"}))["suggested_price"]
