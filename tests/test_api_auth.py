"""API keys: hashed storage, Bearer and X-API-Key headers, 401 with a challenge, revocation, the CLI."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from partpilot.cli import app as cli_app
from tests.api_helpers import body, error
from tests.tool_helpers import MARIA
from tools.context import UnknownCaller, caller_for_api_key, create_api_key, revoke_api_key

SEARCH = "/api/v1/parts/catalog/search"


def test_key_is_stored_hashed_and_resolves_to_its_user(engine: Engine) -> None:
    key = create_api_key(engine, MARIA, label="laptop")
    assert key.startswith("pp_") and len(key) > 40
    with engine.connect() as conn:
        row = conn.execute(text("SELECT k.key_hash, k.label, u.email FROM api_keys k JOIN users u ON u.id = k.user_id "
                                "WHERE k.key_hash = :h"), {"h": hashlib.sha256(key.encode()).hexdigest()}).one()
        plaintext_rows = conn.execute(text("SELECT count(*) FROM api_keys WHERE key_hash = :k OR prefix = :k"),
                                      {"k": key}).scalar_one()
    assert row.email == MARIA and row.label == "laptop" and plaintext_rows == 0
    caller = caller_for_api_key(engine, key)
    assert caller is not None and caller.email == MARIA and caller.channel == "api"


def test_unknown_user_gets_no_key(engine: Engine) -> None:
    with pytest.raises(UnknownCaller):
        create_api_key(engine, "nobody@nowhere.example")


def test_revoked_key_is_rejected(engine: Engine, client: TestClient) -> None:
    key = create_api_key(engine, MARIA)
    assert body(client.get(SEARCH, params={"q": "door operator"}, headers={"X-API-Key": key}))["items"]
    assert revoke_api_key(engine, key) and not revoke_api_key(engine, key)
    assert caller_for_api_key(engine, key) is None
    error(client.get(SEARCH, params={"q": "door operator"}, headers={"Authorization": f"Bearer {key}"}), 401)


def test_inactive_user_key_is_rejected(engine: Engine) -> None:
    with engine.begin() as conn:
        email = conn.execute(text("SELECT email FROM users WHERE is_active AND email <> :m ORDER BY email LIMIT 1"),
                             {"m": MARIA}).scalar_one()
    key = create_api_key(engine, email)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE users SET is_active = false WHERE email = :e"), {"e": email})
        assert caller_for_api_key(engine, key) is None
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE users SET is_active = true WHERE email = :e"), {"e": email})


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer pp_not-a-real-key"}, {"Authorization": "Basic dXNlcjpwdw=="},
    {"X-API-Key": "wrong"}, {"Authorization": "Bearer " + "pp_" + "x" * 5000},
])
def test_missing_or_bad_key_is_401_with_challenge(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(SEARCH, params={"q": "door operator"}, headers=headers)
    payload = error(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "key" in payload["message"].lower()


def test_health_and_docs_stay_open(client: TestClient) -> None:
    assert body(client.get("/health"))["status"] == "ok"
    schema = body(client.get("/openapi.json"))
    assert {"HTTPBearer", "APIKeyHeader"} <= set(schema["components"]["securitySchemes"])


def test_cli_create_key_prints_a_working_key(engine: Engine) -> None:
    result = CliRunner().invoke(cli_app, ["users", "create-key", MARIA, "--label", "cli test"])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[-1]
    caller = caller_for_api_key(engine, key)
    assert caller is not None and caller.email == MARIA
    missing = CliRunner().invoke(cli_app, ["users", "create-key", "nobody@nowhere.example"])
    assert missing.exit_code == 1
    assert CliRunner().invoke(cli_app, ["users", "revoke-key", key]).exit_code == 0
    assert caller_for_api_key(engine, key) is None
    assert CliRunner().invoke(cli_app, ["users", "revoke-key", key]).exit_code == 1


def test_every_api_operation_needs_a_key(client: TestClient) -> None:
    schema = body(client.get("/openapi.json"))
    checked = 0
    for path, operations in schema["paths"].items():
        if path in ("/health", "/ready"):
            continue
        url = path.replace("{", "").replace("}", "")
        for part in ("part_id", "item_id", "listing_id", "offer_id", "transaction_id", "wanted_id"):
            url = url.replace(part, "00000000-0000-0000-0000-000000000001")
        for method in operations:
            response = client.request(method.upper(), url)
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.headers["www-authenticate"].startswith("Bearer")
            checked += 1
    assert checked >= 40
