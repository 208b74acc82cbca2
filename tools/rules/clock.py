"""Now, for the rules: the application clock (knowledge.clock), which tests and the eval move."""

from __future__ import annotations

from datetime import datetime

from knowledge import clock


def utcnow() -> datetime:
    """Now on the application clock (knowledge.clock), which every time-dependent rule reads."""
    return clock.now()
