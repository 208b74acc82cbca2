"""The auction part of drafting a listing: starting bid, how long it runs (or when it ends), and an optional
secret reserve — read from the seller's words ("auction it off for 7 days starting at $200, reserve $300")
or asked one at a time, then turned into create_listing's auction arguments."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from agent.planners.local.frame import Frame
from agent.planners.local.understand import bare_amount

AUCTION_SLOTS = ("starting_bid", "duration", "reserve")
MAX_AUCTION_HOURS = 30 * 24
MIN_AUCTION_HOURS = 1
QUESTIONS = {
    "starting_bid": "What starting bid (USD)?",
    "duration": "How long should the auction run — e.g. 3 days, 7 days (at most 30)?",
    "reserve": "Any reserve price — a secret minimum below which it won't sell? Reply an amount, or 'no reserve'.",
}
_AMOUNT = r"\$?\s?(\d[\d,]*(?:\.\d{1,2})?)\s*(k\b)?"
_START = re.compile(r"\b(?:(?:start(?:ing|s)?|open(?:ing|s)?)(?:\s+(?:bid(?:ding)?|price|it|the bidding|at|from))*"
                    r"|min(?:imum)? bid)\s*(?:at|of|from|is|=|:)?\s*" + _AMOUNT, re.I)
_RESERVE = re.compile(r"\breserve(?:\s+price)?\s*(?:of|at|is|to|=|:)?\s*" + _AMOUNT, re.I)
_NO_RESERVE = re.compile(r"\b(no|without( a)?|skip( the)?) reserve\b|^\s*(no|none|nope|skip|no thanks)\s*[.!]*\s*$",
                         re.I)
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "ten": 10, "fourteen": 14, "thirty": 30}
_DURATION = re.compile(r"\b(\d{1,3}|a|an|one|two|three|four|five|six|seven|ten|fourteen|thirty)[\s-]*"
                       r"(hours?|hrs?|h|days?|d|weeks?|wks?)\b", re.I)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_END_DATE = re.compile(r"\b(?:end(?:s|ing)?|until|till|through|closing|closes)\s+(?:on\s+)?"
                       r"(?:(\d{4}-\d{2}-\d{2})|([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?)\b", re.I)


def _money(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    value = Decimal(match.group(1).replace(",", "")) * (1000 if match.group(2) else 1)
    return f"{value:.2f}" if value > 0 else None


def names_amount(text: str, number: int) -> bool:
    """Whether `number` is the starting bid or reserve named in the text ("reserve 300" is no quantity)."""
    said = {_money(_START.search(text)), _money(_RESERVE.search(text))}
    return f"{number:.2f}" in said


def duration_hours(text: str) -> float | None:
    """ "7 days", "a week", "48 hours", "10-day" → hours."""
    match = _DURATION.search(text)
    if match is None:
        return None
    count = match.group(1).lower()
    amount = float(_WORD_NUMBERS.get(count, 0) or count)
    unit = match.group(2).lower()
    return amount * (168 if unit.startswith("w") else 24 if unit.startswith("d") else 1)


def end_date(text: str, now: datetime) -> datetime | None:
    """ "ending 2026-12-01" / "until Dec 5" → that day at 17:00 UTC (the next such day for a month name)."""
    match = _END_DATE.search(text)
    if match is None:
        return None
    if match.group(1):
        day = datetime.fromisoformat(match.group(1))
    else:
        month = _MONTHS.index(match.group(2).lower()) + 1 if match.group(2).lower() in _MONTHS else None
        if month is None:
            return None
        try:
            day = datetime(now.year, month, int(match.group(3)))
        except ValueError:
            return None
        if day.replace(tzinfo=UTC) < now:
            day = day.replace(year=now.year + 1)
    return day.replace(hour=17, minute=0, second=0, microsecond=0, tzinfo=UTC)


def read_terms(draft: dict[str, Any], frame: Frame, awaiting: str | None) -> None:
    """Fill the draft's auction terms from this message (an answer to `awaiting`, or said unprompted)."""
    text = frame.text
    reserve = _money(_RESERVE.search(text))
    start = _money(_START.search(text))
    if start is None and frame.slots.price is not None and f"{frame.slots.price:.2f}" != reserve \
            and awaiting not in ("reserve", "duration", "quantity"):
        start = f"{frame.slots.price:.2f}"
    if start is None and awaiting == "starting_bid":
        start = bare_amount(text)
    if start is not None:
        draft["starting_bid"] = start
    if reserve is None and awaiting == "reserve":
        reserve = bare_amount(text) or (f"{frame.slots.price:.2f}" if frame.slots.price is not None else None)
    if reserve is not None:
        draft["reserve"] = reserve
    elif _NO_RESERVE.search(text) and (awaiting == "reserve" or "reserve" in text.lower()):
        draft["reserve"] = "none"
    hours = duration_hours(text)
    if hours is None and awaiting == "duration" and bare_amount(text):
        hours = float(bare_amount(text) or 0) * 24  # "7" after "how long?" means days
    ends = end_date(text, datetime.now(UTC))
    if ends is not None:
        draft["auction_end"] = ends.isoformat()
        draft.pop("auction_hours", None)
    elif hours is not None:
        draft["auction_hours"] = hours
        draft.pop("auction_end", None)


def next_question(draft: dict[str, Any]) -> tuple[str, str] | None:
    """(slot, question) for the first auction term still missing or out of bounds; None when complete."""
    if not draft.get("starting_bid"):
        return "starting_bid", QUESTIONS["starting_bid"]
    hours = draft.get("auction_hours")
    if hours is None and not draft.get("auction_end"):
        return "duration", QUESTIONS["duration"]
    if hours is not None and not MIN_AUCTION_HOURS <= float(hours) <= MAX_AUCTION_HOURS:
        draft.pop("auction_hours")
        return "duration", "Auctions run from an hour up to 30 days. " + QUESTIONS["duration"]
    reserve = draft.get("reserve")
    if reserve is None:
        return "reserve", QUESTIONS["reserve"]
    if reserve != "none" and Decimal(reserve) < Decimal(draft["starting_bid"]):
        draft.pop("reserve")
        return "reserve", f"The reserve can't be below the starting bid ({draft['starting_bid']}). " + \
            QUESTIONS["reserve"]
    return None


def auction_args(draft: dict[str, Any]) -> dict[str, Any]:
    """create_listing's auction arguments; a duration becomes an end time counted from now."""
    if draft.get("auction_end"):
        end = draft["auction_end"]
    else:
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        end = (now + timedelta(hours=float(draft["auction_hours"]))).isoformat()
    args = {"starting_bid": str(draft["starting_bid"]), "auction_end": end}
    if draft.get("reserve") not in (None, "none"):
        args["reserve_price"] = str(draft["reserve"])
    return args
