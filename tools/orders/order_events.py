"""Who is told what when an order changes status: the seller's desk of a new order (and of a cancellation or a
return request from the buyer's side), the approvers of an order over a spend limit (answerable with Approve /
Reject), and the person who ordered of every step after that. Nobody is told of their own change. Called by
lifecycle.enter_status, in the transaction of the change."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import Order, OrderItem, Organization, User
from tools.context import SELLING_ROLES
from tools.notifications.events import Action, notify
from tools.orders.transitions import APPROVER_ROLES
from tools.rules.money import usd
from tools.rules.wording import either

NEW_ORDER = "order_placed"
STATUS_CHANGED = "order_status"
APPROVAL_NEEDED = "order_approval_needed"
RETURN_REQUESTED = "order_return_requested"
# The words a pressed Approve / Reject button says in the notice's conversation.
APPROVE_SAYS = "approve order {number}"
REJECT_SAYS = "reject order {number}"


def lines_words(items: Sequence[Any]) -> str:
    """ "2 × GAA26800LC1", "2 × GAA26800LC1 and 1 × 6300ADL", or "4 lines (7 units)" (order lines, or anything
    with a quantity and a part_number)."""
    if len(items) <= 2:
        return either((f"{i.quantity} × {i.part_number}" for i in items), "and") or "no lines"
    return f"{len(items)} lines ({sum(i.quantity for i in items)} units)"


def _people(session: Session, organization_id: uuid.UUID, roles: Iterable[str]) -> list[uuid.UUID]:
    return list(session.scalars(select(User.id).where(
        User.organization_id == organization_id, User.is_active, User.role.in_(list(roles))).order_by(User.email)))


def _org_name(session: Session, organization_id: uuid.UUID) -> str:
    org = session.get(Organization, organization_id)
    return org.name if org is not None else "the other organization"


def _tell(session: Session, order: Order, people: Iterable[uuid.UUID], actor: uuid.UUID | None, category: str,
          title: str, body: str, actions: list[Action] | None = None) -> None:
    for person in dict.fromkeys(people):
        if person != actor:
            notify(session, person, category, title, body, subject_type="order", subject_id=order.id,
                   event=order.status, actions=actions)


def _what(session: Session, order: Order) -> str:
    items = list(session.scalars(select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.id)))
    return f"{lines_words(items)}, {usd(order.total, order.currency)}"


def _ship_to(order: Order) -> str:
    place = order.site_name or (order.ship_to or {}).get("label")
    return f", ship to {place}" if place else ""


def status_entered(session: Session, order: Order, from_status: str | None, actor_id: uuid.UUID | None,
                   note: str | None) -> None:
    """Tell the people concerned that `order` (already in its new status) left `from_status` (None: placed)."""
    number, status = order.order_number, order.status
    actor = session.get(User, actor_id) if actor_id is not None else None
    who = actor.name if actor is not None else "Partpilot"
    buyer = session.get(User, order.buyer_id)
    buyer_name = buyer.name if buyer is not None else "Someone"
    buyer_org, seller_org = (_org_name(session, order.buyer_organization_id),
                             _org_name(session, order.seller_organization_id))
    what = _what(session, order)
    desk = _people(session, order.seller_organization_id, SELLING_ROLES)
    # Within a transfer (one organization on both sides) nobody "rejects as the seller": it is cancelled.
    from_buyer_side = actor is not None and actor.organization_id == order.buyer_organization_id

    if status == "awaiting_approval":
        approvers = _people(session, order.buyer_organization_id, APPROVER_ROLES)
        _tell(session, order, approvers, order.buyer_id, APPROVAL_NEEDED, f"Approval needed: order {number}",
              f"{buyer_name} ordered {what} from {seller_org}{_ship_to(order)}; it is over their spend limit "
              "and waits for your approval.",
              [Action("Approve", APPROVE_SAYS.format(number=number)),
               Action("Reject", REJECT_SAYS.format(number=number))])
        return
    if from_status in (None, "awaiting_approval") and status in ("pending_payment", "processing"):
        how = (f" Invoice {order.invoice_number} was issued; verify the payment when it arrives."
               if order.invoice_number else "")
        title = f"Transfer request {number}" if order.kind == "transfer" else f"New order {number} from {buyer_org}"
        _tell(session, order, desk, actor_id, NEW_ORDER, title,
              f"{buyer_name} of {buyer_org} ordered {what}{_ship_to(order)}.{how}")
    if from_status is None:
        return
    if status == "return_requested":
        _tell(session, order, desk, actor_id, RETURN_REQUESTED, f"Return requested: order {number}",
              f"{who} of {buyer_org} asks to return {what}: {note or 'no reason given'}. Authorize the return "
              "when you agree.")
    elif status == "cancelled" and from_status != "awaiting_approval" and from_buyer_side:
        _tell(session, order, desk, actor_id, STATUS_CHANGED, f"Order {number} cancelled",
              f"{who} of {buyer_org} cancelled order {number} ({what}); do not ship it."
              + (f" Reason: {note}" if note else ""))
    title, body = _buyer_words(order, from_status, who, seller_org, what, note, from_buyer_side)
    _tell(session, order, [order.buyer_id], actor_id, STATUS_CHANGED, title, body)


def _buyer_words(order: Order, from_status: str, who: str, seller_org: str, what: str, note: str | None,
                 from_buyer_side: bool) -> tuple[str, str]:
    number, status = order.order_number, order.status
    why = f" Reason: {note}" if note else ""
    if status == "cancelled":
        if from_status == "awaiting_approval" and from_buyer_side:
            return f"Order {number} not approved", f"{who} did not approve your order {number} ({what}).{why}"
        if from_buyer_side:
            return f"Order {number} cancelled", f"{who} cancelled your order {number} ({what}).{why}"
        return f"Order {number} rejected", f"{seller_org} rejected your order {number} ({what}).{why}"
    if from_status == "awaiting_approval":
        then = (" It is being prepared." if status == "processing"
                else f" Invoice {order.invoice_number} follows; the seller ships once it is paid."
                if order.invoice_number else " The seller ships once it is paid.")
        return f"Order {number} approved", f"{who} approved your order {number} ({what}) from {seller_org}.{then}"
    carrier = " ".join(filter(None, (order.carrier, order.tracking_number)))
    words = {
        "payment_verified": (f"Payment received: order {number}",
                             f"{seller_org} verified your payment for order {number} ({what})."),
        "processing": (f"Order {number} accepted", f"{seller_org} accepted your order {number} and is preparing it."),
        "packed": (f"Order {number} packed", f"{seller_org} packed your order {number} ({what}); it ships next."),
        "shipped": (f"Order {number} shipped", f"{seller_org} shipped your order {number} ({what})"
                    + (f", {carrier}." if carrier else ".")),
        "delivered": (f"Order {number} delivered", f"Your order {number} ({what}) was marked delivered by {who}."),
        "return_requested": (f"Return requested: order {number}",
                             f"{who} asked {seller_org} to take back order {number}.{why}"),
        "returned": (f"Return authorized: order {number}",
                     f"{seller_org} authorized the return of order {number} ({what}), return authorization "
                     f"{order.return_authorization}."),
    }
    return words.get(status, (f"Order {number}: {status}", f"Order {number} is now {status}."))
