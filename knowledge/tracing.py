"""A span per SQL statement (OpenTelemetry's SQLAlchemy instrumentation), for the processes that trace.

An engine is instrumented only when the process has set a tracer provider (partpilot/telemetry.py does when
OTEL_EXPORTER_OTLP_ENDPOINT is set) before the engine was made: otherwise statements run without the per-statement
listeners, which would only make spans nobody records."""

from __future__ import annotations

import threading
import weakref

from opentelemetry import trace
from sqlalchemy import Engine

_instrumented: weakref.WeakSet[Engine] = weakref.WeakSet()
_lock = threading.Lock()


def tracing_enabled() -> bool:
    """Whether this process records spans (an SDK tracer provider is set, not the API's no-op default)."""
    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider | trace.NoOpTracerProvider)


def instrument_engine(engine: Engine, force: bool = False) -> bool:
    """Trace `engine`'s statements (once per engine) when the process traces, or always with `force`."""
    if not (force or tracing_enabled()):
        return False
    # The instrumentor's own per-engine tracer: `SQLAlchemyInstrumentor().instrument()` instruments once per
    # process and wraps `create_engine`, which modules that imported it earlier (this package) do not see.
    from opentelemetry.instrumentation.sqlalchemy import EngineTracer
    from opentelemetry.instrumentation.sqlalchemy.version import __version__
    from opentelemetry.metrics import get_meter

    scope = "opentelemetry.instrumentation.sqlalchemy"
    with _lock:
        if engine in _instrumented:
            return True
        usage = get_meter(scope, __version__).create_up_down_counter(
            "db.client.connections.usage", unit="connections", description="Connections in use or idle in the pool.")
        EngineTracer(trace.get_tracer(scope, __version__), engine, usage)
        _instrumented.add(engine)
    return True
