"""Days as people write them ("the 14th", "monday", "12/20", "tomorrow"), as ISO dates on the clock."""

from __future__ import annotations

import re


def resolve_day(text: str) -> str | None:
    """A day as people write it ("the 14th", "monday", "12/20", "tomorrow") as an ISO date on the clock."""
    from datetime import timedelta

    from knowledge.clock import now

    today = now().date()
    lowered = text.lower().strip()
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    if lowered.startswith(("tomorrow", "tmr", "tmrw")):
        return (today + timedelta(days=1)).isoformat()
    if lowered.startswith("next week"):
        return (today + timedelta(days=7)).isoformat()
    for i, prefix in enumerate(days):
        if lowered.startswith(prefix):
            ahead = (i - today.weekday()) % 7 or 7
            return (today + timedelta(days=ahead)).isoformat()
    nth = re.search(r"(\d{1,2})(?:st|nd|rd|th)", lowered)
    if nth:
        day = int(nth.group(1))
        month, year = today.month, today.year
        if day < today.day:
            month, year = (1, year + 1) if month == 12 else (month + 1, year)
        try:
            return today.replace(year=year, month=month, day=day).isoformat()
        except ValueError:
            return None
    slash = re.search(r"(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?", lowered)
    if slash:
        month, day = int(slash.group(1)), int(slash.group(2))
        year = int(slash.group(3)) if slash.group(3) else today.year
        year += 2000 if year < 100 else 0
        try:
            date = today.replace(year=year, month=month, day=day)
        except ValueError:
            return None
        return (date if date >= today or slash.group(3) else date.replace(year=year + 1)).isoformat()
    return None


_SPAN = re.compile(r"^\s*(?:for\s+|about\s+)?(a|an|one|two|three|four|\d{1,3})\s*(?:full\s+)?(day|week|wk)s?\b",
                   re.IGNORECASE)


def span_in_days(text: str) -> list[str]:
    """ "a week", "two weeks" answering "how long?": the words alone do not say it is a duration, the question
    does."""
    from agent.planners.local.nlu.numbers import WORD_NUMBERS

    found = _SPAN.match(text)
    if found is None:
        return []
    count = found.group(1).lower()
    amount = int(count) if count.isdigit() else WORD_NUMBERS.get(count, 1)
    return [str(amount * (7 if found.group(2).lower() != "day" else 1))]
