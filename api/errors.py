"""One place that turns failures into HTTP responses: tool failures, auth, request validation, and the store
being unreachable (503 with Retry-After: a fault outside, never a traceback).

Every error body has the same shape (`ApiError`), so clients read `error` and `message` whatever went wrong.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from tools.results import FailureCode, ToolFailure

log = logging.getLogger(__name__)

STATUS_FOR: dict[FailureCode, int] = {
    "not_found": 404,
    "forbidden": 403,
    "invalid": 422,
    "rejected_input": 422,
    "conflict": 409,
    "insufficient_stock": 409,
    "unavailable": 409,
}


class ApiError(BaseModel):
    """The body of every error response."""

    error: str
    message: str
    hint: str | None = None
    detail: list[dict[str, Any]] | None = None


class ToolFailureError(Exception):
    """Raised by a route when a tool answered with a ToolFailure."""

    def __init__(self, failure: ToolFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ApiError} for code in (400, 401, 403, 404, 409, 422, 503)
}
RETRY_AFTER_SECONDS = 5
# The store cannot be reached (down, restarting, out of connections): SQLAlchemy's wrapping of the driver's
# connection errors; the wiring adds the driver's and the pool's own for code that uses them directly.
STORE_DOWN: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


def _tool_failure(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ToolFailureError)
    failure = exc.failure
    body = ApiError(error=failure.error, message=failure.message, hint=failure.hint)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=STATUS_FOR.get(failure.error, 400))


def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = jsonable_encoder(exc.errors(), custom_encoder={Exception: str})
    fields = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', []))}: {e.get('msg')}" for e in errors)
    body = ApiError(error="invalid", message=f"Invalid request: {fields}", detail=errors)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=422)


_HTTP_ERROR_NAMES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                     405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
                     422: "invalid"}


def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    body = ApiError(error=_HTTP_ERROR_NAMES.get(exc.status_code, "error"), message=str(exc.detail))
    return JSONResponse(body.model_dump(exclude_none=True), status_code=exc.status_code, headers=exc.headers)


_DOWN = "The parts database cannot be reached right now. Please try again in a few seconds."


def unavailable(message: str = _DOWN) -> JSONResponse:
    """503: the store cannot serve; the client should retry after a few seconds."""
    body = ApiError(error="unavailable", message=message)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=503,
                        headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def _store_down(request: Request, exc: Exception) -> JSONResponse:
    log.warning("%s %s: the store is unreachable (%s)", request.method, request.url.path, type(exc).__name__)
    return unavailable()


def install_error_handlers(app: FastAPI, store_down: tuple[type[Exception], ...] = ()) -> None:
    """Every error as an ApiError body; `store_down`: more exception types that mean the store is unreachable."""
    for kind in (*STORE_DOWN, *store_down):
        app.add_exception_handler(kind, _store_down)
    app.add_exception_handler(ToolFailureError, _tool_failure)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
