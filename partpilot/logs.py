"""Logging for every Partpilot process: human-readable lines by default, one JSON object per line with
PARTPILOT_LOG_FORMAT=json (ts, level, logger, message, request_id, trace ids and any `extra=` fields).

A request id follows a request wherever its work goes: the HTTP middleware (partpilot/telemetry.py) takes the
client's X-Request-ID or makes one, the jobs a request queues carry it (partpilot/jobs.py), and the worker that
runs such a job puts it back, so the job's log lines carry the same id as the request's."""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

FORMAT_VARIABLE = "PARTPILOT_LOG_FORMAT"
HUMAN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REQUEST_ID_ARG = "request_id"  # the job argument that carries it (popped before the job runs)
_REQUEST_ID: ContextVar[str | None] = ContextVar("partpilot_request_id", default=None)
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
# Attributes every LogRecord has: anything else on a record came from `extra=` and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName",
                                                                        "color_message"}  # uvicorn's ANSI copy


def current_request_id() -> str | None:
    return _REQUEST_ID.get()


def accepted_request_id(offered: str | None) -> str:
    """The client's request id when it is a sane token (printable, at most 128 characters), else a new one."""
    if offered and _ACCEPTED_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


@contextmanager
def request_scope(request_id: str | None) -> Iterator[None]:
    """Log lines (and jobs queued) inside carry `request_id` (None: no request)."""
    token = _REQUEST_ID.set(request_id)
    try:
        yield
    finally:
        _REQUEST_ID.reset(token)


def with_request_id(job_args: dict[str, Any]) -> dict[str, Any]:
    """A job's arguments, carrying the current request id (when there is one)."""
    request_id = current_request_id()
    return {**job_args, REQUEST_ID_ARG: request_id} if request_id else job_args


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, request_id, trace_id/span_id inside a recorded
    span, exc for an exception, then the record's `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "request_id": getattr(record, REQUEST_ID_ARG, None) or current_request_id(),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            line["trace_id"], line["span_id"] = f"{span.trace_id:032x}", f"{span.span_id:016x}"
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line:
                line[key] = value
        return json.dumps(line, default=str)


def json_logs() -> bool:
    return os.environ.get(FORMAT_VARIABLE, "").strip().lower() == "json"


def configure_logging(level: str) -> None:
    """The root logger at `level`, writing to stderr in the format PARTPILOT_LOG_FORMAT asks for."""
    if not json_logs():
        logging.basicConfig(level=level, format=HUMAN_FORMAT)
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=level, handlers=[handler], force=True)


def uvicorn_log_config() -> dict[str, Any] | None:
    """The logging config to hand uvicorn: its own (coloured lines) by default; with JSON logs, its loggers
    at INFO going through the root's JSON handler (access lines become JSON objects too)."""
    from uvicorn.config import LOGGING_CONFIG

    if not json_logs():
        return LOGGING_CONFIG
    return {"version": 1, "disable_existing_loggers": False,
            "loggers": {name: {"level": "INFO", "handlers": [], "propagate": True}
                        for name in ("uvicorn", "uvicorn.error", "uvicorn.access")}}
