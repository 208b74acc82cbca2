"""The order workflow as one table: which transition (approve, reject, cancel, verify-payment, pack, ship,
deliver, return) moves an order from which statuses to which, and who may make it. Everything else — the tool,
REST, the next steps an order view offers, the messages of a refused transition — reads this table."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol

from tools.context import SELLING_ROLES, Caller
from tools.rules.wording import either

Transition = Literal["approve", "reject", "cancel", "verify-payment", "pack", "ship", "deliver", "return"]
TRANSITIONS: tuple[Transition, ...] = ("approve", "reject", "cancel", "verify-payment", "pack", "ship", "deliver",
                                       "return")
APPROVER_ROLES = frozenset({"parts_manager", "admin"})
BEFORE_PACKING = frozenset({"awaiting_approval", "pending_payment", "payment_verified", "processing"})
CLOSED = frozenset({"cancelled", "returned"})
# A transfer moves the organization's own stock: nothing is paid, and units go back by another transfer.
NOT_FOR_TRANSFERS = {"verify-payment": "there is no payment to verify",
                     "return": "move the units back with a stock transfer instead"}

STATUS_WORDS = {
    "awaiting_approval": "awaiting approval", "pending_payment": "awaiting payment",
    "payment_verified": "paid (payment verified)", "processing": "being processed", "packed": "packed",
    "shipped": "shipped", "delivered": "delivered", "return_requested": "waiting for its return to be authorized",
    "returned": "returned", "cancelled": "cancelled",
}
# Where each status stands in the flow: a transition from a later status "cannot be done yet".
_RANK = {status: rank for rank, status in enumerate(
    ("awaiting_approval", "pending_payment", "payment_verified", "processing", "packed", "shipped", "delivered",
     "return_requested", "returned"))}


class Actor(StrEnum):
    APPROVER = "a parts manager or admin of the buying organization"
    SELLER = "the seller"
    ORDERER = "the person who placed it (or a parts manager or admin of the buying organization)"
    RECEIVER = "the buyer or the seller"


class OrderParties(Protocol):
    """What the rules need of an order (an Order row, or a row of it)."""

    kind: str
    status: str
    buyer_id: uuid.UUID
    buyer_organization_id: uuid.UUID
    seller_organization_id: uuid.UUID


@dataclass(frozen=True)
class Move:
    """One row of the table: `transition` from any of `sources` to `target`, made by `actor`. `step` says it
    as a next step ("mark it packed"), `done` as what was done ("marked packed")."""

    transition: Transition
    sources: frozenset[str]
    target: str
    actor: Actor
    step: str
    done: str


MOVES: tuple[Move, ...] = (
    Move("approve", frozenset({"awaiting_approval"}), "pending_payment", Actor.APPROVER, "approve it", "approved"),
    Move("approve", frozenset({"payment_verified"}), "processing", Actor.SELLER, "accept it into work",
         "accepted"),
    Move("reject", frozenset({"awaiting_approval"}), "cancelled", Actor.APPROVER, "reject it", "rejected"),
    Move("reject", frozenset({"pending_payment", "payment_verified", "processing"}), "cancelled", Actor.SELLER,
         "reject it", "rejected"),
    Move("cancel", BEFORE_PACKING, "cancelled", Actor.ORDERER, "cancel it", "cancelled"),
    Move("verify-payment", frozenset({"pending_payment"}), "payment_verified", Actor.SELLER,
         "mark the payment verified", "marked paid"),
    Move("pack", frozenset({"payment_verified", "processing"}), "packed", Actor.SELLER, "mark it packed",
         "marked packed"),
    Move("ship", frozenset({"payment_verified", "processing", "packed"}), "shipped", Actor.SELLER,
         "mark it shipped with a tracking number", "marked shipped"),
    Move("deliver", frozenset({"shipped"}), "delivered", Actor.RECEIVER, "mark it delivered", "marked delivered"),
    Move("return", frozenset({"delivered"}), "return_requested", Actor.ORDERER,
         "request a return (with a reason)", "is waiting for the seller to authorize its return"),
    Move("return", frozenset({"return_requested"}), "returned", Actor.SELLER, "authorize the return",
         "returned"),
)


def target_of(move: Move, order: OrderParties) -> str:
    """Where the move takes this order: an approved transfer needs no payment and goes straight to work."""
    if move.transition == "approve" and move.target == "pending_payment" and order.kind == "transfer":
        return "processing"
    return move.target


def may_act(caller: Caller, actor: Actor, order: OrderParties) -> bool:
    buying = caller.organization_id == order.buyer_organization_id
    selling = caller.organization_id == order.seller_organization_id and caller.role in SELLING_ROLES
    if actor is Actor.APPROVER:
        # Nobody approves their own order, except an admin (who sets the limits).
        return buying and caller.role in APPROVER_ROLES and (caller.user_id != order.buyer_id
                                                             or caller.role == "admin")
    if actor is Actor.SELLER:
        return selling
    if actor is Actor.ORDERER:
        return buying and (caller.user_id == order.buyer_id or caller.role in APPROVER_ROLES)
    return buying or selling


def moves_from(order: OrderParties, transition: Transition | None = None) -> list[Move]:
    """The moves that start at the order's status (of one transition, when given)."""
    return [m for m in MOVES if order.status in m.sources and transition in (None, m.transition)
            and not (order.kind == "transfer" and m.transition in NOT_FOR_TRANSFERS)]


def next_steps(caller: Caller, order: OrderParties) -> list[Transition]:
    """The transitions `caller` may make on the order now, in workflow order."""
    return list(dict.fromkeys(m.transition for m in moves_from(order) if may_act(caller, m.actor, order)))


def allowed_move(caller: Caller, order: OrderParties, transition: Transition) -> Move | None:
    """The move `caller` makes with `transition` now, or None."""
    return next((m for m in moves_from(order, transition) if may_act(caller, m.actor, order)), None)


def _steps_words(moves: list[Move]) -> str:
    return either(dict.fromkeys(m.step for m in moves), "or") or ""


def what_next(caller: Caller, order: OrderParties) -> str:
    """What can happen to the order now, said to `caller`: what they can do, else who acts next."""
    possible = moves_from(order)
    if not possible:
        return "Nothing more can be done with it." if order.status in CLOSED else ""
    mine = [m for m in possible if may_act(caller, m.actor, order)]
    if mine:
        return f"You can {_steps_words(mine)}."
    others = possible[0]
    return f"Next, {others.actor.value} can {_steps_words([m for m in possible if m.actor is others.actor])}."


def _verb(transition: Transition) -> str:
    return {"approve": "approved", "reject": "rejected", "cancel": "cancelled", "verify-payment": "marked paid",
            "pack": "marked packed", "ship": "marked shipped", "deliver": "marked delivered",
            "return": "returned"}[transition]


def _theirs(caller: Caller, order: OrderParties, transition: Transition) -> list[Move]:
    """The moves of `transition` the caller's side and role make at some status (all of them, if none)."""
    moves = [m for m in MOVES if m.transition == transition]
    return [m for m in moves if may_act(caller, m.actor, order)] or moves


def _too_early(order: OrderParties, moves: list[Move]) -> bool:
    return any(_RANK.get(order.status, len(_RANK)) < _RANK.get(source, -1) for m in moves for source in m.sources)


def refusal(caller: Caller, order: OrderParties, order_number: str,
            transition: Transition) -> tuple[Literal["conflict", "forbidden"], str]:
    """Why `caller` cannot make `transition` now: ("conflict", message) when the order's status does not allow
    it for anyone, ("forbidden", message) when someone else must make it. The message names the current status
    and what can be done next."""
    status = STATUS_WORDS.get(order.status, order.status)
    possible = moves_from(order, transition)
    if order.kind == "transfer" and transition in NOT_FOR_TRANSFERS:
        return "conflict", " ".join(filter(None, (
            f"Order {order_number} is a transfer within your organization: {NOT_FOR_TRANSFERS[transition]}.",
            what_next(caller, order))))
    if not possible:
        theirs = _theirs(caller, order, transition)
        verb = "accepted" if all(m.actor is Actor.SELLER for m in theirs) and transition == "approve" \
            else _verb(transition)
        told = (f"it cannot be {verb} any more" if order.status in CLOSED
                else f"it cannot be {verb} yet" if _too_early(order, theirs) else f"it can no longer be {verb}")
        return "conflict", " ".join(filter(None, (f"Order {order_number} is {status}; {told}.",
                                                  what_next(caller, order))))
    move = possible[0]
    own = (" (nobody approves an order they placed themselves)"
           if move.actor is Actor.APPROVER and caller.user_id == order.buyer_id else "")
    message = f"Order {order_number} is {status}; only {move.actor.value} can {move.step} now{own}."
    mine = what_next(caller, order) if next_steps(caller, order) else ""
    return "forbidden", " ".join(filter(None, (message, mine)))
