"""Pricing tools: is a price fair, what should a part sell for, and how is a market segment moving."""

from __future__ import annotations

import statistics
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import text

from knowledge.models import PartCondition
from tools.catalog.parts import CatalogPart, resolve_part
from tools.pricing.insights import MarketInsightsInput, MarketInsightsOutput, insights
from tools.pricing.market import (
    CONDITION_MULTIPLIER,
    HISTORY_DAYS,
    RECENT_DAYS,
    Comparable,
    PriceStats,
    adjust,
    anchor,
    comparables,
    history,
    price_stats,
    quartiles,
)
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.money import cents
from tools.rules.visibility import listing_visibility_sql
from tools.rules.wording import condition_words

Verdict = Literal["below_market", "competitive", "fair", "above_market", "high", "unknown"]
LABELS: dict[str, str] = {
    "below_market": "Great deal", "competitive": "Good price", "fair": "Fair price",
    "above_market": "Above average", "high": "High price", "unknown": "Not enough market data",
}
MIN_POINTS = 3


def verdict_for(ratio: float) -> Verdict:
    if ratio < 0.7:
        return "below_market"
    if ratio < 0.9:
        return "competitive"
    if ratio < 1.1:
        return "fair"
    if ratio < 1.3:
        return "above_market"
    return "high"


class AssessPriceInput(BaseModel):
    listing_id: uuid.UUID | None = Field(default=None, description="A marketplace listing to assess.")
    part_number: str | None = Field(default=None, description="Or: the part quoted, e.g. 'GAA26800LC1' …")
    part_id: uuid.UUID | None = None
    manufacturer: str | None = None
    condition: PartCondition | None = Field(default=None, description="… its condition …")
    price: Decimal | None = Field(default=None, gt=0, description="… and the quoted price in USD, e.g. 450.")

    @model_validator(mode="after")
    def _listing_or_quote(self) -> AssessPriceInput:
        if self.listing_id is None and (self.price is None or self.condition is None
                                        or (not self.part_number and self.part_id is None)):
            raise ValueError("give listing_id, or part_number (or part_id) with condition and price")
        return self


class AssessPriceOutput(BaseModel):
    listing_id: uuid.UUID | None
    part_number: str
    manufacturer: str
    condition: str
    price: Decimal
    currency: str
    verdict: Verdict
    label: str
    market_price: Decimal | None = Field(description="Median of the condition-adjusted data points")
    ratio_to_market: float | None
    sample_size: int
    history: PriceStats
    comparables: list[Comparable]
    evidence: str


def _quoted_listing(ctx: ToolContext, listing_id: uuid.UUID) -> Any:
    params: dict[str, Any] = {"id": listing_id}
    row = ctx.session.execute(text(
        "SELECT l.id, l.part_id, l.part_number, l.manufacturer, l.condition, l.price, l.current_bid, "
        "l.starting_bid, l.is_auction, l.currency FROM marketplace_listings l WHERE l.id = :id AND "
        + listing_visibility_sql(ctx.caller, params, "l")), params).one_or_none()
    if row is None:
        raise ToolFailed("not_found", "No listing with that id is visible to you.",
                         hint="Use a listing_id from search_listings or find_inventory.")
    return row


def _part_of(ctx: ToolContext, part_id: uuid.UUID | None, number: str | None, maker: str | None) -> CatalogPart:
    try:
        return resolve_part(ctx.session, part_id=part_id, part_number=number, manufacturer=maker,
                            org_id=ctx.caller.organization_id)
    except ToolFailed:
        if part_id is not None or not number:
            raise
        # A listing of a part the catalog lacks can still be priced from history under its number.
        return CatalogPart(id=uuid.UUID(int=0), part_number=number, manufacturer=maker or "", name=number,
                           description=None, category="", subcategory=None, trade="", msrp=None, currency="USD",
                           lead_time_days=None, is_discontinued=False, specifications={}, compatible_equipment=[],
                           compatible_manufacturers=[])


@tool(ToolKind.READ)
def assess_price(ctx: ToolContext, args: AssessPriceInput) -> AssessPriceOutput:
    """Judge whether a listing's price, or a quoted price, is fair for the part and condition.

    Compares the price with the part's price history (median, quartiles, 90-day trend) and with the other
    active listings of the same part, converting other conditions with condition multipliers. Verdict:
    below_market (< 0.7× market), competitive (< 0.9×), fair (< 1.1×), above_market (< 1.3×), high, or
    unknown when fewer than 3 data points exist. Returns the comparables and the evidence in words.

    Args:
        listing_id: A listing the caller can see; or
        part_number + condition + price: e.g. "GAA26800LC1", "used_good", 450 (USD).

    Do NOT use this to set a price for a new listing (use suggest_price) or for segment trends
    (market_insights).
    """
    if args.listing_id is not None:
        row = _quoted_listing(ctx, args.listing_id)
        price = row.price if row.price is not None else (row.current_bid or row.starting_bid)
        if price is None:
            raise ToolFailed("invalid", "That listing has no price (trade only).",
                             hint="Ask what the seller wants in trade, or assess a quoted price instead.")
        part = _part_of(ctx, row.part_id, row.part_number, row.manufacturer)
        condition, currency = row.condition, row.currency or "USD"
    else:
        part = _part_of(ctx, args.part_id, args.part_number, args.manufacturer)
        condition, currency = args.condition.value if args.condition else "new", "USD"
        price = args.price
    assert price is not None
    as_of = anchor(ctx.session)
    points = history(ctx.session, part, as_of - timedelta(days=HISTORY_DAYS))
    stats, values = price_stats(points, condition, as_of)
    comps = comparables(ctx.session, ctx.caller, part, condition, exclude=args.listing_id)
    data = values + [float(c.condition_adjusted_price) for c in comps]
    verdict: Verdict = "unknown"
    market = ratio = None
    if len(data) >= MIN_POINTS:
        market = cents(statistics.median(data))
        ratio = round(float(price) / float(market), 2)
        verdict = verdict_for(ratio)
    evidence = _evidence(part, condition, Decimal(price), stats, comps, market, ratio, verdict)
    return AssessPriceOutput(
        listing_id=args.listing_id, part_number=part.part_number, manufacturer=part.manufacturer,
        condition=condition, price=cents(price), currency=currency, verdict=verdict, label=LABELS[verdict],
        market_price=market, ratio_to_market=ratio, sample_size=len(data), history=stats, comparables=comps[:8],
        evidence=evidence,
    )


def _evidence(part: CatalogPart, condition: str, price: Decimal, stats: PriceStats, comps: list[Comparable],
              market: Decimal | None, ratio: float | None, verdict: str) -> str:
    head = f"{part.part_number}, {condition_words(condition)}, at ${price}"
    if market is None or ratio is None:
        return (f"{head}: only {stats.n + len(comps)} data point(s) for this part — too few to judge "
                f"(need {MIN_POINTS}).")
    lines = [f"{head} is {ratio}× the market price of ${market} ({LABELS[verdict].lower()})."]
    if stats.n:
        adjusted = " (other conditions converted)" if stats.condition_adjusted else ""
        lines.append(f"Price history, last 12 months: {stats.n} points{adjusted}, median ${stats.median}, "
                     f"middle half ${stats.p25}–${stats.p75}.")
        if stats.trend_90d_pct is not None:
            lines.append(f"90-day trend {stats.trend_90d_pct:+.1f}%.")
    if comps:
        lines.append(f"{len(comps)} active comparable listing(s), ${comps[0].condition_adjusted_price}–"
                     f"${comps[-1].condition_adjusted_price} in {condition_words(condition)} terms.")
    return " ".join(lines)


class SuggestPriceInput(BaseModel):
    part_number: str | None = Field(default=None, description="e.g. 'GAA26800LC1' (or part_id)")
    part_id: uuid.UUID | None = None
    manufacturer: str | None = None
    condition: PartCondition = Field(description="Condition of the unit to be priced, e.g. 'used_good'.")

    @model_validator(mode="after")
    def _needs_part(self) -> SuggestPriceInput:
        if not self.part_number and self.part_id is None:
            raise ValueError("give part_number or part_id")
        return self


class SuggestPriceOutput(BaseModel):
    part_number: str
    manufacturer: str
    condition: str
    suggested_price: Decimal | None
    low: Decimal | None
    high: Decimal | None
    currency: str = "USD"
    confidence: Literal["high", "medium", "low", "none"]
    sample_size: int = Field(description="Data points behind the suggestion")
    same_condition_samples: int
    method: Literal["history_same_condition", "condition_adjusted", "msrp_multiplier", "none"]
    msrp: Decimal | None
    reasoning: str


@tool(ToolKind.READ)
def suggest_price(ctx: ToolContext, args: SuggestPriceInput) -> SuggestPriceOutput:
    """Suggest a selling price and a range for a part in a given condition.

    Uses the part's price history in that condition when there are 3+ points (recent 90 days preferred);
    when that condition is thin, converts other conditions' prices and active listings with condition
    multipliers (new 1.0, refurbished 0.75, used_excellent 0.65, used_good 0.5, used_fair 0.35, salvage
    0.2); with no market data at all, a fraction of MSRP. Says how confident it is and on how many points.

    Args:
        part_number: e.g. "GAA26800LC1" (or part_id).
        condition: new | refurbished | used_excellent | used_good | used_fair | salvage | for_parts.

    Do NOT use this to judge someone else's price (use assess_price).
    """
    part = resolve_part(ctx.session, part_number=args.part_number, part_id=args.part_id,
                        manufacturer=args.manufacturer, org_id=ctx.caller.organization_id)
    condition = args.condition.value
    as_of = anchor(ctx.session)
    points = history(ctx.session, part, as_of - timedelta(days=HISTORY_DAYS))
    same = [p for p in points if p.condition == condition]
    base = dict(part_number=part.part_number, manufacturer=part.manufacturer, condition=condition,
                msrp=part.msrp, same_condition_samples=len(same), currency=part.currency)
    if len(same) >= MIN_POINTS:
        recent = [p.price for p in same if p.recorded_at > as_of - timedelta(days=RECENT_DAYS)]
        values = recent if len(recent) >= MIN_POINTS else [p.price for p in same]
        return _suggestion(base, values, "history_same_condition", "high" if len(same) >= 10 else "medium",
                           f"Median of {len(values)} {condition_words(condition)} sales/prices"
                           + (" in the last 90 days" if values is recent else " in the last 12 months") + ".")
    comps = comparables(ctx.session, ctx.caller, part, condition)
    values = [adjust(p.price, p.condition, condition) for p in points]
    values += [float(c.condition_adjusted_price) for c in comps]
    if len(values) >= MIN_POINTS:
        return _suggestion(base, values, "condition_adjusted", "medium" if len(values) >= 8 else "low",
                           f"{len(same) or 'No'} {condition_words(condition)} data point(s), so {len(values)} "
                           "prices of all conditions and active listings were converted with condition multipliers.")
    if part.msrp is not None:
        value = float(part.msrp) * CONDITION_MULTIPLIER[condition]
        return SuggestPriceOutput(**base, suggested_price=cents(value), low=cents(value * 0.8),
                                  high=cents(value * 1.2), confidence="low", sample_size=len(values),
                                  method="msrp_multiplier",
                                  reasoning=f"No market data: MSRP ${part.msrp} × {CONDITION_MULTIPLIER[condition]} "
                                  f"for {condition_words(condition)}.")
    return SuggestPriceOutput(**base, suggested_price=None, low=None, high=None, confidence="none",
                              sample_size=len(values), method="none",
                              reasoning="No price history, listings or MSRP for this part; price it by hand.")


def _suggestion(base: dict[str, Any], values: list[float], method: Any, confidence: Any,
                reasoning: str) -> SuggestPriceOutput:
    p25, median, p75 = quartiles(values)
    low, high = (p25, p75) if len(values) >= 4 and p75 > p25 else (median * 0.85, median * 1.15)
    return SuggestPriceOutput(**base, suggested_price=cents(median), low=cents(low), high=cents(high),
                              confidence=confidence, sample_size=len(values), method=method,
                              reasoning=f"{reasoning} Range is the middle half of the data.")


@tool(ToolKind.READ)
def market_insights(ctx: ToolContext, args: MarketInsightsInput) -> MarketInsightsOutput:
    """Market volume, average prices and price trends for a category, a manufacturer, or one part.

    Returns active listing count and average asking price, transaction and price-point volume over
    12 months, average prices by condition, month-by-month volume, and the price trend over 3, 6 and 12
    months (each part's prices indexed to its own median, so a shift in mix is not mistaken for a trend).

    Args:
        category: e.g. "hvac_compressor"; and/or
        manufacturer: e.g. "Carrier"; and/or
        part_number: one part, e.g. "GAA26800LC1".

    Do NOT use this to price one specific unit (suggest_price) or to judge one listing (assess_price).
    """
    return insights(ctx, as_of=anchor(ctx.session), args=args)
