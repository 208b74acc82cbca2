"""The HTTP side of observability: the Prometheus `/metrics` route, and the middleware that gives each request
its id (partpilot/logs.py) and counts the platforms' webhook acknowledgements. Trace export is set up by
partpilot/tracing.py. The spans and metrics themselves are made where the work is:
tools/telemetry.py (tool calls), agent/telemetry.py (turns, planner calls, notification sends),
knowledge/tracing.py (SQL statements). docs/observability.md lists them all."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from fastapi import APIRouter, FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from sqlalchemy import Engine, text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from partpilot.jobs import CLOCK_QUEUE, QUEUE
from partpilot.logs import accepted_request_id, request_scope

log = logging.getLogger(__name__)
REQUEST_ID_HEADER = "X-Request-ID"
WEBHOOK_ACKS = Counter("partpilot_webhook_acks", "Answers to the platforms' webhooks, by channel (slack, sms) and "
                       "HTTP status (200: the message is queued; 503: the store is down and the platform retries).",
                       ["channel", "status"])
_WEBHOOK_PREFIXES = {"/slack/": "slack", "/sms/": "sms"}
_QUEUE_DEPTH = text("SELECT queue_name, status::text, count(*) FROM procrastinate_jobs "
                    "WHERE status IN ('todo', 'doing') GROUP BY queue_name, status")


class RequestIdMiddleware:
    """Each HTTP request runs with a request id (the client's X-Request-ID when sane, else a new one), echoed
    in the response's X-Request-ID; the answers to the Slack and Twilio webhooks are counted."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = next((v.decode("latin-1") for k, v in scope.get("headers", ())
                        if k.lower() == b"x-request-id"), None)
        request_id = accepted_request_id(offered)
        path = str(scope.get("path", ""))
        channel = next((c for prefix, c in _WEBHOOK_PREFIXES.items() if path.startswith(prefix)), None)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()),
                                      (REQUEST_ID_HEADER.lower().encode(), request_id.encode())]
                if channel is not None:
                    WEBHOOK_ACKS.labels(channel, str(message["status"])).inc()
            await send(message)

        with request_scope(request_id):
            await self.app(scope, receive, send_with_id)


class QueueDepthCollector:
    """`partpilot_queue_jobs{queue, status}`: the jobs waiting (todo) and running (doing) per queue, counted in
    procrastinate's table when /metrics is scraped. A store that cannot answer leaves the gauge out."""

    def __init__(self) -> None:
        self.engine: Callable[[], Engine] | None = None

    def describe(self) -> Iterable[Metric]:
        return [_queue_jobs()]

    def collect(self) -> Iterable[Metric]:
        if self.engine is None:
            return []
        counts = {(queue, status): 0 for queue in (QUEUE, CLOCK_QUEUE) for status in ("todo", "doing")}
        try:
            with self.engine().connect() as conn:
                conn.execute(text("SET LOCAL statement_timeout = 2000"))
                counts |= {(str(q), str(s)): int(n) for q, s, n in conn.execute(_QUEUE_DEPTH)}
        except Exception as exc:  # the store down or not migrated: the scrape still answers
            log.warning("queue depth not collected: %s", exc)
            return []
        family = _queue_jobs()
        for (queue, status), n in sorted(counts.items()):
            family.add_metric([queue, status], n)
        return [family]


def _queue_jobs() -> GaugeMetricFamily:
    return GaugeMetricFamily("partpilot_queue_jobs", "Jobs waiting (todo) or running (doing), by queue.",
                             labels=["queue", "status"])


QUEUE_DEPTH = QueueDepthCollector()
REGISTRY.register(QUEUE_DEPTH)

metrics_router = APIRouter()


@metrics_router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    """Prometheus text exposition of this process's metrics."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def observe(app: FastAPI, engine: Callable[[], Engine]) -> None:
    """Serve `/metrics` on `app` (queue depth read from `engine`'s store) and give its requests ids."""
    QUEUE_DEPTH.engine = engine
    app.include_router(metrics_router)
    app.add_middleware(RequestIdMiddleware)
