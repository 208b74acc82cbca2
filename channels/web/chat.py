"""Chat under /api/v1/chat: a message or a confirmation answer in, the agent's turn out as a Server-Sent
Events stream in the Vercel AI SDK UI-message format; and the conversation so far, for reloads. The chat route
also takes the AI SDK's stock `DefaultChatTransport` body (channels/web/ui_request.py), at
`/api/v1/chat/{thread}` or at `/api/v1/chat` with the chat's `id` as the thread.

The router is built by `chat_router(authenticate)`: the application's wiring hands in the API's bearer-key
dependency, and the agent runner and gateway through `app.state` (one of each per process)."""

# No `from __future__ import annotations`: the routes are defined inside chat_router, and FastAPI must see
# their caller dependency (a local) when it reads the signatures.
import dataclasses
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, field_validator

from agent.gateway import CLIENT_THREAD_ID, Caller, Gateway, PhotoRejected, ThreadNotFound
from agent.reply_draft import internals_in
from agent.runner import AgentRunner
from channels.web.bridge import iterate_in_thread
from channels.web.events import pending_call, resume_events, turn_events
from channels.web.history import ui_messages
from channels.web.price_badges import badge_parts, with_price_badges
from channels.web.stream import DONE_FRAME, UI_MESSAGE_STREAM_HEADERS, UIMessageEncoder, sse_frame
from channels.web.ui_request import UIChatRequest, UITurn, read_turn

ThreadIdPath = Annotated[str, Path(pattern=CLIENT_THREAD_ID.pattern, description="Client-chosen id, e.g. a UUID")]
_STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {"description": "AI SDK UI-message stream (text/event-stream)", "content": {"text/event-stream": {}}},
    404: {"description": "No such thread for this user"},
}


def runner_dependency(request: Request) -> AgentRunner:
    """One agent (graph compiled once, planner loaded once) for all chat requests."""
    runner: AgentRunner = request.app.state.runner()
    return runner


def gateway_dependency(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway()
    return gateway


RunnerDep = Annotated[AgentRunner, Depends(runner_dependency)]
GatewayDep = Annotated[Gateway, Depends(gateway_dependency)]


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=4000, description="What the user typed")
    photo_ids: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=5, description="Ids from POST /api/v1/uploads")
    notification_id: uuid.UUID | None = Field(
        None, description="The message answers this notification of yours (a button in the inbox): it enters the "
        "conversation first, so \"accept\" means its offer")

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


def _claim(gateway: Gateway, caller: Caller, client_id: str, title: str | None = None) -> str:
    try:
        return gateway.web_thread(caller, client_id, title)
    except ThreadNotFound:
        raise HTTPException(404, "No such conversation.") from None


async def _stream(gateway: Gateway, thread: str, make: Any, ready: Callable[[], bool] = lambda: True,
                  not_ready: str = "", message_id: str | None = None) -> StreamingResponse:
    """The turn `make()` runs, as the UI-message SSE stream; one turn at a time per thread in any API process
    (else 409). `ready` is checked once the turn is ours (409 with `not_ready` when it says no). `message_id`:
    the client's assistant message the stream continues (an approval's), else a new one."""
    turns = gateway.turn_locks
    if not await run_in_threadpool(turns.claim, thread):
        raise HTTPException(409, "A reply is still being written in this conversation; wait for it to finish.")
    try:
        is_ready = await run_in_threadpool(ready)
    except BaseException:
        await run_in_threadpool(turns.release, thread)
        raise
    if not is_ready:
        await run_in_threadpool(turns.release, thread)
        raise HTTPException(409, not_ready)

    async def frames() -> AsyncIterator[str]:
        encoder = UIMessageEncoder(message_id)
        for chunk in encoder.start():
            yield sse_frame(chunk)
        async for event in iterate_in_thread(make, on_finish=lambda: turns.release(thread)):
            for chunk in encoder.encode(event):
                yield sse_frame(chunk)
        for chunk in encoder.finish():
            yield sse_frame(chunk)
        yield DONE_FRAME

    return StreamingResponse(frames(), headers=UI_MESSAGE_STREAM_HEADERS, media_type="text/event-stream")


def _check_photos(gateway: Gateway, caller: Caller, photo_ids: list[str]) -> None:
    missing = gateway.missing_photos(caller, photo_ids)
    if missing:
        raise RequestValidationError([{"loc": ("body", "photo_ids"), "type": "value_error",
                                       "msg": f"Unknown photo id(s): {', '.join(missing)}"}])


def _invalid(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body", field), "type": "value_error", "msg": message}])


def _save_photos(gateway: Gateway, caller: Caller, photos: tuple[bytes, ...]) -> list[str]:
    try:
        return [gateway.save_photo(caller, data, "web") for data in photos]
    except PhotoRejected as exc:
        raise _invalid("messages", str(exc)) from None


async def _transport_turn(gateway: Gateway, runner: AgentRunner, caller: Caller, client_id: str,
                          body: UIChatRequest) -> StreamingResponse:
    """A `DefaultChatTransport` request: the last user message as a turn, or its approval response as the
    answer to the pending confirmation (the same path as /resume)."""
    try:
        turn: UITurn = read_turn(body)
    except ValueError as exc:
        raise _invalid("messages", str(exc)) from None
    if turn.approval is not None:
        thread = await run_in_threadpool(_claim, gateway, caller, client_id)
        call_id, answer = turn.approval.tool_call_id, {"decision": "yes" if turn.approval.approved else "no"}
        return await _stream(gateway, thread, lambda: with_price_badges(resume_events(runner, thread, caller, answer)),
                             ready=lambda: (pending_call(runner, thread, caller) or {}).get("tool_call_id") == call_id,
                             not_ready="That tool call is not waiting for an approval (any more).",
                             message_id=turn.message_id)
    if body.photo_ids:
        await run_in_threadpool(_check_photos, gateway, caller, body.photo_ids)
    photo_ids = [*body.photo_ids, *await run_in_threadpool(_save_photos, gateway, caller, turn.photos)]
    thread = await run_in_threadpool(_claim, gateway, caller, client_id, turn.text[:200])
    return await _stream(gateway, thread, lambda: with_price_badges(
        turn_events(runner, thread, caller, turn.text, tuple(photo_ids), notice=body.notification_id)))


def chat_router(authenticate: Callable[..., Caller], responses: dict[int | str, dict[str, Any]]) -> APIRouter:
    """The chat routes; `authenticate` is a FastAPI dependency that yields the caller (401 otherwise)."""
    router = APIRouter(prefix="/api/v1/chat", tags=["chat"], responses=responses)
    CallerDep = Annotated[Caller, Depends(authenticate)]

    @router.post("/{thread_id}", response_class=StreamingResponse,
                 responses={**_STREAM_DOC, 409: {"description": "A reply is still streaming"}})
    async def chat(thread_id: ThreadIdPath, body: ChatRequest | UIChatRequest, caller: CallerDep,
                   gateway: GatewayDep, runner: RunnerDep) -> StreamingResponse:
        """Send a message (and optionally photos) to the thread; the reply streams back. A thread belongs to the
        user who started it. While a confirmation is pending, a plain message answers it. Also takes the AI
        SDK's `DefaultChatTransport` body: its last user message, or its tool approval response."""
        caller = _web(caller)
        if isinstance(body, UIChatRequest):
            return await _transport_turn(gateway, runner, caller, thread_id, body)
        if body.photo_ids:
            await run_in_threadpool(_check_photos, gateway, caller, body.photo_ids)
        thread = await run_in_threadpool(_claim, gateway, caller, thread_id, body.message[:200])
        return await _stream(gateway, thread, lambda: with_price_badges(
            turn_events(runner, thread, caller, body.message, tuple(body.photo_ids), notice=body.notification_id)))

    @router.post("", response_class=StreamingResponse,
                 responses={**_STREAM_DOC, 409: {"description": "A reply is still streaming"}})
    async def chat_by_id(body: UIChatRequest, caller: CallerDep, gateway: GatewayDep,
                         runner: RunnerDep) -> StreamingResponse:
        """The AI SDK's `DefaultChatTransport` at `api: "/api/v1/chat"`: the chat's `id` is the thread."""
        if body.id is None or not CLIENT_THREAD_ID.fullmatch(body.id):
            raise _invalid("id", f"The chat id must match {CLIENT_THREAD_ID.pattern}.")
        return await _transport_turn(gateway, runner, _web(caller), body.id, body)

    @router.post("/{thread_id}/resume", response_class=StreamingResponse,
                 responses={**_STREAM_DOC, 409: {"description": "Nothing awaits an answer, or a reply is streaming"}})
    async def resume(thread_id: ThreadIdPath, body: ResumeRequest, caller: CallerDep, gateway: GatewayDep,
                     runner: RunnerDep) -> StreamingResponse:
        """Answer the pending confirmation: yes (do it), no (cancel), or edit — with `args`, do it with those
        arguments changed; with only `text`, nothing is written and the assistant hears what the user said."""
        caller = _web(caller)
        thread = await run_in_threadpool(_claim, gateway, caller, thread_id)
        answer: dict[str, Any] = {"decision": body.decision}
        if body.decision == "edit":
            answer.update(text=body.text or "", args=body.args or {})
        return await _stream(gateway, thread, lambda: with_price_badges(resume_events(runner, thread, caller, answer)),
                             ready=lambda: runner.pending(thread, caller) is not None,
                             not_ready="Nothing is waiting for a confirmation in this conversation.")

    @router.get("/{thread_id}", response_model=ChatHistory, responses={404: {"description": "No such thread"}})
    async def history(thread_id: ThreadIdPath, caller: CallerDep, gateway: GatewayDep,
                      runner: RunnerDep) -> ChatHistory:
        """The conversation so far as AI SDK UIMessages, with the confirmation still waiting, if any."""
        caller = _web(caller)
        thread = await run_in_threadpool(_claim, gateway, caller, thread_id)
        return await run_in_threadpool(_history, runner, gateway, thread, caller, thread_id)

    return router


def _summary(gateway: Gateway, caller: Caller, tool: str, args: dict[str, Any]) -> str:
    """An answered confirmation's question, restored; empty (the widget says "Confirm this action") when it
    could only be told in the machinery's words (a call whose arguments no longer parse)."""
    summary = gateway.summarize_call(caller, tool, args)
    return "" if internals_in(summary) else summary


def _history(runner: AgentRunner, gateway: Gateway, thread: str, caller: Caller, client_id: str) -> ChatHistory:
    config = runner.config(thread, caller)
    messages = runner.graph.get_state(config).values.get("messages", [])
    pending = runner.pending(thread, caller)
    shown = ui_messages(messages, pending, gateway.write_tools(),
                        lambda tool, args: _summary(gateway, caller, tool, args))
    for message in shown:
        if message["role"] == "assistant":
            message["parts"].extend(badge_parts(message))
    return ChatHistory(thread_id=client_id, messages=shown,
                       pending=None if pending is None else {"summary": pending.summary, "tool": pending.tool,
                                                             "input": pending.args})
