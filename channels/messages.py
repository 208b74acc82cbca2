"""What every channel adapter produces and consumes: one inbound message, one reply to render.

Adapters (channels/slack, channels/sms) turn a verified webhook into an `InboundMessage` and render an
`OutboundReply` for their medium; nothing here knows about Slack or Twilio."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from agent.reply_draft import ReplyDraft


@dataclass(frozen=True)
class PhotoAttachment:
    """A photo the platform holds for us; the adapter downloads it in the background."""

    url: str
    content_type: str
    size: int | None = None
    name: str = ""


@dataclass(frozen=True)
class InboundMessage:
    """One message from a person, already verified and de-duplicated by its adapter.

    Attributes:
        channel: "slack" | "sms".
        sender: The platform's id for the person (Slack user id, E.164 phone number).
        conversation_key: The LangGraph thread id, e.g. "sms:+15551234567" or "slack:T1:C1:1700000000.0001".
        text: What they wrote (may be empty when they only sent photos).
        photos: Photos attached to the message.
        refused: Attachments that are not photos (file names), answered with a polite refusal.
        reply_to: What the adapter needs to answer in place (Slack channel and thread_ts, SMS number).
        numbers_choices: The channel shows a reply's choices as "1) …" lines (SMS), so a bare number in
            this message picks the choice with that number from the last reply.
    """

    channel: str
    sender: str
    conversation_key: str
    text: str
    photos: tuple[PhotoAttachment, ...] = ()
    refused: tuple[str, ...] = ()
    reply_to: dict[str, Any] = field(default_factory=dict)
    numbers_choices: bool = False

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InboundMessage:
        """Back from its JSON form (dataclasses.asdict) in a queued job's arguments."""
        photos = tuple(PhotoAttachment(**photo) for photo in data.get("photos") or ())
        return cls(**{**data, "photos": photos, "refused": tuple(data.get("refused") or ())})


@dataclass(frozen=True)
class ConfirmationAnswer:
    """A click on a Confirm / Cancel button: answers the conversation's pending confirmation."""

    channel: str
    sender: str
    conversation_key: str
    decision: Literal["yes", "no"]
    reply_to: dict[str, Any] = field(default_factory=dict)


@dataclass
class OutboundReply:
    """The agent's answer, channel-neutral; each channel renders it for its medium.

    Attributes:
        text: The reply as neutral plain text, without the confirmation question (the planner's prose, or its
            draft's `plain_text()`), preceded by `notes`. Channels without a draft to render show this.
        confirmation: The plain-language summary of a WRITE waiting for yes / no, if any.
        draft: The planner's structured reply (headline, items, question, choices), when it made one.
        notes: The channel's own remarks on the message (a skipped attachment), shown before the reply.
        kind: "answer" for agent replies; "onboarding", "notice" for replies the channel makes itself.
    """

    text: str
    confirmation: str | None = None
    draft: ReplyDraft | None = None
    notes: list[str] = field(default_factory=list)
    kind: str = "answer"
