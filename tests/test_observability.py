"""Observability (docs/observability.md): GenAI-convention spans for a turn, its planner calls and its tool
calls (an in-memory exporter); SQL spans; the Prometheus `/metrics` names after a REST tool call, a chat turn
and a webhook; JSON log lines carrying the request id of X-Request-ID, into the job the request queued."""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult
from opentelemetry.trace import StatusCode
from sqlalchemy import Engine, create_engine, text
from twilio.request_validator import RequestValidator

from agent.planners.local import LocalPlanner
from agent.runner import AgentRunner
from knowledge.tracing import instrument_engine
from partpilot.jobs import TURN_TASK, worker_app
from partpilot.logs import JsonFormatter
from tests.api_helpers import api_client, body, headers_for
from tests.channel_fakes import OUR_NUMBER, TWILIO_SID, TWILIO_TOKEN
from tests.fakes.scripted_planner import ScriptedPlanner, call
from tests.tool_helpers import MARIA
from tools.context import Caller
from tools.registry import REGISTRY, invoke
from tools.results import ToolFailure


class _Switch(Sampler):
    """Samples while this module runs; afterwards the provider (global for the process) records nothing."""

    on = True

    def should_sample(self, parent_context: otel_context.Context | None, trace_id: int, name: str,
                      kind: Any = None, attributes: Any = None, links: Sequence[Any] | None = None,
                      trace_state: Any = None) -> SamplingResult:
        return SamplingResult(Decision.RECORD_AND_SAMPLE if self.on else Decision.DROP, attributes)

    def get_description(self) -> str:
        return "tests.test_observability"


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    exporter, switch = InMemorySpanExporter(), _Switch()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):  # the process's provider can be set once: ours, or one set before
        provider = TracerProvider(sampler=switch)
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    switch.on = False
    exporter.shutdown()


def _named(exporter: InMemorySpanExporter, prefix: str) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if s.name.startswith(prefix)]


def _turn(exporter: InMemorySpanExporter, thread: str) -> tuple[ReadableSpan, list[ReadableSpan]]:
    """The thread's invoke_agent span and the spans directly under it."""
    turn = next(s for s in _named(exporter, "invoke_agent")
                if (s.attributes or {}).get("gen_ai.conversation.id") == thread)
    assert turn.context is not None
    children = [s for s in exporter.get_finished_spans()
                if s.parent is not None and s.parent.span_id == turn.context.span_id]
    return turn, children


def test_a_turn_is_an_agent_span_with_chat_and_tool_spans(engine: Engine, maria: Caller,
                                                           spans: InMemorySpanExporter) -> None:
    thread = f"obs-{uuid.uuid4()}"
    result = AgentRunner(engine, LocalPlanner(), checkpointer=InMemorySaver()).send(
        thread, maria, "need a door operator for an Otis Gen2")
    assert [c.name for c in result.tool_calls] == ["search_parts"]
    turn, children = _turn(spans, thread)
    assert turn.attributes is not None and turn.attributes["gen_ai.operation.name"] == "invoke_agent"
    assert turn.attributes["partpilot.planner"] == "local" and turn.attributes["partpilot.channel"] == "cli"
    chats = [s for s in children if s.name.startswith("chat ")]
    tools = [s for s in children if s.name.startswith("execute_tool ")]
    assert len(chats) == 2, [s.name for s in children]  # asks for the tool, then answers with its result
    assert chats[0].attributes == {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "local",
                                   "gen_ai.request.model": "local-planner"}
    [tool] = tools
    assert tool.name == "execute_tool search_parts" and tool.attributes is not None
    assert tool.attributes["gen_ai.tool.name"] == "search_parts" and tool.attributes["partpilot.tool.ok"] is True
    assert tool.attributes["gen_ai.tool.call.id"] and tool.attributes["partpilot.tool.kind"] == "READ"
    assert tool.status.status_code is StatusCode.UNSET
    assert chats[0].start_time < tool.start_time < chats[1].start_time  # type: ignore[operator]
    assert turn.end_time is not None and tool.end_time is not None and tool.end_time <= turn.end_time


def test_a_failing_tool_in_a_turn_is_an_error_span(engine: Engine, maria: Caller,
                                                   spans: InMemorySpanExporter) -> None:
    thread = f"obs-{uuid.uuid4()}"
    planner = ScriptedPlanner(script=[call("lookup_part", {"part_number": "ZZZZZZZZ-NOPE"}, "c-obs"),
                                      AIMessage(content="No such part.")])
    AgentRunner(engine, planner, checkpointer=InMemorySaver()).send(thread, maria, "ZZZZZZZZ-NOPE")
    _, children = _turn(spans, thread)
    [tool] = [s for s in children if s.name == "execute_tool lookup_part"]
    assert tool.attributes is not None and tool.attributes["gen_ai.tool.call.id"] == "c-obs"
    assert tool.attributes["partpilot.tool.ok"] is False and tool.attributes["error.type"] == "not_found"
    assert tool.status.status_code is StatusCode.ERROR and "ZZZZZZZZ" in (tool.status.description or "")


def test_a_tool_that_raises_is_an_error_span_and_sql_runs_in_db_spans(
        engine: Engine, maria: Caller, spans: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch) -> None:
    traced = create_engine(engine.url)
    try:
        assert instrument_engine(traced)
        spans.clear()
        assert not isinstance(invoke(traced, maria, "lookup_part", {"part_number": "GAA26800LC1"}), ToolFailure)
        [tool] = _named(spans, "execute_tool lookup_part")
        assert tool.context is not None
        statements = [s for s in spans.get_finished_spans()
                      if s.parent is not None and s.parent.span_id == tool.context.span_id]
        assert statements and all(s.kind is trace.SpanKind.CLIENT for s in statements)
        assert any("SELECT" in str((s.attributes or {}).get("db.statement", "")) for s in statements)
    finally:
        traced.dispose()

    def broken(ctx: Any, args: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setitem(REGISTRY, "lookup_part", dataclasses.replace(REGISTRY["lookup_part"], fn=broken))
    with pytest.raises(RuntimeError):
        invoke(engine, maria, "lookup_part", {"part_number": "GAA26800LC1"})
    raised = _named(spans, "execute_tool lookup_part")[-1]
    assert raised.status.status_code is StatusCode.ERROR and raised.attributes is not None
    assert raised.attributes["error.type"] == "RuntimeError" and raised.events[0].name == "exception"


def _metric(text_: str, name: str, **labels: str) -> float | None:
    for line in text_.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_after_a_rest_tool_call_and_a_chat_turn(engine: Engine) -> None:
    client = api_client()
    maria = headers_for(engine, MARIA)
    before = client.get("/metrics").text
    body(client.get("/api/v1/parts/catalog/search", params={"q": "door operator", "page_size": 3}, headers=maria))
    body(client.get("/api/v1/parts/catalog/lookup", params={"part_number": "ZZZZZZZZ-NOPE"}, headers=maria), 404)
    chat = client.post(f"/api/v1/chat/{uuid.uuid4()}", headers=maria, json={"message": "need a door operator for "
                                                                                       "an Otis Gen2"})
    assert chat.status_code == 200 and len(chat.headers["x-request-id"]) == 32
    after = client.get("/metrics")
    assert after.status_code == 200 and after.headers["content-type"].startswith("text/plain")
    for name in ("partpilot_tool_duration_seconds", "partpilot_tool_calls_total", "partpilot_tool_errors_total",
                 "partpilot_turn_duration_seconds", "partpilot_webhook_acks_total",
                 "partpilot_notification_sends_total", "partpilot_queue_jobs"):
        assert f"# TYPE {name.removesuffix('_total')}" in after.text, name
    turns = _metric(after.text, "partpilot_turn_duration_seconds_count", channel="web", planner="local")
    assert turns is not None and turns >= 1 + (_metric(before, "partpilot_turn_duration_seconds_count",
                                                       channel="web", planner="local") or 0)
    searched = _metric(after.text, "partpilot_tool_calls_total", tool="search_parts", outcome="ok")
    assert searched is not None and searched >= 2  # the REST search and the chat turn's
    assert (_metric(after.text, "partpilot_tool_errors_total", tool="lookup_part", error="not_found") or 0) >= 1
    assert _metric(after.text, "partpilot_queue_jobs", queue="channels", status="todo") is not None


class _Lines(logging.Handler):
    """JSON lines as a process would write them (formatted when logged, inside the request or the job)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def sms_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from partpilot.wiring import forget_configuration, get_hub

    for name, value in {"TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
                        "TWILIO_FROM_NUMBER": OUR_NUMBER, "TWILIO_API_BASE_URL": "http://127.0.0.1:9"}.items():
        monkeypatch.setenv(name, value)
    forget_configuration()
    try:
        yield api_client()
        get_hub().queue.close()
    finally:
        forget_configuration()


class _RecordingHub:
    def __init__(self) -> None:
        self.ran: list[dict[str, Any]] = []

    def run_job(self, args: dict[str, Any], job_id: int) -> None:
        logging.getLogger("tests.observability").info("ran the job")
        self.ran.append(args)


def test_json_logs_carry_the_request_id_into_the_job_it_queued(engine: Engine, sms_app: TestClient) -> None:
    lines, root = _Lines(), logging.getLogger()
    request_id, sender = f"obs-{uuid.uuid4().hex[:12]}", f"+1555{uuid.uuid4().int % 10**7:07d}"
    params = {"MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": TWILIO_SID, "From": sender, "To": OUR_NUMBER,
              "Body": "door operator", "NumMedia": "0"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature("http://testserver/sms/inbound", params)
    old_level = root.level
    root.addHandler(lines)
    root.setLevel(logging.INFO)
    try:
        forged = sms_app.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": "forged",
                                                                     "X-Request-ID": request_id})
        acked = sms_app.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": signature,
                                                                    "X-Request-ID": request_id})
        assert (forged.status_code, acked.status_code) == (403, 200)
        assert acked.headers["x-request-id"] == request_id
        with engine.begin() as conn:  # the job, run here by the worker's task instead of a worker
            job_id, args = conn.execute(text(
                "DELETE FROM procrastinate_jobs WHERE task_name = :t AND args->>'conversation_key' = :k "
                "RETURNING id, args"), {"t": TURN_TASK, "k": f"sms:{sender}"}).one()
        assert args["request_id"] == request_id
        hub = _RecordingHub()
        task = worker_app(hub, engine, 1, clock=False).tasks[TURN_TASK]  # type: ignore[arg-type]
        task.func(SimpleNamespace(job=SimpleNamespace(id=job_id)), **args)
    finally:
        root.removeHandler(lines)
        root.setLevel(old_level)
    assert hub.ran and "request_id" not in hub.ran[0]  # the channel's job gets its own arguments only
    rejected = next(line for line in lines.lines if "forged Twilio webhook" in line["message"])
    ran = next(line for line in lines.lines if line["message"] == "ran the job")
    assert rejected["request_id"] == ran["request_id"] == request_id
    assert {"ts", "level", "logger", "message"} <= set(ran) and rejected["level"] == "WARNING"
    metrics = sms_app.get("/metrics").text
    assert (_metric(metrics, "partpilot_webhook_acks_total", channel="sms", status="403") or 0) >= 1
    assert (_metric(metrics, "partpilot_webhook_acks_total", channel="sms", status="200") or 0) >= 1
