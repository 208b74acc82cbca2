"""Liveness and readiness: `/health` says the process answers (no database: a load balancer or supervisor may
call it every second); `/ready` says the store answers and its schema is current, 503 otherwise."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from api.errors import ApiError, unavailable

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up. It does not touch the database (see /ready)."""
    return {"status": "ok"}


@router.get("/ready", responses={503: {"model": ApiError, "description": "The database is unreachable or behind"}})
async def ready(request: Request) -> Any:
    """The database answers and its migrations are at head: the catalog's size is included."""
    state: dict[str, Any] = await run_in_threadpool(request.app.state.readiness)
    if not state.pop("ready"):
        return unavailable(f"The database schema is not current ({state['migrations']}): run partpilot db upgrade.")
    return {"status": "ok", **state}
