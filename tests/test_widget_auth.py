"""The widget's sign-in without a secret in page HTML: an organization's publishable key plus a user token its
servers sign (HS256). The chat, history and upload routes take the pair as the same user as an API key;
tampered, expired, unsigned, over-long and other-organization tokens get 401; the demo page holds no secret."""

from __future__ import annotations

import base64
import json
import time
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from agent.runner import AgentRunner
from channels.web.chat import runner_dependency
from channels.web.stream import parse_sse
from evals.nameplates import NameplateSpec, render_nameplate
from partpilot.cli import app as cli
from partpilot.wiring import create_app
from tests.api_helpers import headers_for
from tests.fakes.keyed_planner import KeyedPlanner
from tests.tool_helpers import MARIA, SELLER
from tools.widget_auth import (
    BadToken,
    caller_for_widget,
    mint_user_token,
    sign_user_token,
    verify_user_token,
    widget_key_for,
)

OTHER_TECH = "derek.olson@summitvm.example"


def widget(key: str, token: str) -> dict[str, str]:
    return {"X-Widget-Key": key, "Authorization": f"Widget {token}"}


@pytest.fixture(scope="module")
def client(engine: Engine) -> TestClient:
    """The real app with a scripted planner (the sign-in is under test, not the planner)."""
    app = create_app()
    runner = AgentRunner(engine, planner=KeyedPlanner())
    app.dependency_overrides[runner_dependency] = lambda: runner
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def summit(engine: Engine) -> tuple[str, str]:
    """Summit's publishable key and secret."""
    found = widget_key_for(engine, "summit")
    assert found is not None
    return found.publishable_key, found.secret


def test_a_signed_token_acts_as_the_user_on_chat_history_and_uploads(client: TestClient, engine: Engine,
                                                                   summit: tuple[str, str]) -> None:
    key, secret = summit
    headers = widget(key, sign_user_token(secret, MARIA))
    photo = render_nameplate(NameplateSpec(manufacturer="Otis", part_number="GBA21230F1", name="Door board"), seed=3)
    upload = client.post("/api/v1/uploads", files={"file": ("plate.jpg", photo, "image/jpeg")}, headers=headers)
    assert upload.status_code == 201, upload.text
    thread = str(uuid.uuid4())
    turn = client.post(f"/api/v1/chat/{thread}", json={"message": "GAA24350BH1"}, headers=headers)
    assert turn.status_code == 200 and parse_sse(turn.text)[-1] == "[DONE]"
    history = client.get(f"/api/v1/chat/{thread}", headers=headers)
    assert history.status_code == 200 and history.json()["messages"][0]["role"] == "user"
    # the same user as Maria's API key: her key reads the thread, a colleague's does not
    assert client.get(f"/api/v1/chat/{thread}", headers=headers_for(engine, MARIA)).status_code == 200
    assert client.get(f"/api/v1/chat/{thread}", headers=headers_for(engine, OTHER_TECH)).status_code == 404
    with_both = {**headers_for(engine, MARIA), "X-Widget-Key": "ppk_stale"}  # an API key decides when present
    assert client.get(f"/api/v1/chat/{thread}", headers=with_both).status_code == 200
    caller = caller_for_widget(engine, key, sign_user_token(secret, MARIA))
    assert caller is not None and caller.email == MARIA and caller.channel == "web"
    by_id = caller_for_widget(engine, key, sign_user_token(secret, str(caller.user_id)))
    assert by_id is not None and by_id.user_id == caller.user_id


def _tampered(token: str, subject: str) -> str:
    head, _, sig = token.split(".")
    claims = {"sub": subject, "exp": int(time.time()) + 600}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{head}.{body}.{sig}"


def test_bad_tokens_and_keys_get_401(client: TestClient, engine: Engine, summit: tuple[str, str]) -> None:
    key, secret = summit
    good = sign_user_token(secret, MARIA)
    refused = {
        "tampered": widget(key, _tampered(good, OTHER_TECH)),
        "expired": widget(key, sign_user_token(secret, MARIA, ttl_s=60, now=time.time() - 3600)),
        "wrong secret": widget(key, sign_user_token("ppws_not-the-secret", MARIA)),
        "other organization's user": widget(key, sign_user_token(secret, SELLER)),
        "unknown key": widget("ppk_not-a-key", good),
        "no token": {"X-Widget-Key": key},
        "key with a bearer": {"X-Widget-Key": key, "Authorization": f"Bearer {good}"},  # a token is no API key
        "token without key": {"Authorization": f"Widget {good}"},
        "unknown user": widget(key, sign_user_token(secret, "nobody@summitvm.example")),
    }
    for why, headers in refused.items():
        response = client.get(f"/api/v1/chat/{uuid.uuid4()}", headers=headers)
        assert response.status_code == 401, why
        assert response.headers["www-authenticate"].startswith("Bearer" if "Bearer" in str(headers) else "Widget")
    upload = client.post("/api/v1/uploads", files={"file": ("a.jpg", b"x", "image/jpeg")},
                         headers=refused["expired"])
    assert upload.status_code == 401
    # a token of Metro's own key for Metro's seller is fine: the key decides the organization
    metro = widget_key_for(engine, "metro")
    assert metro is not None and caller_for_widget(engine, metro.publishable_key,
                                                   sign_user_token(metro.secret, SELLER)) is not None


def test_only_signed_hs256_tokens_with_a_near_expiry_verify() -> None:
    secret = "ppws_test"
    assert verify_user_token(secret, sign_user_token(secret, MARIA)) == MARIA
    unsigned_head = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    _, body, _ = sign_user_token(secret, MARIA).split(".")
    for token in (f"{unsigned_head}.{body}.", sign_user_token(secret, MARIA, ttl_s=90 * 24 * 3600), "a.b",
                  sign_user_token(secret, "  "), "x" * 3000):
        with pytest.raises(BadToken):
            verify_user_token(secret, token)


def test_demo_page_has_no_secret_key(client: TestClient, engine: Engine, summit: tuple[str, str]) -> None:
    page = client.get("/").text
    assert "pp_" not in page and "ppws_" not in page and summit[1] not in page
    assert f'data-widget-key="{summit[0]}"' in page and 'data-user-token="ey' in page and "data-api-key" not in page


def test_cli_shows_the_key_and_mints_a_token_that_works(client: TestClient, engine: Engine,
                                                       summit: tuple[str, str]) -> None:
    runner = CliRunner()
    shown = runner.invoke(cli, ["widget", "key", "--org", "Summit Vertical & Mechanical", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout) == {"publishable_key": summit[0], "secret": summit[1]}
    minted = runner.invoke(cli, ["widget", "token", "--as", MARIA, "--ttl", "120"])
    assert minted.exit_code == 0, minted.output
    key, token = minted.stdout.strip().split("\t")
    assert (key, token.count(".")) == (summit[0], 2)
    assert client.get(f"/api/v1/chat/{uuid.uuid4()}", headers=widget(key, token)).status_code == 404  # signed in
    assert runner.invoke(cli, ["widget", "key", "--org", "no-such-org"]).exit_code == 1
    assert runner.invoke(cli, ["widget", "token", "--as", "nobody@example.com"]).exit_code == 1
    assert mint_user_token(engine, MARIA)[0] == summit[0]


def test_other_sites_may_send_the_widget_key(client: TestClient) -> None:
    preflight = client.options(f"/api/v1/chat/{uuid.uuid4()}", headers={
        "Origin": "https://intranet.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,x-widget-key"})
    assert preflight.status_code == 200 and "x-widget-key" in preflight.headers["access-control-allow-headers"].lower()
