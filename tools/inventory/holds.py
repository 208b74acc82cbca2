"""Stock holds as their holders see them: the caller's (or, for stock managers, the organization's) holds, and
releasing one, which gives its units back to the shelf exactly once.

Holds are made by request_emergency_pickup (inventory/sourcing.py). A hold belongs to the organization of the user who
made it, whoever owns the stock. An active hold past its expiry is shown as expired; its units go back when
someone next holds that item or when it is cancelled here.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import InventoryItem, StockHold
from knowledge.partnumbers import normalize_part_number
from tools.catalog.parts import number_norm_sql
from tools.context import Caller
from tools.inventory.hold_rules import PickupPlace
from tools.listings.types import PartNumberText
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.clock import utcnow

HoldStatus = Literal["active", "expired", "released", "picked_up"]


class HoldView(PickupPlace):
    hold_id: uuid.UUID
    status: HoldStatus = Field(description="active (units set aside), expired (code no longer valid), released "
                               "(cancelled), picked_up")
    pickup_code: str = Field(description="Give this code at the counter while the hold is active")
    part_number: str
    part_name: str
    condition: str
    quantity: int
    expires_at: datetime
    minutes_left: int | None = Field(description="Until the hold expires; None unless active")
    held_by: str = Field(description="The user who made the hold")
    is_yours: bool
    created_at: datetime
    released_at: datetime | None
    released_by: str | None


_HOLD_SQL = """
    SELECT * FROM (
      SELECT h.id, h.user_id, h.quantity, h.pickup_code, h.expires_at, h.created_at, h.released_at,
             CASE WHEN h.status = 'active' AND h.expires_at <= :now THEN 'expired' ELSE h.status END AS shown,
             i.part_number, i.name AS part_name, i.condition, o.name AS org_name, s.name AS loc_name,
             s.location_type, s.address, s.city, s.pickup_hours, s.contact_name, s.contact_phone,
             u.name AS holder, r.name AS releaser
      FROM stock_holds h JOIN inventory_items i ON i.id = h.inventory_item_id
      JOIN stock_locations s ON s.id = i.stock_location_id JOIN organizations o ON o.id = i.organization_id
      JOIN users u ON u.id = h.user_id LEFT JOIN users r ON r.id = h.released_by_id
      WHERE h.organization_id = :org {where}
    ) hold
"""


def _view(row: Any, caller: Caller, now: datetime) -> HoldView:
    left = int((row.expires_at - now).total_seconds() // 60) if row.shown == "active" else None
    return HoldView(
        hold_id=row.id, status=row.shown, pickup_code=row.pickup_code, part_number=row.part_number,
        part_name=row.part_name, condition=row.condition, quantity=row.quantity, organization_name=row.org_name,
        location_name=row.loc_name, location_type=row.location_type, address=row.address, city=row.city,
        pickup_hours=row.pickup_hours, contact_name=row.contact_name, contact_phone=row.contact_phone,
        expires_at=row.expires_at, minutes_left=left, held_by=row.holder, is_yours=row.user_id == caller.user_id,
        created_at=row.created_at, released_at=row.released_at, released_by=row.releaser)


def _load_view(session: Session, caller: Caller, hold_id: uuid.UUID) -> HoldView:
    now = utcnow()
    row = session.execute(text(_HOLD_SQL.format(where="AND h.id = :id")),
                          {"org": caller.organization_id, "now": now, "id": hold_id}).one()
    return _view(row, caller, now)


class ListHoldsInput(BaseModel):
    scope: Literal["mine", "organization"] = Field(
        "mine", description="mine: holds you made; organization: every hold your organization's users made "
        "(parts managers, sellers and admins only)")
    status: HoldStatus | Literal["any"] = Field("active", description="Which holds; 'any' for the history")
    part_number: PartNumberText | None = Field(None, description="Only holds of this part, e.g. 'GAA26800LC1'")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class ListHoldsOutput(BaseModel):
    holds: list[HoldView] = Field(description="Active ones first, soonest to expire first; then newest")
    total: int
    message: str


@tool(ToolKind.READ)
def list_holds(ctx: ToolContext, args: ListHoldsInput) -> ListHoldsOutput:
    """List stock holds made for pickup: part number, quantity, where (organization, location, address, pickup
    hours, contact), the pickup code, when it expires, and its status (active, expired, released, picked_up).

    Args:
        scope: "mine" (default) — holds you made; "organization" — all your organization's holds (parts
            managers, sellers and admins only).
        status: "active" (default), "expired", "released", "picked_up" or "any".
        part_number: only holds of this part, e.g. "GAA26800LC1".

    Use it for "what have I got on hold?", "what's my pickup code?", or to find the hold_id for cancel_hold.
    Do NOT use it to find stock to hold (find_inventory) or for marketplace purchases (list_transactions).
    """
    caller, session = ctx.caller, ctx.session
    if args.scope == "organization" and not caller.can_sell:
        raise ToolFailed("forbidden", f"Your role ({caller.role}) sees only your own holds; a parts manager of "
                         f"{caller.organization_name} can see everyone's.", hint="Use scope 'mine'.")
    now = utcnow()
    params: dict[str, Any] = {"org": caller.organization_id, "now": now, "user": caller.user_id,
                              "limit": args.limit, "offset": args.offset}
    where = " AND h.user_id = :user" if args.scope == "mine" else ""
    if args.part_number:
        where += f" AND {number_norm_sql('i.part_number')} = :pn"
        params["pn"] = normalize_part_number(args.part_number)
    sql = _HOLD_SQL.format(where=where) + (" WHERE hold.shown = :status" if args.status != "any" else "")
    params["status"] = args.status
    total = session.execute(text(f"SELECT count(*) FROM ({sql}) counted"), params).scalar_one()
    rows = session.execute(text(sql + " ORDER BY (hold.shown = 'active') DESC, CASE WHEN hold.shown = 'active' "
                                "THEN hold.expires_at END, hold.created_at DESC, hold.id LIMIT :limit OFFSET :offset"),
                           params).all()
    holds = [_view(r, caller, now) for r in rows]
    whose = "You have" if args.scope == "mine" else f"{caller.organization_name} has"
    label = "" if args.status == "any" else f"{args.status.replace('_', ' ')} "
    message = f"{whose} {total} {label}hold(s)." if total else f"{whose} no {label}holds."
    return ListHoldsOutput(holds=holds, total=total, message=message)


class CancelHoldInput(BaseModel):
    hold_id: uuid.UUID = Field(description="hold_id from list_holds or request_emergency_pickup")


class CancelHoldOutput(BaseModel):
    hold: HoldView
    released_now: bool = Field(description="True when this call gave units back; False when the hold had already "
                               "ended and nothing changed")
    quantity_returned: int = Field(description="Units given back to the shelf by this call")
    quantity_available_now: int = Field(description="Units of that stock item free for others now")
    message: str


def _summarize_cancel(caller: Caller, args: CancelHoldInput, session: Session) -> str:
    row = session.execute(text(
        "SELECT h.quantity, h.pickup_code, h.user_id, i.part_number, s.name AS loc_name, u.name AS holder "
        "FROM stock_holds h JOIN inventory_items i ON i.id = h.inventory_item_id "
        "JOIN stock_locations s ON s.id = i.stock_location_id JOIN users u ON u.id = h.user_id "
        "WHERE h.id = :id AND h.organization_id = :org"), {"id": args.hold_id, "org": caller.organization_id}
    ).one_or_none()
    if row is None:
        return "Release that hold?"
    whose = "your" if row.user_id == caller.user_id else f"{row.holder}'s"
    return (f"Release {whose} hold on {row.quantity} × {row.part_number} at {row.loc_name} "
            f"(code {row.pickup_code})?")


def _locked_hold(session: Session, caller: Caller, hold_id: uuid.UUID) -> tuple[StockHold, InventoryItem]:
    """The hold and its stock item, both row-locked: the item first, as request_emergency_pickup locks it."""
    peek = session.get(StockHold, hold_id)
    if peek is None or peek.organization_id != caller.organization_id:
        raise ToolFailed("not_found", f"No hold {hold_id} of {caller.organization_name}.",
                         hint="Use list_holds to find your holds and their ids.")
    if peek.user_id != caller.user_id and not caller.can_sell:
        raise ToolFailed("forbidden", f"This hold was made by someone else; your role ({caller.role}) may release "
                         "only your own holds. A parts manager can release it.")
    item = session.get(InventoryItem, peek.inventory_item_id, with_for_update=True, populate_existing=True)
    hold = session.get(StockHold, hold_id, with_for_update=True, populate_existing=True)
    assert item is not None and hold is not None
    return hold, item


@tool(ToolKind.WRITE, summarize=_summarize_cancel)
def cancel_hold(ctx: ToolContext, args: CancelHoldInput) -> CancelHoldOutput:
    """Release a stock hold: its units go back to available stock at once and the pickup code stops working.

    You may release your own holds; parts managers, sellers and admins may release any hold their organization's
    users made. Releasing a hold that already ended (released or expired) changes nothing and says so.

    Args:
        hold_id: from list_holds (or the hold_id request_emergency_pickup returned).

    Do NOT use this to cancel a marketplace purchase or offer (withdraw_offer), or a listing (cancel_listing).
    A hold that was picked up cannot be released.
    """
    caller, session = ctx.caller, ctx.session
    hold, item = _locked_hold(session, caller, args.hold_id)
    if hold.status == "picked_up":
        raise ToolFailed("conflict", "The parts on this hold were already picked up; there is nothing to release.")
    returned = 0
    now = utcnow()
    if hold.status == "active":
        returned = hold.quantity
        item.quantity_reserved -= hold.quantity
        if hold.expires_at <= now:
            hold.status = "expired"
        else:
            hold.status, hold.released_at, hold.released_by_id = "released", now, caller.user_id
        session.flush()
    view = _load_view(session, caller, hold.id)
    session.refresh(item)
    if returned and view.status == "released":
        message = (f"Released: {returned} × {view.part_number} at {view.location_name} are available again; "
                   f"code {view.pickup_code} no longer works.")
    elif returned:
        message = f"The hold had already expired; its {returned} unit(s) are back on the shelf."
    else:
        message = f"Nothing to do: this hold was already {view.status}."
    return CancelHoldOutput(hold=view, released_now=bool(returned), quantity_returned=returned,
                            quantity_available_now=item.quantity_available, message=message)
