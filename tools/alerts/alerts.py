"""Deal alerts: saved searches that tell their owner when a matching listing is published or drops its price
(create_deal_alert, list_deal_alerts, update_deal_alert, delete_deal_alert). Each alert is its owner's alone."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.embeddings import embed_query
from knowledge.models import DealAlert
from knowledge.partnumbers import normalize_part_number
from tools.alerts.origin import alert_origin
from tools.alerts.views import (
    MAX_ALERTS_PER_PERSON,
    DealAlertView,
    alert_view,
    alert_words,
    count_alerts,
)
from tools.catalog.parts import resolve_part
from tools.context import Caller
from tools.idempotency import row_key
from tools.listings.marketplace import summary_of
from tools.listings.search import ListingQuery, find_listings
from tools.listings.types import Condition, ListingHit, Money, PartNumberText
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.geo import origin_params
from tools.terms import PartCategory, Trade

AlertListingType = Literal["sale", "auction", "trade", "emergency"]


class CreateDealAlertInput(BaseModel):
    part_number: PartNumberText | None = Field(None, description="e.g. 'GAA26800LC1'. Superseded numbers are fine.")
    manufacturer: str | None = Field(None, max_length=100, description="Only to tell apart a number several "
                                     "makers use.")
    query: str | None = Field(None, min_length=3, max_length=200, description="What to watch for in words when "
                              "there is no part number, e.g. '3-phase contactor'.")
    conditions: list[Condition] = Field(default_factory=list, description="Accepted conditions; empty: any. "
                                        "'used' is ['used_excellent', 'used_good', 'used_fair'].")
    max_price: Money | None = Field(None, description="Highest unit price (or current bid) in USD, e.g. 400.")
    within_km: float | None = Field(None, gt=0, le=5000, description="Only listings this close (50 miles = 80.5 km) "
                                    "to lat/lng, the site, or else your base.")
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    site: str | None = Field(None, max_length=200, description="One of your locations or customer sites to measure "
                             "from, as said, e.g. 'Summit Main Warehouse' or 'the Brown Palace'.")
    trade: Trade | None = None
    category: PartCategory | None = None
    listing_type: AlertListingType | None = Field(None, description="Only this kind of listing; empty: any.")


class CreateDealAlertOutput(BaseModel):
    alert: DealAlertView
    already_listed: list[ListingHit] = Field(description="Live listings of other organizations that match now "
                                             "(up to 3): the alert only tells of new ones and price drops.")
    message: str


def _words_of(args: CreateDealAlertInput, radius_km: float | None, place: str | None) -> str:
    return alert_words(part_number=args.part_number.strip().upper() if args.part_number else None,
                       query=args.query, conditions=[str(c) for c in args.conditions], max_price=args.max_price,
                       radius_km=radius_km, place=place, listing_type=args.listing_type,
                       category=args.category, trade=args.trade)


def _summarize_create(caller: Caller, args: CreateDealAlertInput, session: Session) -> str:
    place = args.site or ("the given point" if args.lat is not None else "your base")
    return f"Alert you when a {_words_of(args, args.within_km, place)} is listed or drops to that price?"


@tool(ToolKind.WRITE, summarize=_summarize_create)
def create_deal_alert(ctx: ToolContext, args: CreateDealAlertInput) -> CreateDealAlertOutput:
    """Save a deal alert: you are told (inbox, then Slack or text) when another organization publishes a listing
    that matches, or drops a listing's price into it. A part number also matches parts that supersede it and
    drop-in older numbers.

    Args:
        part_number or query (words): what to watch for, e.g. "GAA26800LC1" or "3-phase contactor".
        conditions, max_price (USD per unit), within_km (+ lat/lng or site; default your base), trade, category,
        listing_type: filters, e.g. {"part_number": "GAA26800LC1", "conditions": ["used_good"], "max_price": 400,
        "within_km": 80.5}.

    Do NOT use this to search what is listed now (search_listings) or to ask sellers for a part
    (create_wanted_post).
    """
    caller, session = ctx.caller, ctx.session
    if not (args.part_number or args.query or args.category):
        raise ToolFailed("invalid", "Say what to watch for: a part number, words (query) or a category.")
    if count_alerts(session, caller) >= MAX_ALERTS_PER_PERSON:
        raise ToolFailed("conflict", f"You already have {MAX_ALERTS_PER_PERSON} deal alerts; delete some first.")
    number, manufacturer = (args.part_number.strip().upper() if args.part_number else None), args.manufacturer
    if number:
        part = resolve_part(session, part_number=number, manufacturer=manufacturer,
                            org_id=caller.organization_id, missing_ok=True)
        if part is not None:
            number, manufacturer = part.part_number, part.manufacturer
    origin = alert_origin(session, caller, args.lat, args.lng, args.site) if args.within_km else None
    if origin is None and (args.site or args.lat is not None):
        raise ToolFailed("invalid", "How far from there? Give within_km too.")
    place = origin.place if origin else None
    name = _words_of(args.model_copy(update={"part_number": number}), args.within_km, place)
    alert = DealAlert(
        id=uuid.uuid4(), user_id=caller.user_id, organization_id=caller.organization_id, name=name[:200],
        part_number=number, part_number_norm=normalize_part_number(number) if number else None,
        manufacturer=manufacturer, query=args.query,
        embedding=embed_query(args.query) if args.query and not number else None,
        conditions=[str(c) for c in args.conditions], max_price=args.max_price,
        lat=origin.lat if origin else None, lng=origin.lng if origin else None, radius_km=args.within_km,
        place=place, trade=args.trade, category=args.category, listing_type=args.listing_type,
        idempotency_key=row_key(ctx))
    session.add(alert)
    session.flush()
    now = _listed_now(ctx, args, origin.lat if origin else None, origin.lng if origin else None)
    already = f" {len(now)} live listing(s) already match." if now else ""
    return CreateDealAlertOutput(alert=alert_view(alert), already_listed=now,
                                 message=f"Alert saved: {name}.{already}")


def _listed_now(ctx: ToolContext, args: CreateDealAlertInput, lat: float | None, lng: float | None) -> list[ListingHit]:
    """What search_listings would show for the alert now, without the caller's own organization's listings."""
    q = ListingQuery(part_number=args.part_number, query=None if args.part_number else args.query,
                     listing_type=args.listing_type, conditions=[str(c) for c in args.conditions] or None,
                     max_price=args.max_price, category=args.category, within_km=args.within_km, limit=6,
                     origin={"o_lat": lat, "o_lng": lng} if lat is not None else origin_params(ctx.caller, None, None))
    found, _ = find_listings(ctx.session, ctx.engine, ctx.caller, q)
    hits = [ListingHit(**summary_of(f.row, ctx.caller, f.distance_km).model_dump(), relevance=f.relevance,
                       match=f.match) for f in found]
    return [h for h in hits if not h.is_own_listing][:3]


class ListDealAlertsInput(BaseModel):
    paused: bool | None = Field(None, description="Only paused (true) or only live (false) alerts; empty: all.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


class ListDealAlertsOutput(BaseModel):
    alerts: list[DealAlertView] = Field(description="Newest first")
    total: int
    message: str


@tool(ToolKind.READ)
def list_deal_alerts(ctx: ToolContext, args: ListDealAlertsInput) -> ListDealAlertsOutput:
    """Your own deal alerts (saved searches), newest first: what each watches for, whether it is paused, and how
    many listings it told you about. Only your own alerts are ever shown.

    Args:
        paused: true for only paused ones, false for only live ones.

    Use it for "what alerts do I have?". For what the alerts told you, use list_notifications.
    """
    caller, session = ctx.caller, ctx.session
    where, params = "user_id = :u", {"u": caller.user_id, "p": args.paused, "limit": args.limit, "offset": args.offset}
    if args.paused is not None:
        where += " AND paused = :p"
    total = int(session.execute(text(f"SELECT count(*) FROM deal_alerts WHERE {where}"), params).scalar_one())
    rows = session.execute(text(f"SELECT * FROM deal_alerts WHERE {where} ORDER BY created_at DESC, id "
                                "LIMIT :limit OFFSET :offset"), params).all()
    message = f"{total} deal alert(s)." if total else "You have no deal alerts."
    return ListDealAlertsOutput(alerts=[alert_view(r) for r in rows], total=total, message=message)
