"""The HTTP API: health and catalog search, including hostile input (never a 500)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text


def test_health_is_liveness_and_ready_checks_the_store(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["migrations"] == "head"
    assert body["catalog_parts"] >= 2000


def test_search_endpoint(signed_in: TestClient, engine: Engine) -> None:
    with engine.connect() as conn:
        number = conn.execute(text("SELECT part_number FROM parts_catalog WHERE organization_id IS NULL "
                                   "ORDER BY part_number LIMIT 1")).scalar_one()
    response = signed_in.get("/api/v1/parts/catalog/search", params={"q": number, "page_size": 3})
    assert response.status_code == 200
    assert response.json()["items"][0]["part_number"] == number


@pytest.mark.parametrize("q,status", [("", 422), ("x" * 10_000, 422), ("'; DROP TABLE users; --", 200),
                                      ("🛗🛗", 200), ("   ", 422)])
def test_search_bad_input(signed_in: TestClient, q: str, status: int) -> None:
    response = signed_in.get("/api/v1/parts/catalog/search", params={"q": q})
    assert response.status_code == status
