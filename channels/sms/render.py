"""An `OutboundReply` as SMS bodies: plain text (no Markdown), GSM-7 where possible, numbered choices,
"Reply YES to confirm, NO to cancel", at most ~320 characters per message, split on paragraph boundaries."""

from __future__ import annotations

import re

from channels.messages import OutboundReply
from channels.sms.gsm import to_gsm

PREFERRED_CHARS = 320
TWILIO_MAX_CHARS = 1600
CONFIRM_PROMPT = "Reply YES to confirm, NO to cancel."

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
    text = plain_text(reply.text)
    if reply.choices and not re.search(r"\breply\s+\d", text, re.IGNORECASE) and not reply.confirmation:
        text = f"{text}\n{choice_prompt(reply.choices)}"
    if reply.confirmation:
        text = f"{text}\n\n{plain_text(reply.confirmation)}\n{CONFIRM_PROMPT}".strip()
    text = to_gsm(text)
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
