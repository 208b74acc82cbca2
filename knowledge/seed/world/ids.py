"""Stable ids, the fixed demo clock and small value helpers shared by every world module."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

NAMESPACE = uuid.UUID("5b0e7c1a-3f2d-4e8b-9c6a-2d7f1e0a9b3c")
_DEMO_NOW = datetime(2026, 11, 1, 12, 0, 0, tzinfo=UTC)
_CENT = Decimal("0.01")


def demo_now() -> datetime:
    """The fixed reference time every timestamp in the demo world is relative to."""
    return _DEMO_NOW


def ago(days: float = 0.0, hours: float = 0.0) -> datetime:
    return _DEMO_NOW - timedelta(seconds=round((days * 24 + hours) * 3600))


def ahead(days: float = 0.0, hours: float = 0.0) -> datetime:
    return _DEMO_NOW + timedelta(seconds=round((days * 24 + hours) * 3600))


def make_id(table: str, key: str) -> uuid.UUID:
    """uuid5 of "<table>:<natural key>" — identical on every run."""
    return uuid.uuid5(NAMESPACE, f"{table}:{key}")


def money(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)


def nice_price(value: float) -> Decimal:
    """Round a raw price the way price lists do (cents below $100, whole dollars above)."""
    if value < 20:
        return money(round(value * 4) / 4 - 0.01 if value >= 1 else value)
    if value < 100:
        return money(round(value) - 0.05)
    if value < 1000:
        return money(round(value))
    return money(round(value / 5) * 5)


def norm_model(model: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", model.upper())

