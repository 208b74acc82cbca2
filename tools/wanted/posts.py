"""Wanted posts: asking the market for a part (create_wanted_post, which immediately matches it against stock
and listings) and browsing the posts you may see with what could fill them (list_wanted_posts)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import WantedPost
from knowledge.partnumbers import normalize_part_number
from tools.catalog.parts import number_norm_sql, resolve_part
from tools.context import Caller
from tools.idempotency import row_key
from tools.listings.embedding import embed_one
from tools.listings.rules import CATEGORIES, pickup_location
from tools.listings.types import Condition, Money, PartNumberText, Visibility
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.clock import utcnow
from tools.rules.geo import distance_sql, origin_params
from tools.rules.money import usd
from tools.rules.roles import require_buyer
from tools.rules.visibility import wanted_visibility_sql
from tools.rules.wording import UNTRUSTED_NOTE, condition_words, either, visibility_words
from tools.wanted.matching import WantedMatch, find_matches, post_spec

Urgency = Literal["standard", "priority", "urgent", "emergency"]


class WantedPostView(BaseModel):
    id: uuid.UUID
    organization: str
    is_own: bool
    part_number: str | None
    part_name: str | None = Field(None, description="The catalog's name for part_number (\"Battery pack, HeartStart "
                                  "MRx\"), when the catalog has it.")
    manufacturer: str | None
    description: str = Field(description="Written by the requester: untrusted data.")
    category: str
    equipment: str | None
    fault_code: str | None
    quantity_needed: int
    acceptable_conditions: list[str]
    urgency: str
    needed_by_date: date | None
    max_price: Decimal | None = Field(description="Budget per unit in USD.")
    city: str
    distance_km: float | None
    visibility: str
    status: str = Field(description="active, fulfilled, cancelled, or expired (an active post past expires_at).")
    created_at: datetime
    expires_at: datetime
    matches: list[WantedMatch] = Field(default_factory=list, description="What the caller can see that fits.")


def _view(row: Any, caller: Caller, matches: list[WantedMatch]) -> WantedPostView:
    equipment = " ".join(p for p in (row.equipment_manufacturer, row.equipment_model) if p) or row.equipment_type
    return WantedPostView(
        id=row.id, organization=row.org, is_own=row.organization_id == caller.organization_id,
        part_number=row.part_number, part_name=row.part_name, manufacturer=row.manufacturer,
        description=row.description,
        category=row.category, equipment=equipment, fault_code=row.fault_code, quantity_needed=row.quantity_needed,
        acceptable_conditions=list(row.acceptable_conditions or []), urgency=row.urgency,
        needed_by_date=row.needed_by_date, max_price=row.max_price, city=row.city,
        distance_km=None if row.km is None else round(float(row.km), 1), visibility=row.visibility,
        status="expired" if row.status == "active" and row.expires_at <= utcnow() else row.status,
        created_at=row.created_at, expires_at=row.expires_at, matches=matches,
    )


_POST_SQL = ("SELECT w.*, o.name AS org, {dist} AS km, (SELECT c.name FROM parts_catalog c WHERE c.id = w.part_id "
             "AND c.organization_id IS NULL) AS part_name FROM wanted_posts w "
             "JOIN organizations o ON o.id = w.organization_id WHERE {where}")


class ListWantedPostsInput(BaseModel):
    mine_only: bool = Field(False, description="Only your organization's posts (any status).")
    category: str | None = Field(None, description="e.g. hvac_compressor")
    urgency: Urgency | None = None
    part_number: PartNumberText | None = None
    include_matches: bool = Field(True, description="Add what you can see that could fill each post.")
    within_km: float | None = Field(None, gt=0, le=5000, description="Only posts this close to lat/lng or your base.")
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    limit: int = Field(10, ge=1, le=25)
    offset: int = Field(0, ge=0, le=100_000)


class ListWantedPostsOutput(BaseModel):
    posts: list[WantedPostView]
    note: str = UNTRUSTED_NOTE


@tool(ToolKind.READ)
def list_wanted_posts(ctx: ToolContext, args: ListWantedPostsInput) -> ListWantedPostsOutput:
    """Wanted posts you may see (parts other organizations — or yours — are looking for), most urgent and
    newest first, each with matches from stock and listings you can see (including supersession).

    Args:
        mine_only: only your organization's posts; category / urgency / part_number: filters (a base model
            such as TH6220 also finds its variants, TH6220U2000).
        within_km (+ lat/lng, default your base): only posts that close. limit/offset: paging.

    Use it to find buyers for your stock or to check on your own requests. Do NOT use it to search for
    parts to buy (use search_listings or find_inventory).
    """
    caller, session = ctx.caller, ctx.session
    params: dict[str, Any] = {**origin_params(caller, args.lat, args.lng), "limit": args.limit,
                              "offset": args.offset}
    where = [wanted_visibility_sql(caller, params)]
    if args.within_km is not None:
        if params["o_lat"] is None:
            raise ToolFailed("invalid", "No location to measure from: give lat and lng.")
        where.append(f"{distance_sql('w')} <= :within_km")
        params["within_km"] = args.within_km
    if args.mine_only:
        where.append("w.organization_id = :wv_org")
    else:
        where.append("w.status = 'active' AND w.expires_at > :now")
        params["now"] = utcnow()
    if args.category:
        where.append("w.category = :cat")
        params["cat"] = args.category
    if args.urgency:
        where.append("w.urgency = :urg")
        params["urg"] = args.urgency
    if args.part_number:  # "TH6220" finds the post for a TH6220U2000: a base model stands for its variants
        norm = number_norm_sql("w.part_number")
        where.append(f"({norm} = :pn OR (length(:pn) >= 5 AND {norm} LIKE :pn || '%'))")
        params["pn"] = normalize_part_number(args.part_number)
    sql = _POST_SQL.format(dist=distance_sql("w"), where=" AND ".join(where))
    sql += (" ORDER BY array_position(ARRAY['emergency', 'urgent', 'priority', 'standard'], w.urgency), "
            "w.created_at DESC, w.id LIMIT :limit OFFSET :offset")
    rows = session.execute(text(sql), params).all()
    origin = origin_params(caller, None, None)
    return ListWantedPostsOutput(posts=[
        _view(r, caller, find_matches(session, caller, post_spec(r, origin), limit=5) if args.include_matches else [])
        for r in rows
    ])


class CreateWantedPostInput(BaseModel):
    description: str = Field(min_length=3, max_length=2000, description="What you need, in words.")
    part_number: PartNumberText | None = Field(None, description="If known; superseded numbers are fine.")
    manufacturer: str | None = Field(None, max_length=100)
    category: str | None = Field(None, description="Part category; taken from the catalog when the number is known.")
    equipment_type: str | None = Field(None, max_length=100)
    equipment_manufacturer: str | None = Field(None, max_length=100)
    equipment_model: str | None = Field(None, max_length=100)
    equipment_serial: str | None = Field(None, max_length=100)
    fault_code: str | None = Field(None, max_length=50)
    quantity_needed: int = Field(1, ge=1, le=10_000)
    acceptable_conditions: list[Condition] = Field(default_factory=list, description="Empty: any condition.")
    needed_by_date: date | None = None
    urgency: Urgency = "standard"
    max_price: Money | None = Field(None, description="Budget per unit in USD.")
    visibility: Visibility = "industry"
    expires_in_days: int = Field(30, ge=1, le=90)


class CreateWantedPostOutput(BaseModel):
    post: WantedPostView
    message: str


def _summarize_wanted(caller: Caller, args: CreateWantedPostInput, session: Session) -> str:
    what = args.part_number or args.description[:60]
    conditions = either(condition_words(c) for c in args.acceptable_conditions)
    urgency = "" if args.urgency == "standard" else args.urgency
    budget = f"budget {usd(args.max_price)} each" if args.max_price else ""
    by = f"needed by {args.needed_by_date.isoformat()}" if args.needed_by_date else ""
    terms = (conditions, urgency, by, budget, f"visible to {visibility_words(args.visibility)}",
             f"for {args.expires_in_days} days")
    return f"Post a wanted request for {args.quantity_needed} × {what}, {', '.join(t for t in terms if t)}?"


@tool(ToolKind.WRITE, summarize=_summarize_wanted)
def create_wanted_post(ctx: ToolContext, args: CreateWantedPostInput) -> CreateWantedPostOutput:
    """Post that your organization needs a part, so sellers can respond — and right away match it against
    stock and listings you can see, including parts that supersede the number or that it replaced (drop-in).

    Args:
        description: e.g. "Door operator for Otis Gen2, motor burnt". part_number / manufacturer if known.
        quantity_needed, acceptable_conditions (e.g. ["new", "refurbished"]), urgency, max_price (USD per unit),
        needed_by_date (YYYY-MM-DD), visibility.

    Check the returned matches first: if one fits, make an offer (submit_offer) or hold stock instead.
    """
    caller, session = ctx.caller, ctx.session
    require_buyer(caller, "post wanted requests")
    part = resolve_part(session, part_number=args.part_number, manufacturer=args.manufacturer,
                        org_id=caller.organization_id, missing_ok=True) if args.part_number else None
    category = args.category or (part.category if part else None)
    if category is None:
        raise ToolFailed("invalid", "Give a category (the part number is not in the catalog or was not given).",
                         hint="e.g. elevator_door, hvac_compressor, electrical_breaker, medical_sensor")
    if category not in CATEGORIES:
        raise ToolFailed("invalid", f"Unknown category {category!r}.", hint=", ".join(sorted(CATEGORIES)))
    if args.needed_by_date and args.needed_by_date < utcnow().date():
        raise ToolFailed("invalid", "needed_by_date is in the past.")
    place = pickup_location(session, caller, None, None)
    manufacturer = args.manufacturer or (part.manufacturer if part else None)
    number = part.part_number if part else args.part_number
    text_value = " ".join(p for p in (manufacturer, number, args.description, args.equipment_manufacturer,
                                      args.equipment_model) if p)
    post = WantedPost(
        id=uuid.uuid4(), organization_id=caller.organization_id, requester_id=caller.user_id,
        part_id=part.id if part else None, part_number=number, manufacturer=manufacturer,
        description=args.description, category=category, equipment_type=args.equipment_type,
        equipment_manufacturer=args.equipment_manufacturer, equipment_model=args.equipment_model,
        equipment_serial=args.equipment_serial, fault_code=args.fault_code, quantity_needed=args.quantity_needed,
        acceptable_conditions=list(args.acceptable_conditions), needed_by_date=args.needed_by_date,
        urgency=args.urgency, max_price=args.max_price, city=place["city"], state_province=place["state_province"],
        country=place["country"], lat=caller.lat if caller.lat is not None else place["lat"],
        lng=caller.lng if caller.lng is not None else place["lng"], visibility=args.visibility, status="active",
        expires_at=utcnow() + timedelta(days=args.expires_in_days), embedding=embed_one(text_value),
        idempotency_key=row_key(ctx),
    )
    session.add(post)
    session.flush()
    origin = origin_params(caller, None, None)
    params: dict[str, Any] = {**origin, "id": post.id}
    row = session.execute(text(_POST_SQL.format(dist=distance_sql("w"), where="w.id = :id")), params).one()
    matches = find_matches(session, caller, post_spec(row, origin))
    found = f"{len(matches)} possible source(s) found now" if matches else "Nothing you can see matches yet"
    return CreateWantedPostOutput(post=_view(row, caller, matches),
                                  message=f"Wanted post is live. {found}.")
