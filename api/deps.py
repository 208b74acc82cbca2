"""FastAPI dependencies, typed once as Annotated aliases: the engine, the authenticated caller, and the
idempotency key of a write."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.http import HTTPBase
from sqlalchemy import Engine

from tools.context import Caller, caller_for_api_key
from tools.widget_auth import caller_for_widget


def engine_dependency(request: Request) -> Engine:
    """The store's engine, as the application's wiring provides it (`app.state.engine`, built on first use)."""
    engine: Engine = request.app.state.engine()
    return engine


EngineDep = Annotated[Engine, Depends(engine_dependency)]

bearer_scheme = HTTPBearer(auto_error=False, description="`Authorization: Bearer pp_…` (partpilot users create-key)")
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="The same API key as a header")

widget_key_scheme = APIKeyHeader(name="X-Widget-Key", auto_error=False, scheme_name="WidgetKey",
                                 description="The chat widget: the organization's publishable key (`ppk_…`, "
                                 "partpilot widget key), with `Authorization: Widget <user token>`")
widget_token_scheme = HTTPBase(scheme="widget", auto_error=False, scheme_name="WidgetUserToken",
                               description="A user token the organization's servers sign with its widget secret "
                               "(an HS256 JWT; partpilot widget token)")

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="partpilot"'}
_WIDGET_REFUSED = {"WWW-Authenticate": 'Widget realm="partpilot", error="invalid_token"'}


def _widget_caller(engine: Engine, key: str | None, token: HTTPAuthorizationCredentials | None) -> Caller:
    if not key or token is None or token.scheme.lower() != "widget":
        raise HTTPException(401, "The widget signs in with `X-Widget-Key` and `Authorization: Widget <user token>`.",
                            headers=_WIDGET_REFUSED)
    caller = caller_for_widget(engine, key, token.credentials)
    if caller is None:
        raise HTTPException(401, "Invalid or expired widget user token, or an unknown widget key.",
                            headers=_WIDGET_REFUSED)
    return caller


def current_caller(
    engine: EngineDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
    widget_key: Annotated[str | None, Depends(widget_key_scheme)],
    widget_token: Annotated[HTTPAuthorizationCredentials | None, Depends(widget_token_scheme)],
) -> Caller:
    """The user an API key acts as, or a widget user token names; 401 with a WWW-Authenticate challenge when
    the credentials are missing or bad."""
    key = bearer.credentials if bearer is not None else api_key
    if not key and (widget_key or (widget_token is not None and widget_token.scheme.lower() == "widget")):
        return _widget_caller(engine, widget_key, widget_token)
    if not key:
        raise HTTPException(401, "Missing API key: send `Authorization: Bearer <key>` or `X-API-Key`.",
                            headers=_CHALLENGE)
    caller = caller_for_api_key(engine, key)
    if caller is None:
        raise HTTPException(401, "Invalid or revoked API key.",
                            headers={"WWW-Authenticate": 'Bearer realm="partpilot", error="invalid_token"'})
    return caller


CallerDep = Annotated[Caller, Depends(current_caller)]


def idempotency_key(
    key: Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200,
                                      description="Repeat a write safely: the same key returns the first result")]
    = None,
) -> str:
    """The client's Idempotency-Key, or a fresh one (the request is then not safely repeatable)."""
    return key or f"api-{uuid.uuid4()}"


IdempotencyKeyDep = Annotated[str, Depends(idempotency_key)]
