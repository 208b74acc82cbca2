"""Trace export for a Partpilot process (the CLI sets it up next to logging, for every command: serve, worker,
mcp, tool, chat ...). Kept apart from partpilot/telemetry.py so that commands which serve nothing import only
this."""

from __future__ import annotations

import logging
import os
import threading

log = logging.getLogger(__name__)
_tracing_lock = threading.Lock()
_tracing_on = False


def setup_tracing() -> bool:
    """Export spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set, once per
    process and before any engine is made (engines made later get SQL spans). Without it nothing is set up and
    every span is the API's no-op. True when spans are exported."""
    global _tracing_on
    endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    if not endpoint or os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    with _tracing_lock:
        if _tracing_on:
            return True
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import SERVICE_NAME, Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        # Resource.create reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES; "partpilot" when neither names it.
        named = os.environ.get("OTEL_SERVICE_NAME") or "service.name=" in os.environ.get("OTEL_RESOURCE_ATTRIBUTES", "")
        provider = TracerProvider(resource=Resource.create() if named else Resource.create({SERVICE_NAME: "partpilot"}))
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(provider)
        _tracing_on = True
    log.info("exporting traces over OTLP/HTTP to %s", endpoint)
    return True
