"""Segment-level market figures for `market_insights`: volume, averages and indexed price trends."""

from __future__ import annotations

import statistics
import uuid
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import text

from knowledge.models import PartCategory
from tools.catalog.parts import canonical_manufacturer, resolve_part
from tools.results import ToolFailed
from tools.rules.money import cents, usd
from tools.rules.visibility import listing_visibility_sql
from tools.rules.wording import counted

if TYPE_CHECKING:
    from tools.registry import ToolContext

MONTH_DAYS = 30.44
TREND_WINDOW_DAYS = 45
MIN_TREND_POINTS = 3


class MarketInsightsInput(BaseModel):
    category: PartCategory | None = Field(default=None, description="e.g. 'hvac_compressor'")
    manufacturer: str | None = Field(default=None, description="Part manufacturer, e.g. 'Carrier'")
    part_number: str | None = Field(default=None, description="One part, e.g. 'GAA26800LC1'")

    @model_validator(mode="after")
    def _some_scope(self) -> MarketInsightsInput:
        if not (self.category or self.manufacturer or self.part_number):
            raise ValueError("give a category, a manufacturer or a part_number")
        return self


class ConditionSlice(BaseModel):
    condition: str
    price_points: int
    average_price: Decimal
    median_price: Decimal


class MonthSlice(BaseModel):
    month: str = Field(description="YYYY-MM")
    price_points: int
    average_price: Decimal | None


class TopPart(BaseModel):
    part_number: str
    manufacturer: str
    price_points: int
    median_price: Decimal


class MarketInsightsOutput(BaseModel):
    scope: str
    as_of: datetime
    parts_in_scope: int
    active_listings: int = Field(description="Active listings in scope that the caller can see")
    active_listing_average_price: Decimal | None
    listings_by_type: dict[str, int]
    transactions_12m: int = Field(description="Marketplace transactions in the last 12 calendar months")
    price_points_12m: int
    average_price_90d: Decimal | None
    by_condition: list[ConditionSlice]
    trend_3m_pct: float | None = Field(description="Indexed price change over 3 months, in %")
    trend_6m_pct: float | None
    trend_12m_pct: float | None
    monthly: list[MonthSlice] = Field(description="Last 12 months, oldest first")
    top_parts: list[TopPart]
    summary: str


def _scope(ctx: ToolContext, args: MarketInsightsInput, params: dict[str, Any]) -> tuple[str, str, str]:
    """(catalog WHERE on p, listing WHERE on l, a label) for the requested segment."""
    parts = ["(p.organization_id IS NULL OR p.organization_id = :org)"]
    listings, words = ["TRUE"], []
    params["org"] = ctx.caller.organization_id
    if args.category:
        parts.append("p.category = :cat")
        listings.append("l.category = :cat")
        params["cat"] = args.category.value
        words.append(args.category.value)
    if args.manufacturer:
        parts.append("lower(p.manufacturer) = :maker")
        listings.append("lower(l.manufacturer) = :maker")
        params["maker"] = canonical_manufacturer(args.manufacturer)
        words.append(args.manufacturer)
    if args.part_number:
        part = resolve_part(ctx.session, part_number=args.part_number, manufacturer=args.manufacturer,
                            org_id=ctx.caller.organization_id)
        parts.append("p.id = :pid")
        listings.append("l.part_id = :pid")
        params["pid"] = part.id
        words.append(part.part_number)
    return " AND ".join(parts), " AND ".join(listings), " / ".join(words)


def _last_12_months(as_of: datetime) -> list[str]:
    """'YYYY-MM' of the 12 calendar months ending with the month of `as_of`, oldest first."""
    index = as_of.year * 12 + as_of.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - 11, index + 1)]


def _trend(indexed: list[tuple[datetime, float]], as_of: datetime, months: int) -> float | None:
    recent = [v for t, v in indexed if t > as_of - timedelta(days=TREND_WINDOW_DAYS)]
    then = as_of - timedelta(days=months * MONTH_DAYS)
    past = [v for t, v in indexed if then - timedelta(days=TREND_WINDOW_DAYS) < t <= then]
    if len(recent) < MIN_TREND_POINTS or len(past) < MIN_TREND_POINTS:
        return None
    return round((statistics.fmean(recent) / statistics.fmean(past) - 1) * 100, 1)


def insights(ctx: ToolContext, *, as_of: datetime, args: MarketInsightsInput) -> MarketInsightsOutput:
    params: dict[str, Any] = {"since": as_of - timedelta(days=13 * MONTH_DAYS + TREND_WINDOW_DAYS)}
    where, lwhere, label = _scope(ctx, args, params)
    session = ctx.session
    parts_in_scope = session.execute(text(f"SELECT count(*) FROM parts_catalog p WHERE {where}"), params).scalar()
    if not parts_in_scope:
        raise ToolFailed("not_found", f"No catalog parts match {label}.",
                         hint="Check the category or manufacturer spelling (search_parts shows both).")
    rows = session.execute(text(
        "SELECT h.part_id, p.part_number, p.manufacturer, h.condition, h.price, h.recorded_at "
        f"FROM part_price_history h JOIN parts_catalog p ON p.id = h.part_id WHERE {where} "
        "AND h.recorded_at > :since"), params).all()
    by_key: dict[tuple[uuid.UUID, str], list[float]] = defaultdict(list)
    for r in rows:
        by_key[(r.part_id, r.condition)].append(float(r.price))
    medians = {k: statistics.median(v) for k, v in by_key.items()}
    indexed = [(r.recorded_at, float(r.price) / medians[(r.part_id, r.condition)]) for r in rows]
    month_keys = _last_12_months(as_of)
    year_start = datetime.strptime(month_keys[0], "%Y-%m").replace(tzinfo=as_of.tzinfo)
    year = [r for r in rows if r.recorded_at >= year_start]
    recent = [float(r.price) for r in year if r.recorded_at > as_of - timedelta(days=90)]

    conditions: dict[str, list[float]] = defaultdict(list)
    for r in year:
        conditions[r.condition].append(float(r.price))
    by_condition = [ConditionSlice(condition=c, price_points=len(v), average_price=cents(statistics.fmean(v)),
                                   median_price=cents(statistics.median(v)))
                    for c, v in sorted(conditions.items(), key=lambda kv: -len(kv[1]))]
    months: dict[str, list[float]] = defaultdict(list)
    for r in year:
        months[r.recorded_at.strftime("%Y-%m")].append(float(r.price))
    monthly = []
    for key in month_keys:
        values = months.get(key, [])
        monthly.append(MonthSlice(month=key, price_points=len(values),
                                  average_price=cents(statistics.fmean(values)) if values else None))
    counts = Counter((r.part_number, r.manufacturer) for r in year)
    prices: dict[tuple[str, str], list[float]] = defaultdict(list)
    for r in year:
        prices[(r.part_number, r.manufacturer)].append(float(r.price))
    top = [TopPart(part_number=pn, manufacturer=m, price_points=n,
                   median_price=cents(statistics.median(prices[(pn, m)]))) for (pn, m), n in counts.most_common(5)]

    lparams = dict(params)
    listing_rows = session.execute(text(
        "SELECT l.listing_type, l.price FROM marketplace_listings l WHERE l.status = 'active' "
        f"AND {lwhere} AND " + listing_visibility_sql(ctx.caller, lparams, "l")), lparams).all()
    asks = [float(r.price) for r in listing_rows if r.price is not None and r.listing_type != "wanted"]
    transactions = session.execute(text(
        "SELECT count(*) FROM part_transactions t JOIN marketplace_listings l ON l.id = t.listing_id "
        f"WHERE {lwhere} AND t.created_at >= :year_start"), {**params, "year_start": year_start}).scalar()

    out = MarketInsightsOutput(
        scope=label, as_of=as_of, parts_in_scope=parts_in_scope, active_listings=len(listing_rows),
        active_listing_average_price=cents(statistics.fmean(asks)) if asks else None,
        listings_by_type=dict(Counter(r.listing_type for r in listing_rows)), transactions_12m=transactions or 0,
        price_points_12m=len(year), average_price_90d=cents(statistics.fmean(recent)) if recent else None,
        by_condition=by_condition, trend_3m_pct=_trend(indexed, as_of, 3), trend_6m_pct=_trend(indexed, as_of, 6),
        trend_12m_pct=_trend(indexed, as_of, 12), monthly=monthly, top_parts=top, summary="",
    )
    out.summary = _summary(out)
    return out


def _summary(o: MarketInsightsOutput) -> str:
    trends = ", ".join(f"{n} {v:+.1f}%" for n, v in (("3 mo", o.trend_3m_pct), ("6 mo", o.trend_6m_pct),
                                                    ("12 mo", o.trend_12m_pct)) if v is not None)
    avg = f"average price (90 days) {usd(o.average_price_90d)}" if o.average_price_90d else "no prices in 90 days"
    return (f"{o.scope}: {counted(o.parts_in_scope, 'catalog part')}, {counted(o.active_listings, 'active listing')}"
            f", {counted(o.transactions_12m, 'transaction')} and {counted(o.price_points_12m, 'price point')} in 12 "
            f"months; {avg}"
            + (f"; price trend {trends}." if trends else "; not enough data for a trend."))
