"""When a supplier's order leaves the branch: the same day when ordered before the branch's cut-off on a
business day ("order by 6 pm ships today"), else the next business day. The time is the application clock
(knowledge.clock, moved by tests and evals) read in the supplier's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tools.rules.clock import utcnow

DEFAULT_ZONE = "America/Denver"
# The warehouse starts picking orders that came in after the cut-off at this local time on the next business day.
PICKING_STARTS = time(8, 0)
GROUND_TRANSIT_HOURS = 24.0  # ground delivery, about a day
SATURDAY = 5


@dataclass(frozen=True)
class ShipDay:
    ships_today: bool
    ship_date: date  # the branch's local date the order leaves
    order_by: str  # the cut-off as people say it: "6 pm"
    hours_until_shipped: float  # 0 when it ships today
    sentence: str  # "order by 6 pm ships today" | "ships Monday (no shipping at weekends)"


def zone(name: str | None) -> ZoneInfo:
    """The supplier's time zone; Denver for a missing or unknown name."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def clock_text(at: time) -> str:
    """"6 pm", "4:30 pm", "noon", "midnight"."""
    if at == time(12, 0):
        return "noon"
    if at == time(0, 0):
        return "midnight"
    hour = at.hour % 12 or 12
    minutes = f":{at.minute:02d}" if at.minute else ""
    return f"{hour}{minutes} {'am' if at.hour < 12 else 'pm'}"


def _next_business_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= SATURDAY:
        day += timedelta(days=1)
    return day


def next_ship_day(cutoff: time, timezone: str | None, now: datetime | None = None) -> ShipDay:
    """When an order placed now leaves a branch with this cut-off (local time in `timezone`)."""
    tz = zone(timezone)
    local = (now or utcnow()).astimezone(tz)
    order_by = clock_text(cutoff)
    if local.weekday() < SATURDAY and local.time().replace(tzinfo=None) < cutoff:
        return ShipDay(True, local.date(), order_by, 0.0, f"order by {order_by} ships today")
    ship_date = _next_business_day(local.date())
    leaves = datetime.combine(ship_date, PICKING_STARTS, tzinfo=tz)
    hours = round(max((leaves - local).total_seconds(), 0.0) / 3600, 2)
    day = "tomorrow" if ship_date == local.date() + timedelta(days=1) else ship_date.strftime("%A")
    why = f"past the {order_by} cut-off" if local.weekday() < SATURDAY else "no shipping at weekends"
    return ShipDay(False, ship_date, order_by, hours, f"ships {day} ({why})")


def shipped_eta_hours(ship: ShipDay) -> float:
    """Hours until a part shipped from stock is delivered: until it leaves, plus ground transit."""
    return round(ship.hours_until_shipped + GROUND_TRANSIT_HOURS, 2)


def backorder_eta_hours(lead_time_days: int) -> float:
    """Hours until a part out of stock is delivered: the lead time (at least a day) plus ground transit."""
    return round(max(lead_time_days, 1) * 24.0 + GROUND_TRANSIT_HOURS, 2)
