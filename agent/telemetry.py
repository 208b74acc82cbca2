"""Traces and metrics of agent turns and planner calls (OpenTelemetry GenAI semantic conventions): a turn is an
`invoke_agent` span, each planner call a `chat` span inside it, each tool call an `execute_tool` span inside
that turn (tools/telemetry.py). Also the notification counter the channels report to (they reach the layers
below only through the agent)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from prometheus_client import Counter, Histogram

from agent.events import TurnFinished
from tools.telemetry import LATENCY_BUCKETS, TRACER, tool_call_id

__all__ = ["NOTIFICATION_SENDS", "TURN_SECONDS", "chat_span", "notification_sent", "planner_identity",
           "tool_call_id", "traced_turn"]

AGENT_NAME = "partpilot"
TURN_SECONDS = Histogram("partpilot_turn_duration_seconds", "How long one agent turn took (planner calls and "
                         "tools), by channel and planner.", ["channel", "planner"], buckets=LATENCY_BUCKETS)
NOTIFICATION_SENDS = Counter("partpilot_notification_sends", "Notification deliveries by channel and outcome "
                             "(sent, failed, skipped, retry).", ["channel", "outcome"])


def notification_sent(channel: str, outcome: str) -> None:
    NOTIFICATION_SENDS.labels(channel, outcome).inc()


@dataclass
class _Turn:
    planner: str = "none"  # set by the turn's first planner call


_TURN: ContextVar[_Turn | None] = ContextVar("partpilot_turn", default=None)

Runner = TypeVar("Runner")
P = ParamSpec("P")
Event = TypeVar("Event")


def traced_turn(run: Callable[Concatenate[Runner, str, P], Iterator[Event]],
                ) -> Callable[Concatenate[Runner, str, P], Iterator[Event]]:
    """Wrap a runner method `run(self, thread_id, caller, ...)` that returns a turn's event stream: the stream
    runs inside an `invoke_agent` span and its duration is a `partpilot_turn_duration_seconds` sample."""

    @functools.wraps(run)
    def traced(self: Runner, thread_id: str, *args: P.args, **kwargs: P.kwargs) -> Iterator[Event]:
        who = args[0] if args else None
        channel = str(getattr(who, "channel", None) or thread_id.split(":", 1)[0] or "other")
        return _traced_events(run(self, thread_id, *args, **kwargs), thread_id, channel)

    return traced


def _traced_events(events: Iterator[Event], thread_id: str, channel: str) -> Iterator[Event]:
    """The events of `events`, each produced with the turn's span current. The span is attached around each
    step rather than for the generator's life: a streaming response pulls each step in a fresh copy of its
    context (often on another thread), where a context attached by an earlier step is not current."""
    span = TRACER.start_span(f"invoke_agent {AGENT_NAME}", kind=SpanKind.INTERNAL, attributes={
        "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": AGENT_NAME,
        "gen_ai.conversation.id": thread_id, "partpilot.channel": channel})
    current = trace.set_span_in_context(span)
    turn = _Turn()
    started = time.perf_counter()
    try:
        while True:
            token, turn_token = otel_context.attach(current), _TURN.set(turn)
            try:
                event = next(events)
            except StopIteration:
                return
            except Exception as exc:
                _error(span, exc)
                raise
            finally:
                _TURN.reset(turn_token)
                otel_context.detach(token)
            if isinstance(event, TurnFinished):
                span.set_attribute("partpilot.turn.tool_calls", len(event.result.tool_calls))
                span.set_attribute("partpilot.turn.awaiting_confirmation", event.result.confirmation is not None)
            yield event
    finally:
        close = getattr(events, "close", None)
        if close is not None:  # the consumer stopped early (a client went away): end the graph's run now
            close()
        span.set_attribute("partpilot.planner", turn.planner)
        span.end()
        TURN_SECONDS.labels(channel, turn.planner).observe(time.perf_counter() - started)


class ChatCall:
    """The `chat` span of one planner call; `done(reply)` records what the model reported and returns it."""

    def __init__(self, span: Span) -> None:
        self.span = span

    def done(self, reply: AIMessage) -> AIMessage:
        usage = reply.usage_metadata
        if usage:
            self.span.set_attribute("gen_ai.usage.input_tokens", usage.get("input_tokens", 0))
            self.span.set_attribute("gen_ai.usage.output_tokens", usage.get("output_tokens", 0))
        model = reply.response_metadata.get("model_name") or reply.response_metadata.get("model")
        if model:
            self.span.set_attribute("gen_ai.response.model", str(model))
        if reply.id and not reply.id.startswith("lc_"):  # LangChain's own run ids are no response ids
            self.span.set_attribute("gen_ai.response.id", reply.id)
        reason = reply.response_metadata.get("stop_reason") or reply.response_metadata.get("finish_reason")
        if reason:
            self.span.set_attribute("gen_ai.response.finish_reasons", [str(reason)])
        return reply


@contextmanager
def chat_span(planner: BaseChatModel) -> Iterator[ChatCall]:
    """A `chat {model}` span around one planner call; an exception marks it as an error and goes on."""
    provider, model = planner_identity(planner)
    turn = _TURN.get()
    if turn is not None:
        turn.planner = provider
    attributes: dict[str, Any] = {"gen_ai.operation.name": "chat", "gen_ai.provider.name": provider}
    if model:
        attributes["gen_ai.request.model"] = model
    with TRACER.start_as_current_span(f"chat {model or provider}", kind=SpanKind.CLIENT, attributes=attributes,
                                      record_exception=False, set_status_on_exception=False) as span:
        try:
            yield ChatCall(span)
        except Exception as exc:
            _error(span, exc)
            raise


def planner_identity(planner: BaseChatModel) -> tuple[str, str]:
    """(gen_ai.provider.name, gen_ai.request.model) of a planner: ("local", "local-planner") for the offline
    one; otherwise what the LangChain integration reports ("anthropic", "openai", "ollama", ... and its model)."""
    if planner._llm_type == "partpilot-local-planner":
        return "local", "local-planner"
    try:
        params = planner._get_ls_params()
    except Exception:  # an integration without LangSmith parameters: its type is all we know
        return planner._llm_type, ""
    return str(params.get("ls_provider") or planner._llm_type), str(params.get("ls_model_name") or "")


def _error(span: Span, exc: BaseException) -> None:
    span.record_exception(exc)
    span.set_attribute("error.type", type(exc).__qualname__)
    span.set_status(Status(StatusCode.ERROR, str(exc)[:200]))
