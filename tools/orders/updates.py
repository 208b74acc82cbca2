"""Moving an order along its workflow: a parts manager approves or rejects an order over a spend limit; the
seller's desk verifies payment, accepts, packs, ships (carrier and tracking) or rejects; the buyer cancels before
packing, marks it delivered and asks for a return, which the seller authorizes. The table of who may do what
from which status is transitions.py; what each status does (stock, invoice, notices) is lifecycle.py."""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import Order, OrderItem, Organization, User
from tools.context import Caller
from tools.orders.lifecycle import enter_status
from tools.orders.order_events import lines_words
from tools.orders.orders import OrderRef
from tools.orders.transitions import Actor, Move, Transition, allowed_move, refusal, target_of, what_next
from tools.orders.views import OrderView, find_order, load_order_view, order_role
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.money import usd
from tools.rules.wording import possessive


class OrderTransitionDetails(BaseModel):
    """What a transition may carry besides the order."""

    reason: str | None = Field(None, max_length=1000, description="Why: required to ask for a return; told to "
                               "the other side when rejecting or cancelling.")
    carrier: str | None = Field(None, max_length=50, description="For ship: e.g. 'UPS', 'FedEx', 'our truck'.")
    tracking_number: str | None = Field(None, max_length=100, description="For ship (required), e.g. "
                                        "'1Z999AA10123456784'.")
    note: str | None = Field(None, max_length=1000, description="Anything else for the order's history.")


class UpdateOrderInput(OrderRef, OrderTransitionDetails):
    transition: Transition = Field(description="approve, reject, cancel, verify-payment, pack, ship, deliver or "
                                   "return.")


class UpdateOrderOutput(BaseModel):
    order: OrderView
    transition: Transition
    from_status: str
    message: str


def _order_words(session: Session, caller: Caller, order: Order) -> str:
    """ "order ORD-100012 (2 × GAA26800LC1, $812.40) from Keystone Parts Supply" (or "to …" for the seller)."""
    items = list(session.scalars(select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.id)))
    selling = order_role(caller, order) == "seller"
    other = session.get(Organization, order.buyer_organization_id if selling else order.seller_organization_id)
    side = f" {'to' if selling else 'from'} {other.name}" if other is not None and order.kind != "transfer" else ""
    return f"order {order.order_number} ({lines_words(items)}, {usd(order.total, order.currency)}){side}"


def _plain(text: str | None) -> str:
    """User words inside a question: one line, no question mark of their own."""
    return " ".join((text or "").replace("?", ".").split())


def _summarize_update(caller: Caller, args: UpdateOrderInput, session: Session) -> str:
    try:
        order = find_order(session, caller, args.order_id, args.order_number)
    except ToolFailed:
        return "Update that order?"
    what = _order_words(session, caller, order)
    move = allowed_move(caller, order, args.transition)
    why = f" (reason: {_plain(args.reason)})" if args.reason and args.reason.strip() else ""
    if args.transition == "approve" and (move is None or move.actor is Actor.APPROVER):
        buyer = session.get(User, order.buyer_id)
        return f"Approve {possessive(buyer.name) if buyer else 'this'} {what}?"
    if args.transition == "return" and order.status == "return_requested":
        return f"Authorize the return of {what} and put the units back in stock?"
    sentences = {
        "approve": f"Accept {what} into work?",
        "reject": f"Reject {what}{why}?",
        "cancel": f"Cancel {what}{why}?",
        "verify-payment": f"Confirm the payment for {what} was received?",
        "pack": f"Mark {what} packed?",
        "ship": f"Mark {what} shipped" + (f", {_plain(' '.join(filter(None, (args.carrier, args.tracking_number))))}"
                                          if args.tracking_number or args.carrier else "") + "?",
        "deliver": f"Mark {what} delivered?",
        "return": f"Ask to return {what}{why}?",
    }
    sentence = sentences[args.transition]
    return sentence[0].upper() + sentence[1:]


def _check_details(order: Order, move: Move, args: UpdateOrderInput) -> None:
    if move.transition == "ship" and order.kind != "transfer" and not (args.tracking_number or "").strip():
        raise ToolFailed("invalid", f"Shipping order {order.order_number} needs its tracking number "
                         "(tracking_number), and the carrier if you have it.")
    if move.target == "return_requested" and not (args.reason or "").strip():
        raise ToolFailed("invalid", f"Say why order {order.order_number} goes back (reason), e.g. 'wrong voltage'.")


def _cancel_reason(session: Session, caller: Caller, order: Order, move: Move, reason: str | None) -> str:
    """The reason the buyer reads: who said no, and why."""
    why = f": {reason}" if reason else ""
    if move.actor is Actor.SELLER:
        seller = session.get(Organization, order.seller_organization_id)
        return f"Rejected by {seller.name if seller else 'the seller'}{why}"
    if move.actor is Actor.APPROVER:
        return f"Not approved by {caller.name}{why}"
    return f"Cancelled by {caller.name}{why}"


@tool(ToolKind.WRITE, summarize=_summarize_update)
def update_order(ctx: ToolContext, args: UpdateOrderInput) -> UpdateOrderOutput:
    """Move an order to its next step. Who may do what (get_order's `next_steps` says what YOU may do now):
    - approve: a parts manager/admin approves an order awaiting approval (not their own); the seller accepts a
      paid order into work. reject: the approver or the seller says no (reason told to the buyer).
    - cancel: the person who ordered (or a parts manager) before it is packed.
    - verify-payment, pack, ship (tracking_number required; carrier): the seller's desk.
    - deliver: either side once shipped. return: the buyer asks after delivery (reason required); the seller
      then authorizes it with return again (stock goes back, an RMA number is issued).

    Args:
        order_id or order_number (e.g. "ORD-100012"); transition; reason, carrier, tracking_number, note as needed.
        E.g. {"order_number": "ORD-100012", "transition": "ship", "carrier": "UPS", "tracking_number": "1Z999…"}.

    An illegal step fails with the order's status and what can be done instead.
    """
    caller, session = ctx.caller, ctx.session
    order = find_order(session, caller, args.order_id, args.order_number, lock=True)
    move = allowed_move(caller, order, args.transition)
    if move is None:
        code, message = refusal(caller, order, order.order_number, args.transition)
        raise ToolFailed(code, message)
    _check_details(order, move, args)
    reason = " ".join(args.reason.split()) if args.reason and args.reason.strip() else None
    if move.transition == "ship":
        order.carrier = (args.carrier or "").strip() or order.carrier
        order.tracking_number = (args.tracking_number or "").strip() or order.tracking_number
    target = target_of(move, order)
    if target == "cancelled":
        order.cancel_reason = _cancel_reason(session, caller, order, move, reason)
    from_status = order.status
    note = "; ".join(filter(None, (reason, (args.note or "").strip() or None))) or None
    enter_status(session, order, target, caller.user_id, note)
    view = load_order_view(session, caller, order)
    return UpdateOrderOutput(order=view, transition=args.transition, from_status=from_status,
                             message=_done_words(caller, order, move))


def _done_words(caller: Caller, order: Order, move: Move) -> str:
    """ "Order ORD-100012 marked shipped (UPS 1Z999…). You can mark it delivered." """
    tracking = " ".join(filter(None, (order.carrier, order.tracking_number)))
    sentences = [f"Order {order.order_number} {move.done}" + (f" ({tracking})." if order.status == "shipped"
                                                                and tracking else ".")]
    if order.status == "returned":
        sentences.append(f"Return authorization {order.return_authorization}.")
    if order.status == "pending_payment" and order.invoice_number:
        sentences.append(f"Invoice {order.invoice_number} was issued to the buyer.")
    sentences.append(what_next(caller, order))
    return " ".join(filter(None, sentences))
