"""The channel-neutral middle of every adapter: who is writing, their photos, the agent turn, the reply.

Runs in a queued job (channels/jobs.py), never in the webhook request. A job retried after its process died
passes the same `TurnMark`, so a turn that had already begun is finished or read back, not run twice."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from langchain_core.messages import AIMessage

from agent.gateway import Caller, Gateway, PhotoRejected
from agent.notices import enter_notice
from agent.reply_draft import ReplyDraft, draft_of
from agent.runner import AgentRunner, TurnResult
from channels.messages import ConfirmationAnswer, InboundMessage, OutboundReply, PhotoAttachment
from channels.replies import bare_number, picked_choice, reply_from_turn

log = logging.getLogger(__name__)

PhotoFetcher = Callable[[PhotoAttachment], bytes]
PHOTO_ONLY_TEXT = "What part is this?"
_WHO = {"slack": "This Slack account", "sms": "This phone number"}


SORRY = "Sorry, something went wrong on my side. Please try again in a minute."


class TurnMark(Protocol):
    """Where a delivery's agent turn started (a checkpoint id), kept outside the process running it."""

    def get(self) -> str | None: ...

    def set(self, checkpoint_id: str) -> None: ...


class PhotoFetchFailed(RuntimeError):
    """A photo could not be downloaded (too large, not an image, platform error): `str()` is user-facing."""


def onboarding_text(channel: str, sender: str) -> str:
    who = _WHO.get(channel, "This account")
    return (f"Hi, this is Partpilot, the spare-parts assistant. {who} ({sender}) is not linked to a Partpilot "
            "user yet. Ask your parts manager to add it to your profile, then message me again.")


class ConversationService:
    """Turns an `InboundMessage` into an `OutboundReply` through the agent, for a known sender only."""

    def __init__(self, gateway: Gateway, runner_factory: Callable[[], AgentRunner]) -> None:
        self.gateway = gateway
        self._runner_factory = runner_factory
        self._runner: AgentRunner | None = None
        self._runner_lock = threading.Lock()

    @property
    def runner(self) -> AgentRunner:
        with self._runner_lock:
            if self._runner is None:
                self._runner = self._runner_factory()
            return self._runner

    def caller_for(self, channel: str, sender: str) -> Caller | None:
        """The active user behind a Slack user id or phone number; None for strangers."""
        return self.gateway.caller(channel, sender)

    def answer(self, message: InboundMessage, fetch_photo: PhotoFetcher, mark: TurnMark | None = None) -> OutboundReply:
        """The reply to a message; an unexpected failure becomes an apology (and a logged traceback), so the
        person is never left without an answer."""
        try:
            return self._answer(message, fetch_photo, mark)
        except Exception as exc:
            if self.gateway.is_outage(exc):
                raise  # the store is down: the job is retried once it is back, rather than apologising now
            log.exception("turn failed in %s", message.conversation_key)
            return OutboundReply(SORRY, kind="notice")

    def _answer(self, message: InboundMessage, fetch_photo: PhotoFetcher, mark: TurnMark | None) -> OutboundReply:
        caller = self.caller_for(message.channel, message.sender)
        if caller is None:  # strangers see no data: no photo is stored, the agent never runs
            return OutboundReply(onboarding_text(message.channel, message.sender), kind="onboarding")
        recovered = self._recovered(message.conversation_key, caller, mark)
        if recovered is not None:
            return recovered
        notes = [f"I can only read photos (JPEG, PNG or WebP), so I skipped {name}." for name in message.refused]
        photo_ids: list[str] = []
        for attachment in message.photos:
            try:
                photo_ids.append(self.gateway.save_photo(caller, fetch_photo(attachment), source=message.channel))
            except (PhotoFetchFailed, PhotoRejected) as exc:
                notes.append(f"I could not use {attachment.name or 'your photo'}: {exc}")
        text = message.text.strip() or (PHOTO_ONLY_TEXT if photo_ids else "")
        notice = self.gateway.answered_notice(caller, message.channel, message.conversation_key)
        if notice is not None and text:
            enter_notice(self.runner, message.conversation_key, caller, notice)
        if not text:
            return OutboundReply("\n".join(notes) or "Send me a part number, a description or a photo of the "
                                 "nameplate.", kind="notice")
        if message.numbers_choices and not photo_ids:
            text = self._choice_said(message.conversation_key, caller, text) or text
        reply = self._turn(message.conversation_key, caller, mark, lambda r: r.send(
            message.conversation_key, caller, text, photo_ids=photo_ids))
        if notes:
            reply.notes = notes
            reply.text = "\n".join([*notes, reply.text]).strip()
        return reply

    def _choice_said(self, thread_id: str, caller: Caller, text: str) -> str | None:
        """A bare number answering a reply whose choices the channel numbered: what that choice says. Not while
        a confirmation waits (the channel showed no choices then, and the number answers the confirmation)."""
        number = bare_number(text)
        if number is None or self.runner.pending(thread_id, caller) is not None:
            return None
        return picked_choice(self.last_draft(thread_id), number)

    def last_draft(self, thread_id: str) -> ReplyDraft | None:
        """The draft of the conversation's last reply (the last planner message with text), if it had one."""
        for message in reversed(_messages(self.runner, thread_id)):
            if isinstance(message, AIMessage) and message.text.strip():
                return draft_of(message.additional_kwargs)
        return None

    def confirm(self, answer: ConfirmationAnswer, mark: TurnMark | None = None) -> OutboundReply:
        """A Confirm / Cancel click: resumes the pending WRITE of that conversation, if there still is one."""
        try:
            return self._confirm(answer, mark)
        except Exception as exc:
            if self.gateway.is_outage(exc):
                raise
            log.exception("confirmation failed in %s", answer.conversation_key)
            return OutboundReply(SORRY, kind="notice")

    def _confirm(self, answer: ConfirmationAnswer, mark: TurnMark | None) -> OutboundReply:
        caller = self.caller_for(answer.channel, answer.sender)
        if caller is None:
            return OutboundReply(onboarding_text(answer.channel, answer.sender), kind="onboarding")
        recovered = self._recovered(answer.conversation_key, caller, mark)
        if recovered is not None:
            return recovered
        if self.runner.pending(answer.conversation_key, caller) is None:
            return OutboundReply("That request was already answered; nothing else was changed.", kind="notice")
        return self._turn(answer.conversation_key, caller, mark, lambda r: r.resume(
            answer.conversation_key, caller, {"decision": answer.decision}))

    def _recovered(self, thread_id: str, caller: Caller, mark: TurnMark | None) -> OutboundReply | None:
        """The reply of this delivery's turn when an earlier attempt had begun it (finished now if cut off)."""
        started = mark.get() if mark is not None else None
        if started is None:
            return None
        turn = self.runner.finish(thread_id, caller, started)
        return None if turn is None else reply_from_turn(turn)

    def _turn(self, thread_id: str, caller: Caller, mark: TurnMark | None,
              run: Callable[[AgentRunner], TurnResult]) -> OutboundReply:
        if mark is not None:
            mark.set(self.runner.checkpoint_id(thread_id))
        turn = run(self.runner)
        log.info("turn in %s by %s: %d tool calls, %.0f ms, draft: %s", thread_id, caller.email,
                 len(turn.tool_calls), turn.latency_ms, turn.draft is not None)
        return reply_from_turn(turn)


def _messages(runner: AgentRunner, thread_id: str) -> list[Any]:
    state = runner.graph.get_state({"configurable": {"thread_id": thread_id}})
    return list(state.values.get("messages", []))
