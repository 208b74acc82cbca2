"""Changing one's deal alerts: pausing, resuming or retuning one (or pausing them all), and deleting one."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import DealAlert
from tools.alerts.views import (
    KM_PER_MILE,
    DealAlertView,
    alert_name_for,
    alert_view,
    alert_words,
    conditions_words,
    count_alerts,
    own_alert,
)
from tools.context import Caller
from tools.listings.types import Condition, Money
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.money import usd


class DealAlertChanges(BaseModel):
    """What can change on an alert; only the fields given change."""

    paused: bool | None = Field(None, description="true: stop telling me for now; false: resume.")
    max_price: Money | None = Field(None, description="New highest unit price in USD.")
    conditions: list[Condition] | None = Field(None, description="New accepted conditions; [] for any.")
    within_km: float | None = Field(None, gt=0, le=5000, description="New radius in km around the alert's place.")

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True, include={"paused", "max_price", "conditions", "within_km"})


class UpdateDealAlertInput(DealAlertChanges):
    alert_id: uuid.UUID | None = Field(None, description="The alert, from list_deal_alerts.")
    all_mine: bool = Field(False, description="Pause or resume every one of your alerts ('pause my alerts'); "
                           "then only `paused` may be given.")


class UpdateDealAlertOutput(BaseModel):
    alerts: list[DealAlertView]
    changed: list[str]
    message: str


def _change_words(args: UpdateDealAlertInput) -> str:
    words = []
    if args.paused is not None:
        words.append("pause it" if args.paused else "resume it")
    if args.max_price is not None:
        words.append(f"max price {usd(args.max_price)}")
    if args.conditions is not None:
        words.append(f"only {conditions_words([str(c) for c in args.conditions])}" if args.conditions
                     else "any condition")
    if args.within_km is not None:
        words.append(f"within {round(args.within_km / KM_PER_MILE):g} mi")
    return ", ".join(words) or "nothing to change"


def _summarize_update(caller: Caller, args: UpdateDealAlertInput, session: Session) -> str:
    if args.all_mine:
        verb = "Pause" if args.paused else "Resume"
        return f"{verb} all {count_alerts(session, caller, paused=not args.paused)} of your live deal alerts?" \
            if args.paused else f"{verb} all {count_alerts(session, caller, paused=True)} of your paused deal alerts?"
    name = alert_name_for(session, caller, args.alert_id)
    return f"Change your alert for {name}: {_change_words(args)}?" if name else "Change that alert?"


@tool(ToolKind.WRITE, summarize=_summarize_update)
def update_deal_alert(ctx: ToolContext, args: UpdateDealAlertInput) -> UpdateDealAlertOutput:
    """Pause or resume one of your deal alerts, or change its max price, conditions or radius; or pause/resume
    all of them at once with all_mine=true.

    Args:
        alert_id: from list_deal_alerts (or all_mine=true for every alert, with paused only).
        paused / max_price (USD) / conditions / within_km: the changes, e.g. {"alert_id": "…", "max_price": 350}.

    To stop an alert for good use delete_deal_alert.
    """
    caller, session = ctx.caller, ctx.session
    changes = args.changes()
    if not changes:
        raise ToolFailed("invalid", "Nothing to change: pass paused, max_price, conditions or within_km.")
    if args.all_mine:
        if args.alert_id is not None or set(changes) != {"paused"}:
            raise ToolFailed("invalid", "With all_mine only `paused` may change, and no alert_id is given.")
        rows = session.execute(text("UPDATE deal_alerts SET paused = :p, updated_at = now() WHERE user_id = :u "
                                    "AND paused <> :p RETURNING *"), {"p": args.paused, "u": caller.user_id}).all()
        verb = "Paused" if args.paused else "Resumed"
        return UpdateDealAlertOutput(alerts=[alert_view(r) for r in rows], changed=["paused"],
                                     message=f"{verb} {len(rows)} deal alert(s).")
    if args.alert_id is None:
        raise ToolFailed("invalid", "Say which alert (alert_id), or all_mine=true to pause or resume them all.")
    alert = own_alert(session, caller, args.alert_id, lock=True)
    auto_named = alert.name == _current_words(alert)
    if "within_km" in changes and alert.lat is None:
        raise ToolFailed("invalid", "This alert has no place to measure from; make a new alert with a radius.")
    for field_name, value in changes.items():
        setattr(alert, "radius_km" if field_name == "within_km" else field_name,
                [str(c) for c in value] if field_name == "conditions" else value)
    if auto_named:
        alert.name = _current_words(alert)[:200]
    session.flush()
    return UpdateDealAlertOutput(alerts=[alert_view(alert)], changed=sorted(changes),
                                 message=f"Alert updated: {alert.name}" + (" (paused)." if alert.paused else "."))


def _current_words(alert: DealAlert) -> str:
    return alert_words(part_number=alert.part_number, query=alert.query, conditions=list(alert.conditions or []),
                       max_price=Decimal(alert.max_price) if alert.max_price is not None else None,
                       radius_km=alert.radius_km, place=alert.place, listing_type=alert.listing_type,
                       category=alert.category, trade=alert.trade)


class DeleteDealAlertInput(BaseModel):
    alert_id: uuid.UUID = Field(description="The alert, from list_deal_alerts.")


class DeleteDealAlertOutput(BaseModel):
    alert_id: uuid.UUID
    name: str
    message: str


def _summarize_delete(caller: Caller, args: DeleteDealAlertInput, session: Session) -> str:
    name = alert_name_for(session, caller, args.alert_id)
    return f"Delete your deal alert for {name}?" if name else "Delete that alert?"


@tool(ToolKind.WRITE, summarize=_summarize_delete)
def delete_deal_alert(ctx: ToolContext, args: DeleteDealAlertInput) -> DeleteDealAlertOutput:
    """Delete one of your deal alerts for good (it tells you nothing more).

    Args:
        alert_id: from list_deal_alerts.

    To stop it for a while instead, pause it with update_deal_alert.
    """
    alert = own_alert(ctx.session, ctx.caller, args.alert_id, lock=True)
    name = alert.name
    ctx.session.delete(alert)
    ctx.session.flush()
    return DeleteDealAlertOutput(alert_id=args.alert_id, name=name, message=f"Deleted your alert for {name}.")
