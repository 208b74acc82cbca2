"""How routes run a tool: through the registry as the authenticated caller, failures raised for api.errors.

REST calls are already confirmed by the API client, so WRITE tools run directly (no graph interrupt) with the
request's idempotency key.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Engine

from api.errors import ToolFailureError
from tools.context import Caller
from tools.registry import invoke
from tools.results import ToolFailure

T = TypeVar("T", bound=BaseModel)


def run_tool(engine: Engine, caller: Caller, name: str, args: dict[str, Any] | BaseModel, output: type[T],
             idempotency_key: str | None = None) -> T:
    """Invoke tool `name` and return its output (typed as `output`); a ToolFailure raises ToolFailureError."""
    result = invoke(engine, caller, name, args, idempotency_key=idempotency_key)
    if isinstance(result, ToolFailure):
        raise ToolFailureError(result)
    if not isinstance(result, output):
        raise TypeError(f"{name} returned {type(result).__name__}, expected {output.__name__}")
    return result


def serves(tool: str) -> dict[str, Any]:
    """The `openapi_extra` of a route that runs `tool`: its OpenAPI operation names the tool (`x-tool`), so a
    client (or the test that every tool has a route) can tell which tool an operation runs."""
    return {"x-tool": tool}
