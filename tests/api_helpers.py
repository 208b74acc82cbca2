"""What the API tests share: a TestClient on the real app and API keys for demo users."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from partpilot.wiring import create_app
from tools.context import Caller, create_api_key


def api_client() -> TestClient:
    return TestClient(create_app(), raise_server_exceptions=False)


def headers_for(engine: Engine, who: Caller | str, **extra: str) -> dict[str, str]:
    """Bearer headers with a fresh API key for a caller or an email."""
    email = who if isinstance(who, str) else who.email
    return {"Authorization": f"Bearer {create_api_key(engine, email, label='tests')}", **extra}


def body(response: Response, status: int = 200) -> Any:
    """The JSON body, asserting the status (and showing the body when it differs)."""
    assert response.status_code == status, (response.status_code, response.text)
    return response.json()


def error(response: Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The error body, asserting its status, its shape and (optionally) its error code."""
    payload = body(response, status)
    assert isinstance(payload, dict) and payload["message"], payload
    if code is not None:
        assert payload["error"] == code, payload
    return payload
