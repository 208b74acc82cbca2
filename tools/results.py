"""Expected failures are data the model can act on; only bugs raise."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

FailureCode = Literal[
    "not_found", "forbidden", "invalid", "conflict", "insufficient_stock", "unavailable", "rejected_input",
]


class ToolFailure(BaseModel):
    """Returned instead of a tool's normal output when the request cannot be done as asked."""

    ok: Literal[False] = False
    error: FailureCode
    message: str
    hint: str | None = None


class ToolFailed(Exception):
    """Raised inside a tool to return a ToolFailure (and roll back any writes)."""

    def __init__(self, error: FailureCode, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.failure = ToolFailure(error=error, message=message, hint=hint)
