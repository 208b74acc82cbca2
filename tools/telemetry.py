"""Traces and metrics of tool calls, for every interface at once (REST, chat, CLI, MCP all run `invoke`).

Spans follow the OpenTelemetry GenAI semantic conventions (`execute_tool {name}`); they cost nothing until the
process sets a tracer provider (partpilot/telemetry.py, when OTEL_EXPORTER_OTLP_ENDPOINT is set). The Prometheus
metrics live in the process's default registry and are served at `/metrics`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from prometheus_client import Counter, Histogram
from pydantic import BaseModel

from tools.results import ToolFailure

TRACER = trace.get_tracer("partpilot")  # a proxy: follows the provider set later at start-up

# Seconds: from a cached lookup (a few ms) to a supplier round trip or a model call (tens of seconds).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

TOOL_SECONDS = Histogram("partpilot_tool_duration_seconds", "How long one tool call took, by tool.", ["tool"],
                         buckets=LATENCY_BUCKETS)
TOOL_CALLS = Counter("partpilot_tool_calls", "Tool calls by tool and outcome (ok, failure, exception).",
                     ["tool", "outcome"])
TOOL_ERRORS = Counter("partpilot_tool_errors", "Tool calls that failed, by tool and error (a ToolFailure's "
                      "code such as not_found, or the exception's type).", ["tool", "error"])

_CALL_ID: ContextVar[str | None] = ContextVar("partpilot_tool_call_id", default=None)

P = ParamSpec("P")


@contextmanager
def tool_call_id(call_id: str | None) -> Iterator[None]:
    """The model's id for the tool call being run (the agent's tool calls have one; REST calls do not)."""
    token = _CALL_ID.set(call_id)
    try:
        yield
    finally:
        _CALL_ID.reset(token)


def traced_tool(invoke: Callable[P, BaseModel]) -> Callable[P, BaseModel]:
    """Wrap `tools.registry.invoke(engine, caller, name, args, ...)`: one `execute_tool` span, a latency sample
    and an outcome count per call. A ToolFailure is an error too (span status and `error.type` = its code)."""

    @functools.wraps(invoke)
    def traced(*args: P.args, **kwargs: P.kwargs) -> BaseModel:
        name, kind = _known(str(args[2] if len(args) > 2 else kwargs.get("name")))
        attributes: dict[str, Any] = {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": name,
                                      "gen_ai.tool.type": "function"}
        call_id = _CALL_ID.get()
        if call_id:
            attributes["gen_ai.tool.call.id"] = call_id
        if kind:
            attributes["partpilot.tool.kind"] = kind
        started = time.perf_counter()
        with TRACER.start_as_current_span(f"execute_tool {name}", kind=SpanKind.INTERNAL, attributes=attributes,
                                          record_exception=False, set_status_on_exception=False) as span:
            try:
                result = invoke(*args, **kwargs)
            except Exception as exc:
                _failed(span, name, type(exc).__qualname__, str(exc), "exception")
                span.record_exception(exc)
                raise
            finally:
                TOOL_SECONDS.labels(name).observe(time.perf_counter() - started)
            if isinstance(result, ToolFailure):
                _failed(span, name, result.error, result.message, "failure")
            else:
                span.set_attribute("partpilot.tool.ok", True)
                TOOL_CALLS.labels(name, "ok").inc()
            return result

    return traced


def _failed(span: Span, tool: str, error: str, message: str, outcome: str) -> None:
    span.set_attribute("partpilot.tool.ok", False)
    span.set_attribute("error.type", error)
    span.set_status(Status(StatusCode.ERROR, message[:200]))
    TOOL_CALLS.labels(tool, outcome).inc()
    TOOL_ERRORS.labels(tool, error).inc()


def _known(name: str) -> tuple[str, str | None]:
    """The tool's name and kind; "unknown" for a name no tool has (any client may send any name, and a metric's
    labels must stay few)."""
    from tools.registry import REGISTRY, load_all_tools  # the registry wraps its `invoke` with this module

    load_all_tools()
    spec = REGISTRY.get(name)
    return (name, spec.kind.value) if spec is not None else ("unknown", None)
