"""Reordering what was used on a job: the organization's stock taken off with the reason "used on a job" and a
note naming the job (adjust_stock's log), over the last days, put back in the cart part by part — each from the
fastest source that can be bought, as add_to_cart picks it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.orders.cart import add_source
from tools.orders.cart_views import CartItemView, build_cart_view
from tools.orders.picking import pick_source
from tools.orders.ship_to import tokens
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.clock import utcnow
from tools.rules.money import usd
from tools.rules.roles import require_buyer
from tools.rules.wording import counted, either


class ReorderUsedPartsInput(BaseModel):
    job: str = Field(min_length=2, max_length=200, description="The job or site as people name it, e.g. 'Hyatt' "
                     "or 'Brown Palace job': matched against the notes of stock used on a job")
    days: int = Field(30, ge=1, le=365, description="How far back to look, in days (default 30)")
    only_mine: bool = Field(False, description="Only what you used yourself (default: anyone in your organization)")


class UsedPart(BaseModel):
    part_number: str
    manufacturer: str | None
    quantity: int = Field(description="Units used on the job in the period")


class ReorderUsedPartsOutput(BaseModel):
    used: list[UsedPart]
    added: list[CartItemView] = Field(description="The cart items the used parts were added to")
    skipped: list[str] = Field(description="Parts that could not be added, and why")
    cart_total: Decimal
    message: str


_USED = (
    "SELECT i.part_number, i.manufacturer, -sum(m.quantity_change) AS quantity FROM inventory_movements m "
    "JOIN inventory_items i ON i.id = m.inventory_item_id WHERE m.organization_id = :org "
    "AND m.reason = 'used_on_job' AND m.quantity_change < 0 AND m.created_at >= :since "
    "AND (CAST(:me AS uuid) IS NULL OR m.user_id = CAST(:me AS uuid)) AND {words} "
    "GROUP BY i.part_number, i.manufacturer HAVING -sum(m.quantity_change) > 0 ORDER BY i.part_number"
)


def used_on_job(session: Session, caller: Caller, job: str, days: int, only_mine: bool) -> list[UsedPart]:
    """What the caller's organization used on a job whose notes name every word of `job` (filler words aside)."""
    words = tokens(job)
    if not words:
        raise ToolFailed("invalid", "Name the job or site, e.g. 'Hyatt'.")
    params: dict[str, Any] = {"org": caller.organization_id, "since": utcnow() - timedelta(days=days),
                              "me": caller.user_id if only_mine else None}
    matches = []
    for n, word in enumerate(words):
        params[f"w{n}"] = f"%{word}%"
        matches.append(f"m.note ILIKE :w{n}")
    rows = session.execute(text(_USED.format(words=" AND ".join(matches))), params)
    return [UsedPart(part_number=r.part_number, manufacturer=r.manufacturer, quantity=int(r.quantity)) for r in rows]


def _job_words(job: str) -> str:
    """ "the Hyatt job" → "Hyatt"."""
    words = job.strip().removeprefix("the ").removeprefix("The ")
    for tail in (" job", " site"):
        words = words.removesuffix(tail)
    return words


def summarize_reorder(caller: Caller, args: ReorderUsedPartsInput, session: Session) -> str:
    job = _job_words(args.job)
    used = used_on_job(session, caller, args.job, args.days, args.only_mine) if tokens(args.job) else []
    whose = "you" if args.only_mine else "your team"
    if not used:
        return f"Look for parts {whose} used on the {job} job in the last {args.days} days and add them to " \
               "your cart?"
    parts = either((f"{u.quantity} × {u.part_number}" for u in used[:6]), "and")
    more = f" and {len(used) - 6} more" if len(used) > 6 else ""
    return f"Add what {whose} used on the {job} job in the last {args.days} days to your cart: {parts}{more}?"


@tool(ToolKind.WRITE, summarize=summarize_reorder)
def reorder_used_parts(ctx: ToolContext, args: ReorderUsedPartsInput) -> ReorderUsedPartsOutput:
    """Reorder what was used on a job ("reorder what I used on the Hyatt job"): finds your organization's stock
    logged as used on a job whose note names it, in the last N days, and adds those parts and quantities to
    your cart — each from the fastest source you can buy (as add_to_cart picks it). Nothing is ordered until
    checkout.

    Args:
        job: e.g. "Hyatt" or "Brown Palace job" (matched against the usage notes).
        days: Look-back in days (default 30).
        only_mine: True for only what you used yourself.
    """
    require_buyer(ctx.caller, "buy parts")
    used = used_on_job(ctx.session, ctx.caller, args.job, args.days, args.only_mine)
    if not used:
        raise ToolFailed("not_found", f"No stock was logged as used on a job matching {args.job!r} in the last "
                         f"{args.days} days.", hint="Check the job name, or look further back with days.")
    added_ids, skipped = [], []
    for part in used:
        try:
            with ctx.session.begin_nested():
                picked = pick_source(ctx, part.part_number, part.manufacturer, part.quantity)
                added_ids.append(add_source(ctx, picked.source, part.quantity).id)
        except ToolFailed as failed:
            skipped.append(f"{part.part_number}: {failed.failure.message}")
    cart = build_cart_view(ctx.session, ctx.caller)
    added = [v for v in cart.items if v.id in added_ids]
    if not added:
        raise ToolFailed("unavailable", "None of the parts used could be added: " + " ".join(skipped),
                         hint="Look for sources with find_inventory.")
    said = either((f"{v.quantity} × {v.part_number} from {v.seller}" for v in added), "and")
    message = f"Added {said} to your cart (now {usd(cart.total)})."
    if skipped:
        message += f" Not added: {counted(len(skipped), 'part')} ({'; '.join(skipped)})."
    return ReorderUsedPartsOutput(used=used, added=added, skipped=skipped, cart_total=cart.total, message=message)
