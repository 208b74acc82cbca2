"""An `OutboundReply` as SMS bodies: plain text (no Markdown), GSM-7 where possible, at most ~320 characters
per message. A planner's draft becomes one short single-line message ("… 1) … 2) … Reply 1 or 2.")
(shortened to fit: short forms first, then fewer items, then cut lines); prose without a draft is split on
paragraph boundaries. A confirmation always ends with "Reply YES to confirm, NO to cancel"."""

from __future__ import annotations

import re

from agent.reply_draft import ReplyDraft
from channels.messages import OutboundReply
from channels.replies import numbered_choices
from channels.sms.gsm import to_gsm

PREFERRED_CHARS = 320
TWILIO_MAX_CHARS = 1600
CONFIRM_PROMPT = "Reply YES to confirm, NO to cancel."
SHORTEST_CUT = 24  # a line is never cut shorter than this (with its "...")
ELLIPSIS = "..."  # "…" in GSM-7

_MARKDOWN = [
    (re.compile(r"```[a-z]*\n?(.*?)```", re.DOTALL), r"\1"),
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), r"\1\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"^#{1,6}\s+", re.MULTILINE), ""),
    (re.compile(r"^\s*[*+]\s+", re.MULTILINE), "- "),
    (re.compile(r"^(\s*\d{1,2})\.\s+", re.MULTILINE), r"\1) "),
    (re.compile(r"\[([^\]]+)\]\((\S+?)\)"), r"\1 (\2)"),
    (re.compile(r"^\s*([-*_])\1{2,}\s*$", re.MULTILINE), ""),
]


def plain_text(text: str) -> str:
    """Markdown markup removed; numbered lists as "1) …" so a reply is "1", not "1."."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def choice_prompt(count: int) -> str:
    numbers = [str(i) for i in range(1, count + 1)]
    return f"Reply {numbers[0]}." if count == 1 else f"Reply {', '.join(numbers[:-1])} or {numbers[-1]}."


def render_sms(reply: OutboundReply, max_chars: int = PREFERRED_CHARS) -> list[str]:
    """The SMS bodies to send, in order (each ≤ max_chars unless a single word is longer, never > 1600)."""
    if reply.draft is not None:
        text = draft_sms(reply.draft, reply.confirmation, reply.notes, max_chars)
    else:
        text = plain_text(reply.text)
        if reply.confirmation:
            text = f"{text}\n\n{plain_text(reply.confirmation)}\n{CONFIRM_PROMPT}".strip()
        text = to_gsm(text)
        if len(" ".join(text.split())) <= max_chars:  # fits one message: one line, like a draft
            text = " ".join(text.split())
    pieces: list[str] = []
    for paragraph in (p.strip() for p in text.split("\n\n")):
        if not paragraph:
            continue
        if len(paragraph) <= max_chars:
            pieces.append(paragraph)
        else:
            pieces.extend(_pack([w for line in paragraph.split("\n") for w in _split_line(line, max_chars)],
                                max_chars, "\n"))
    return [body[:TWILIO_MAX_CHARS] for body in _pack(pieces, max_chars, "\n\n")] or ["(no reply)"]


def draft_sms(draft: ReplyDraft, confirmation: str | None, notes: list[str], max_chars: int) -> str:
    """A draft as one SMS of at most `max_chars` where possible: the channel's notes, the headline, the items
    ("1) …" when numbered), the question, then what to reply. When it is too long: the items' short forms,
    then without the draft's notes, then fewer items, then the longest lines cut with "..."; the question,
    the choices and the confirmation are never cut (if they alone are too long, the caller splits)."""
    count = len(draft.items)
    variants = [(False, count, True), (True, count, True), (True, count, False),
                *((True, shown, False) for shown in range(count - 1, 0, -1))]
    for short, shown, with_notes in variants:
        lines, cuttable = _draft_lines(draft, confirmation, notes, short, shown, with_notes)
        if len(_joined(lines)) <= max_chars:
            return _joined(lines)
    return _joined(_cut_longest(lines, cuttable, max_chars))


def _joined(lines: list[str]) -> str:
    """One line: a phone shows it as it comes, and a reply is just "2" or "yes"."""
    return " ".join(line for line in lines if line)


def _draft_lines(draft: ReplyDraft, confirmation: str | None, notes: list[str], short: bool, shown: int,
                 with_notes: bool) -> tuple[list[str], list[int]]:
    """The message's lines and which of them may be cut."""
    lines: list[str] = []
    cuttable: list[int] = []

    def add(text: str, cut: bool = False) -> None:
        text = to_gsm(" ".join(plain_text(text).split()))
        if text:
            if cut:
                cuttable.append(len(lines))
            lines.append(text)

    for note in notes:
        add(note, cut=True)
    add(draft.headline, cut=True)
    for number, item in enumerate(draft.items[:shown], 1):
        label = (item.short or item.title) if short else item.title
        add(f"{number}) {label}" if draft.numbered else f"- {label}", cut=True)
        for link in item.links:
            if link.absolute:  # a path under our API needs the web chat's credentials: useless on a phone
                add(f"{link.label}: {link.url}")
    if shown < len(draft.items):
        add(f"+{len(draft.items) - shown} more")
    for note in draft.notes if with_notes else []:
        add(note, cut=True)
    add(draft.question)
    if confirmation:
        add(confirmation)
        add(CONFIRM_PROMPT)
    elif draft.numbered and shown:
        add(choice_prompt(shown))
    elif choices := numbered_choices(draft):
        for number, choice in enumerate(choices, 1):
            add(f"{number}) {choice.label}")
        add(choice_prompt(len(choices)))
    return lines, cuttable


def _cut_longest(lines: list[str], cuttable: list[int], max_chars: int) -> list[str]:
    """Cut the longest cuttable line (never below the next longest, so long lines end up alike) until the
    text fits or every such line is as short as allowed."""
    lines = list(lines)
    while cuttable and (over := len(_joined(lines)) - max_chars) > 0:
        longest, *others = sorted(cuttable, key=lambda i: len(lines[i]), reverse=True)
        length = len(lines[longest])
        if length <= SHORTEST_CUT:
            break
        runner_up = len(lines[others[0]]) if others else 0
        target = max(SHORTEST_CUT, length - over, runner_up - 1)
        kept = lines[longest][:target - len(ELLIPSIS)]
        if " " in kept[-12:]:  # end on a whole word when one ends nearby
            kept = kept.rsplit(" ", 1)[0]
        lines[longest] = kept.rstrip() + ELLIPSIS
    return lines


def _split_line(line: str, max_chars: int) -> list[str]:
    if len(line) <= max_chars:
        return [line]
    return _pack(line.split(" "), max_chars, " ")


def _pack(pieces: list[str], max_chars: int, separator: str) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        if out and len(out[-1]) + len(separator) + len(piece) <= max_chars:
            out[-1] = f"{out[-1]}{separator}{piece}"
        else:
            out.append(piece)
    return out
