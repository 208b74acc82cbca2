"""Rendering an `OutboundReply` as Slack Block Kit: the answer, part cards, Confirm / Cancel buttons."""

from __future__ import annotations

import json
import re
from typing import Any

from channels.messages import OutboundReply, PartCard

CONFIRM_ACTION = "partpilot_confirm"
CANCEL_ACTION = "partpilot_cancel"
CONFIRMATION_BLOCK = "partpilot_confirmation"
SECTION_LIMIT = 3000  # Block Kit's maximum for a section's text


def mrkdwn(text: str) -> str:
    """Plain or Markdown text as Slack mrkdwn: control characters escaped, **bold** as *bold*."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = re.sub(r"\*\*(.+?)\*\*", r"*\1*", escaped)
    return re.sub(r"^#{1,6}\s+(.+)$", r"*\1*", escaped, flags=re.MULTILINE)


def _sections(text: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    chunk = ""
    for line in mrkdwn(text).split("\n"):
        if chunk and len(chunk) + len(line) + 1 > SECTION_LIMIT:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line[:SECTION_LIMIT]
    if chunk.strip():
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    return blocks


def part_card(card: PartCard) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{
        "type": "section", "block_id": f"part_{card.part_number}"[:255],
        "fields": [{"type": "mrkdwn", "text": f"*Part number*\n{mrkdwn(card.part_number)}"},
                   {"type": "mrkdwn", "text": f"*Manufacturer*\n{mrkdwn(card.manufacturer) or '-'}"},
                   {"type": "mrkdwn", "text": f"*Name*\n{mrkdwn(card.name) or '-'}"}],
    }]
    if card.facts:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn(f)} for f in card.facts]})
    return blocks


def confirmation_blocks(summary: str, conversation_key: str, requester: str) -> list[dict[str, Any]]:
    value = json.dumps({"k": conversation_key, "u": requester})
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Please confirm:* {mrkdwn(summary)}"}},
        {"type": "actions", "block_id": CONFIRMATION_BLOCK, "elements": [
            {"type": "button", "action_id": CONFIRM_ACTION, "style": "primary", "value": value,
             "text": {"type": "plain_text", "text": "Confirm"}},
            {"type": "button", "action_id": CANCEL_ACTION, "style": "danger", "value": value,
             "text": {"type": "plain_text", "text": "Cancel"}},
        ]},
    ]


def reply_blocks(reply: OutboundReply, conversation_key: str, requester: str) -> list[dict[str, Any]]:
    blocks = _sections(reply.text)
    if reply.cards:
        blocks.append({"type": "divider"})
        for card in reply.cards:
            blocks.extend(part_card(card))
    if reply.confirmation:
        blocks.extend(confirmation_blocks(reply.confirmation, conversation_key, requester))
    return blocks[:50]  # Slack's limit per message


def fallback_text(reply: OutboundReply) -> str:
    """The notification / screen-reader text that accompanies the blocks."""
    text = reply.text
    if reply.confirmation:
        text = f"{text}\nPlease confirm: {reply.confirmation}".strip()
    return text[:3900] or "(no reply)"


def answered_blocks(original: list[dict[str, Any]], note: str) -> list[dict[str, Any]]:
    """The confirmation message after a click: the buttons replaced by who answered and how."""
    kept = [b for b in original if b.get("block_id") != CONFIRMATION_BLOCK]
    return [*kept, {"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}]
