"""The application's one clock: what "now" is for the seed, the tools, their SQL and the evals.

It is the real UTC time moved by an offset: `PARTPILOT_CLOCK_OFFSET_DAYS` (a testing and demo knob), or
in-process by `moved_by` (tests). Every decision that depends on the time — an offer's expiry, an auction's
end, a hold's pickup window, the seeded world's dates — reads this clock, and SQL gets it as a bound `:now`
rather than calling the server's `now()`, so that moving the clock moves everything together.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from knowledge.settings import get_settings

_lock = threading.Lock()
_override: timedelta | None = None


def offset() -> timedelta:
    """How far the clock is moved from real time (the in-process override wins over the setting)."""
    override = _override
    if override is not None:
        return override
    return timedelta(days=get_settings().clock_offset_days)


def now() -> datetime:
    """The current time (timezone-aware, UTC) as the application sees it."""
    return datetime.now(UTC) + offset()


@contextmanager
def moved_by(delta: timedelta) -> Iterator[None]:
    """Run with the clock `delta` away from real time, for every thread of this process; the previous
    offset comes back afterwards. Not re-entrant across threads: one moved block at a time."""
    global _override
    with _lock:
        previous = _override
        _override = delta
    try:
        yield
    finally:
        with _lock:
            _override = previous
