"""What every channel adapter produces and consumes: one inbound message, one reply to render.

Adapters (channels/slack, channels/sms) turn a verified webhook into an `InboundMessage` and render an
`OutboundReply` for their medium; nothing here knows about Slack or Twilio."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


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
    """

    channel: str
    sender: str
    conversation_key: str
    text: str
    photos: tuple[PhotoAttachment, ...] = ()
    refused: tuple[str, ...] = ()
    reply_to: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ConfirmationAnswer:
    """A click on a Confirm / Cancel button: answers the conversation's pending confirmation."""

    channel: str
    sender: str
    conversation_key: str
    decision: Literal["yes", "no"]
    reply_to: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PartCard:
    """A part the agent found, for media that can show it richly (Slack Block Kit)."""

    part_number: str
    manufacturer: str
    name: str
    facts: tuple[str, ...] = ()


@dataclass
class OutboundReply:
    """The agent's answer, channel-neutral.

    Attributes:
        text: The reply without the confirmation question (plain text, may hold "1) …" choices).
        confirmation: The plain-language summary of a WRITE waiting for yes / no, if any.
        choices: How many numbered options `text` offers (0 when none).
        cards: Parts worth showing as cards.
        kind: "answer" for agent replies; "onboarding", "notice" for replies the channel makes itself.
    """

    text: str
    confirmation: str | None = None
    choices: int = 0
    cards: list[PartCard] = field(default_factory=list)
    kind: str = "answer"
