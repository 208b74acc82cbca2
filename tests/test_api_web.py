"""The browser side over HTTP: the demo page signs in as the demo technician, the widget's files are served
from the API itself, and other sites may call the chat API (CORS, bearer keys, no cookies)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from partpilot.config import get_app_settings, is_loopback
from partpilot.wiring import create_app
from tools.widget_auth import caller_for_widget


def _embed(html: str) -> tuple[str, str]:
    """The publishable widget key and the user token of the demo page's embed tag ("" when signed out)."""
    match = re.search(r'<script src="/widget/widget.js" data-widget-key="([^"]*)" data-user-token="([^"]*)"', html)
    assert match, html
    return match.group(1), match.group(2)


def _page_key(html: str) -> str:
    return _embed(html)[0]


def _page_token(html: str) -> str:
    return _embed(html)[1]


def test_demo_page_is_signed_in_as_the_demo_technician(client: TestClient, engine: Engine) -> None:
    first = client.get("/")
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/html")
    key = _page_key(first.text)
    caller = caller_for_widget(engine, key, _page_token(first.text))
    assert caller is not None and caller.email == get_app_settings().web_demo_email and caller.role == "technician"
    assert _page_key(client.get("/").text) == key, "the organization's widget key is reused, not minted per view"
    assert "pp_" not in first.text, "no secret API key in the page"
    assert 'src="/widget/widget.js"' in first.text and "https://" not in first.text
    assert "Demo: signed in as the demo technician" in first.text and "loopback" in first.text


def test_demo_is_off_on_a_public_address_unless_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    public = TestClient(create_app(bind_host="0.0.0.0"))
    page = public.get("/")
    assert page.status_code == 200 and _page_key(page.text) == "" and "Demo sign-in is off" in page.text
    monkeypatch.setattr(get_app_settings(), "web_demo", True)  # WEB_DEMO=true: the operator's explicit choice
    assert _page_key(public.get("/").text).startswith("ppk_")


@pytest.mark.parametrize("host,loopback", [("127.0.0.1", True), ("::1", True), ("localhost", True),
                                           ("0.0.0.0", False), ("192.168.1.20", False), ("parts.example.com", False)])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_demo_sign_in_can_be_switched_off(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_app_settings(), "web_demo", False)
    page = client.get("/")
    assert page.status_code == 200 and _page_key(page.text) == "" and "Demo sign-in is off" in page.text


@pytest.mark.parametrize("name,kind", [("widget.js", "javascript"), ("chat.js", "javascript"),
                                       ("cards.js", "javascript"), ("sse.js", "javascript"), ("widget.css", "css")])
def test_widget_files_are_served_and_fetch_nothing_from_elsewhere(client: TestClient, name: str, kind: str) -> None:
    response = client.get(f"/widget/{name}")
    assert response.status_code == 200 and kind in response.headers["content-type"]
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", response.text), "no CDN, no remote fetches"


def test_other_origins_may_call_the_chat_api(client: TestClient) -> None:
    preflight = client.options("/api/v1/chat/abcdefgh-1234", headers={
        "Origin": "https://intranet.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers


def test_openapi_documents_the_chat_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/chat/{thread_id}", "/api/v1/chat/{thread_id}/resume", "/api/v1/uploads"} <= set(paths)
    assert "text/event-stream" in paths["/api/v1/chat/{thread_id}"]["post"]["responses"]["200"]["content"]
