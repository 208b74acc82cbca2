"""From an agent turn to a channel-neutral `OutboundReply`: the planner's draft (or its prose, for planners
that write no draft) and the confirmation question apart from it. Channels render the draft; nothing here
reads the reply text or tool outputs to guess what the reply offers."""

from __future__ import annotations

import re

from agent.reply_draft import DraftChoice, ReplyDraft
from agent.runner import TurnResult
from channels.messages import OutboundReply

_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def reply_from_turn(turn: TurnResult) -> OutboundReply:
    text, summary = turn.reply, None
    if turn.confirmation is not None:
        summary = turn.confirmation.summary
        text = text.removesuffix(f"{summary} (yes/no)").rstrip()
    return OutboundReply(text=text, confirmation=summary, draft=turn.draft)


def numbered_choices(draft: ReplyDraft | None) -> list[DraftChoice]:
    """The choices a channel without buttons shows as "1) …", "2) …" (SMS). None when the items are numbered
    themselves: then a number picks an item, which the planner resolves against the list it showed."""
    if draft is None or (draft.numbered and draft.items):
        return []
    return list(draft.choices)


def bare_number(text: str) -> int | None:
    """The number a message consists of ("2", "2.", " 2) "), else None."""
    match = _NUMBER.match(text)
    return int(match.group(1)) if match else None


def picked_choice(draft: ReplyDraft | None, number: int) -> str | None:
    """What choice `number` says in a reply whose choices were shown numbered; None when there is no such one."""
    choices = numbered_choices(draft)
    return choices[number - 1].say if 1 <= number <= len(choices) else None
