"""Market data behind the pricing tools: price history, comparable listings, condition adjustment.

Prices of different conditions are made comparable by condition multipliers (a used-good part sells for
about half of new). Time windows are anchored on the newest price record, not the wall clock, so an
import that lags a few weeks does not empty the "last 90 days".
"""

from __future__ import annotations

import statistics
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge import clock
from tools.catalog.parts import CatalogPart
from tools.context import Caller
from tools.rules.money import cents
from tools.rules.visibility import listing_visibility_sql

CONDITION_MULTIPLIER: dict[str, float] = {
    "new": 1.0, "refurbished": 0.75, "used_excellent": 0.65, "used_good": 0.50, "used_fair": 0.35,
    "salvage": 0.20, "for_parts": 0.10,
}
HISTORY_DAYS = 365
RECENT_DAYS = 90


def adjust(price: float, from_condition: str, to_condition: str) -> float:
    """A price for `from_condition` expressed as the equivalent for `to_condition`."""
    source = CONDITION_MULTIPLIER.get(from_condition, 0.5)
    target = CONDITION_MULTIPLIER.get(to_condition, 0.5)
    return price * target / source


@dataclass(frozen=True)
class PricePoint:
    price: float
    condition: str
    recorded_at: datetime
    source: str | None


class Comparable(BaseModel):
    listing_id: uuid.UUID
    seller: str
    listing_type: str
    condition: str
    price: Decimal
    condition_adjusted_price: Decimal = Field(description="Price converted to the condition being assessed")
    city: str | None


class PriceStats(BaseModel):
    n: int
    median: Decimal | None
    p25: Decimal | None
    p75: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    trend_90d_pct: float | None = Field(description="Median of the last 90 days vs the 90 days before, in %")
    condition_adjusted: bool = Field(description="True when other conditions were converted to this one")
    as_of: datetime | None


def anchor(session: Session) -> datetime:
    newest = session.execute(text("SELECT max(recorded_at) FROM part_price_history")).scalar()
    return newest or clock.now()


def history(session: Session, part: CatalogPart, since: datetime) -> list[PricePoint]:
    rows = session.execute(text(
        "SELECT price, condition, recorded_at, source FROM part_price_history WHERE recorded_at > :since "
        "AND (part_id = :pid OR (part_id IS NULL AND upper(part_number) = upper(:pn) "
        "AND lower(manufacturer) = lower(:m))) ORDER BY recorded_at"
    ), {"since": since, "pid": part.id, "pn": part.part_number, "m": part.manufacturer})
    return [PricePoint(float(r.price), r.condition, r.recorded_at, r.source) for r in rows]


def comparables(session: Session, caller: Caller, part: CatalogPart, condition: str,
                exclude: uuid.UUID | None = None) -> list[Comparable]:
    """Active listings of the same part the caller may see, each converted to `condition`."""
    params: dict[str, Any] = {"pid": part.id, "ex": exclude}
    rows = session.execute(text(
        "SELECT l.id, o.name AS seller, l.listing_type, l.condition, l.price, l.city FROM marketplace_listings l "
        "JOIN organizations o ON o.id = l.organization_id WHERE l.part_id = :pid AND l.status = 'active' "
        "AND l.price IS NOT NULL AND l.listing_type <> 'wanted' AND l.id IS DISTINCT FROM :ex AND "
        + listing_visibility_sql(caller, params, "l")
    ), params)
    found = [Comparable(listing_id=r.id, seller=r.seller, listing_type=r.listing_type, condition=r.condition,
                        price=r.price, condition_adjusted_price=cents(adjust(float(r.price), r.condition, condition)),
                        city=r.city) for r in rows]
    return sorted(found, key=lambda c: c.condition_adjusted_price)


def quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[1], q[2]


def trend_pct(points: list[tuple[datetime, float]], as_of: datetime, days: int) -> float | None:
    """Median of the last `days` vs the `days` before, in percent; None when either side has < 2 points."""
    recent = [p for t, p in points if as_of - timedelta(days=days) < t <= as_of]
    before = [p for t, p in points if as_of - timedelta(days=2 * days) < t <= as_of - timedelta(days=days)]
    if len(recent) < 2 or len(before) < 2:
        return None
    return round((statistics.median(recent) / statistics.median(before) - 1) * 100, 1)


def price_stats(points: list[PricePoint], condition: str, as_of: datetime) -> tuple[PriceStats, list[float]]:
    """Statistics in `condition` terms: the same condition alone when it has 5+ points, else every
    condition converted. Returns the stats and the values they describe."""
    same = [p for p in points if p.condition == condition]
    used = same if len(same) >= 5 else points
    series = [(p.recorded_at, adjust(p.price, p.condition, condition)) for p in used]
    values = [v for _, v in series]
    if not values:
        return PriceStats(n=0, median=None, p25=None, p75=None, minimum=None, maximum=None, trend_90d_pct=None,
                          condition_adjusted=False, as_of=as_of), []
    p25, median, p75 = quartiles(values)
    return PriceStats(
        n=len(values), median=cents(median), p25=cents(p25), p75=cents(p75), minimum=cents(min(values)),
        maximum=cents(max(values)), trend_90d_pct=trend_pct(series, as_of, RECENT_DAYS),
        condition_adjusted=any(p.condition != condition for p in used), as_of=as_of,
    ), values
