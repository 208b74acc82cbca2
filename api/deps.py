"""FastAPI dependencies, typed once as Annotated aliases: the engine, the authenticated caller, and the
idempotency key of a write."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from tools.context import Caller, caller_for_api_key


def engine_dependency(request: Request) -> Engine:
    """The store's engine, as the application's wiring provides it (`app.state.engine`, built on first use)."""
    engine: Engine = request.app.state.engine()
    return engine


EngineDep = Annotated[Engine, Depends(engine_dependency)]

bearer_scheme = HTTPBearer(auto_error=False, description="`Authorization: Bearer pp_…` (partpilot users create-key)")
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="The same API key as a header")

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="partpilot"'}


def current_caller(
    engine: EngineDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Caller:
    """The user an API key acts as; 401 with a WWW-Authenticate challenge when the key is missing or bad."""
    key = bearer.credentials if bearer is not None else api_key
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
