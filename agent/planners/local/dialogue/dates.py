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
