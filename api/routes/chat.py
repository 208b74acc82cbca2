"""Chat under /api/v1/chat: a message or a confirmation answer in, the agent's turn out as a Server-Sent
Events stream in the Vercel AI SDK UI-message format; and the conversation so far, for reloads."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from agent.reply_draft import internals_in
from agent.runner import AgentRunner
from api.deps import CallerDep, EngineDep
from api.errors import ERROR_RESPONSES
from channels.web.bridge import iterate_in_thread, turns
from channels.web.events import resume_events, turn_events
from channels.web.history import ui_messages
from channels.web.price_badges import badge_parts, with_price_badges
from channels.web.stream import DONE_FRAME, UI_MESSAGE_STREAM_HEADERS, UIMessageEncoder, sse_frame
from tools.chat_threads import CLIENT_THREAD_ID, ThreadNotFound, claim_thread, require_thread, web_thread_id
from tools.context import Caller
from tools.photo_store import load_photo_bytes
from tools.registry import REGISTRY, ToolKind, load_all_tools, summarize_call

router = APIRouter(prefix="/api/v1/chat", tags=["chat"], responses=ERROR_RESPONSES)

ThreadIdPath = Annotated[str, Path(pattern=CLIENT_THREAD_ID.pattern, description="Client-chosen id, e.g. a UUID")]
_STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {"description": "AI SDK UI-message stream (text/event-stream)", "content": {"text/event-stream": {}}},
    404: {"description": "No such thread for this user"},
}


@lru_cache(maxsize=1)
def _shared_runner() -> AgentRunner:
    from knowledge.db import get_engine

    return AgentRunner(get_engine())


def runner_dependency() -> AgentRunner:
    """One agent (graph compiled once, planner loaded once) for all chat requests."""
    return _shared_runner()


RunnerDep = Annotated[AgentRunner, Depends(runner_dependency)]


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=4000, description="What the user typed")
    photo_ids: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=5, description="Ids from POST /api/v1/uploads")

    @field_validator("message")
    @classmethod
    def _printable(cls, value: str) -> str:
        value = value.replace("\x00", "").strip()  # Postgres text cannot hold NUL
        if not value:
            raise ValueError("the message is empty")
        return value


class ResumeRequest(BaseModel):
    decision: Literal["yes", "no", "edit"] = Field(description="Confirm, cancel, or change the pending action")
    text: str | None = Field(default=None, max_length=2000,
                             description="For `edit` without `args`: what the user wants instead, in words")

    @field_validator("text")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        return None if value is None else value.replace("\x00", "")
    args: dict[str, Any] | None = Field(default=None, description="For `edit`: do it with these arguments changed")


class ChatHistory(BaseModel):
    thread_id: str
    messages: list[dict[str, Any]] = Field(description="AI SDK UIMessages: {id, role, parts}")
    pending: dict[str, Any] | None = Field(description="The confirmation waiting for an answer, if any")


def _web(caller: Caller) -> Caller:
    return dataclasses.replace(caller, channel="web")


def _claim(engine: Engine, caller: Caller, client_id: str, title: str | None = None) -> str:
    thread = web_thread_id(client_id)
    try:
        if title is not None:
            claim_thread(engine, caller, thread, title)
        else:
            require_thread(engine, caller, thread)
    except ThreadNotFound:
        raise HTTPException(404, "No such conversation.") from None
    return thread


def _stream(thread: str, make: Any) -> StreamingResponse:
    """The turn `make()` runs, as the UI-message SSE stream; one turn at a time per thread (else 409)."""
    if not turns.claim(thread):
        raise HTTPException(409, "A reply is still being written in this conversation; wait for it to finish.")

    async def frames() -> AsyncIterator[str]:
        encoder = UIMessageEncoder()
        for chunk in encoder.start():
            yield sse_frame(chunk)
        async for event in iterate_in_thread(make, on_finish=lambda: turns.release(thread)):
            for chunk in encoder.encode(event):
                yield sse_frame(chunk)
        for chunk in encoder.finish():
            yield sse_frame(chunk)
        yield DONE_FRAME

    return StreamingResponse(frames(), headers=UI_MESSAGE_STREAM_HEADERS, media_type="text/event-stream")


def _check_photos(engine: Engine, caller: Caller, photo_ids: list[str]) -> None:
    with Session(engine) as session:
        missing = [p for p in photo_ids if load_photo_bytes(session, caller, p) is None]
    if missing:
        raise RequestValidationError([{"loc": ("body", "photo_ids"), "type": "value_error",
                                       "msg": f"Unknown photo id(s): {', '.join(missing)}"}])


@router.post("/{thread_id}", response_class=StreamingResponse,
             responses={**_STREAM_DOC, 409: {"description": "A reply is still streaming"}})
async def chat(thread_id: ThreadIdPath, body: ChatRequest, caller: CallerDep, engine: EngineDep,
               runner: RunnerDep) -> StreamingResponse:
    """Send a message (and optionally photos) to the thread; the reply streams back. A thread belongs to the
    user who started it. While a confirmation is pending, a plain message answers it."""
    caller = _web(caller)
    if body.photo_ids:
        await run_in_threadpool(_check_photos, engine, caller, body.photo_ids)
    thread = await run_in_threadpool(_claim, engine, caller, thread_id, body.message[:200])
    return _stream(thread, lambda: with_price_badges(
        turn_events(runner, thread, caller, body.message, tuple(body.photo_ids))))


@router.post("/{thread_id}/resume", response_class=StreamingResponse,
             responses={**_STREAM_DOC, 409: {"description": "Nothing awaits an answer, or a reply is streaming"}})
async def resume(thread_id: ThreadIdPath, body: ResumeRequest, caller: CallerDep, engine: EngineDep,
                 runner: RunnerDep) -> StreamingResponse:
    """Answer the pending confirmation: yes (do it), no (cancel), or edit — with `args`, do it with those
    arguments changed; with only `text`, nothing is written and the assistant hears what the user said."""
    caller = _web(caller)
    thread = await run_in_threadpool(_claim, engine, caller, thread_id)
    if await run_in_threadpool(runner.pending, thread, caller) is None:
        raise HTTPException(409, "Nothing is waiting for a confirmation in this conversation.")
    answer: dict[str, Any] = {"decision": body.decision}
    if body.decision == "edit":
        answer.update(text=body.text or "", args=body.args or {})
    return _stream(thread, lambda: with_price_badges(resume_events(runner, thread, caller, answer)))


@router.get("/{thread_id}", response_model=ChatHistory, responses={404: {"description": "No such thread"}})
async def history(thread_id: ThreadIdPath, caller: CallerDep, engine: EngineDep, runner: RunnerDep) -> ChatHistory:
    """The conversation so far as AI SDK UIMessages, with the confirmation still waiting, if any."""
    caller = _web(caller)
    thread = await run_in_threadpool(_claim, engine, caller, thread_id)
    return await run_in_threadpool(_history, runner, thread, caller, thread_id)


def _summary(runner: AgentRunner, caller: Caller, tool: str, args: dict[str, Any]) -> str:
    """An answered confirmation's question, restored; empty (the widget says "Confirm this action") when it
    could only be told in the machinery's words (a call whose arguments no longer parse)."""
    summary = summarize_call(runner.engine, caller, tool, args)
    return "" if internals_in(summary) else summary


def _history(runner: AgentRunner, thread: str, caller: Caller, client_id: str) -> ChatHistory:
    config = runner._config(thread, caller)
    messages = runner.graph.get_state(config).values.get("messages", [])
    pending = runner.pending(thread, caller)
    load_all_tools()
    writes = frozenset(name for name, spec in REGISTRY.items() if spec.kind is ToolKind.WRITE)
    shown = ui_messages(messages, pending, writes, lambda tool, args: _summary(runner, caller, tool, args))
    for message in shown:
        if message["role"] == "assistant":
            message["parts"].extend(badge_parts(message))
    return ChatHistory(thread_id=client_id, messages=shown,
                       pending=None if pending is None else {"summary": pending.summary, "tool": pending.tool,
                                                             "input": pending.args})
