"""Rendering an `OutboundReply` as Slack Block Kit: the planner's draft (headline, an item per section with
its facts and price badge, the question, choice buttons) or its prose, and Confirm / Cancel buttons."""

from __future__ import annotations

import json
import re
from typing import Any

from agent.reply_draft import DraftItem, ReplyDraft
from channels.messages import OutboundReply

CONFIRM_ACTION = "partpilot_confirm"
CANCEL_ACTION = "partpilot_cancel"
CONFIRMATION_BLOCK = "partpilot_confirmation"
CHOICE_ACTION = "partpilot_choice"  # + "_<n>": action ids must differ within a block
CHOICES_BLOCK = "partpilot_choices"
SECTION_LIMIT = 3000  # Block Kit's maximum for a section's text
MAX_BLOCKS = 50  # per message
BUTTON_TEXT_LIMIT = 75
MAX_BUTTONS = 25  # per actions block
CONTEXT_ELEMENTS = 10  # per context block


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


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _context(texts: list[str]) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(mrkdwn(t), SECTION_LIMIT)}
                                            for t in texts[:CONTEXT_ELEMENTS]]}


def item_blocks(item: DraftItem, number: int | None, index: int) -> list[dict[str, Any]]:
    """One item: its title as a section, its facts, price badge and links (absolute ones: Slack cannot sign a
    request to our API) as a context line under it."""
    title = f"{number}) {item.title}" if number is not None else item.title
    blocks: list[dict[str, Any]] = [{"type": "section", "block_id": f"item_{index}",
                                     "text": {"type": "mrkdwn", "text": _cut(f"*{mrkdwn(title)}*", SECTION_LIMIT)}}]
    links = [{"type": "mrkdwn", "text": f"<{link.url}|{mrkdwn(link.label)}>"}
             for link in item.links if link.absolute][:CONTEXT_ELEMENTS - 1]
    extras = [*item.facts[:CONTEXT_ELEMENTS - 1 - len(links)], *([item.badge.label] if item.badge else [])]
    if extras or links:
        blocks.append({"type": "context", "elements": [*_context(extras)["elements"], *links]})
    return blocks


def _button(label: str, say: str, number: int, conversation_key: str, requester: str) -> dict[str, Any]:
    value = json.dumps({"k": conversation_key, "u": requester, "s": say[:1000], "l": label[:BUTTON_TEXT_LIMIT]})
    return {"type": "button", "action_id": f"{CHOICE_ACTION}_{number}", "value": value,
            "text": {"type": "plain_text", "text": _cut(label, BUTTON_TEXT_LIMIT)}}


def choice_buttons(draft: ReplyDraft, conversation_key: str, requester: str) -> list[dict[str, Any]]:
    """A button per numbered item (it says the number, as a reply would) and per choice (it says the choice)."""
    picks = [(f"{n}) {item.short or item.title}", str(n)) for n, item in enumerate(draft.items, 1)
             if draft.numbered]
    picks.extend((choice.label, choice.say) for choice in draft.choices)
    buttons = [_button(label, say, n, conversation_key, requester)
               for n, (label, say) in enumerate(picks[:MAX_BUTTONS], 1)]
    return [{"type": "actions", "block_id": CHOICES_BLOCK, "elements": buttons}] if buttons else []


def notice_blocks(title: str, body: str, actions: list[dict[str, str]], requester: str) -> list[dict[str, Any]]:
    """A notification DM: its words, and a button per answer. The buttons name no conversation: a click
    answers in the notice's own thread (the conversation the notice enters when it is answered)."""
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": _cut(
        f"*{mrkdwn(title)}*\n{mrkdwn(body)}", SECTION_LIMIT)}}]
    buttons = [_button(a["label"], a["say"], n, "", requester) for n, a in enumerate(actions[:MAX_BUTTONS], 1)]
    return [*blocks, {"type": "actions", "block_id": CHOICES_BLOCK, "elements": buttons}] if buttons else blocks


def draft_blocks(draft: ReplyDraft) -> list[dict[str, Any]]:
    blocks = _sections(draft.headline)
    for index, item in enumerate(draft.items):
        blocks.extend(item_blocks(item, index + 1 if draft.numbered else None, index))
    if draft.notes:
        blocks.append(_context(draft.notes))
    return [*blocks, *_sections(draft.question)]


def reply_blocks(reply: OutboundReply, conversation_key: str, requester: str) -> list[dict[str, Any]]:
    """The message's blocks. Buttons come last and survive the 50-block limit (items are dropped first);
    choices are offered only when no confirmation waits, since any answer would then answer that."""
    if reply.draft is None:
        body, tail = _sections(reply.text), []
    else:
        body = [*([_context(reply.notes)] if reply.notes else []), *draft_blocks(reply.draft)]
        tail = [] if reply.confirmation else choice_buttons(reply.draft, conversation_key, requester)
    if reply.confirmation:
        tail = confirmation_blocks(reply.confirmation, conversation_key, requester)
    return [*body[:MAX_BLOCKS - len(tail)], *tail]


def fallback_text(reply: OutboundReply) -> str:
    """The notification / screen-reader text that accompanies the blocks."""
    text = reply.text
    if reply.confirmation:
        text = f"{text}\nPlease confirm: {reply.confirmation}".strip()
    return text[:3900] or "(no reply)"


def answered_blocks(original: list[dict[str, Any]], note: str) -> list[dict[str, Any]]:
    """A message after a click on its buttons: the buttons replaced by who answered and how."""
    kept = [b for b in original if b.get("block_id") not in (CONFIRMATION_BLOCK, CHOICES_BLOCK)]
    return [*kept, {"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}]
