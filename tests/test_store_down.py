"""A fault outside: with the database unreachable every route answers 503 with Retry-After and the documented
error body — never a 500 or a traceback — and /health (liveness) still answers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine

from agent.gateway import Gateway
from knowledge.migrate import readiness
from partpilot.wiring import create_app

# Port 9 (discard) on loopback: nothing listens, so a connection is refused at once, as when Postgres is stopped.
DEAD_STORE = "postgresql+psycopg://partpilot@127.0.0.1:9/partpilot?connect_timeout=2"
FAKE_KEY = {"Authorization": "Bearer pp_" + "x" * 43}
ID = "00000000-0000-0000-0000-000000000001"


@pytest.fixture(scope="module")
def down() -> TestClient:
    dead: Engine = create_engine(DEAD_STORE, pool_pre_ping=True)
    app = create_app()
    app.state.engine = lambda: dead
    app.state.gateway = lambda: Gateway(dead)
    app.state.readiness = lambda: readiness(dead)
    return TestClient(app, raise_server_exceptions=False)


def _unavailable(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, (response.request.method, response.request.url, response.text)
    assert response.headers["retry-after"].isdigit()
    body = response.json()
    assert body["error"] == "unavailable" and "try again" in body["message"]
    assert "Traceback" not in response.text and "psycopg" not in response.text


def test_liveness_answers_and_readiness_says_unavailable(down: TestClient) -> None:
    assert down.get("/health").json() == {"status": "ok"}
    _unavailable(down.get("/ready"))


def test_every_operation_is_a_clean_503(down: TestClient) -> None:
    schema = down.get("/openapi.json").json()
    checked = 0
    for path, operations in schema["paths"].items():
        if path in ("/health", "/ready"):
            continue
        url = path
        for name in ("part_id", "item_id", "listing_id", "offer_id", "transaction_id", "wanted_id", "hold_id",
                     "response_id"):
            url = url.replace("{" + name + "}", ID)
        url = url.replace("{thread_id}", "a-thread-0001")
        for method in operations:
            response = down.request(method.upper(), url, headers=FAKE_KEY, json={}, params={})
            if response.status_code == 422:  # the request was refused before anything reached the store
                continue
            _unavailable(response)
            checked += 1
    assert checked >= 25
