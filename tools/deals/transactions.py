"""Transactions (deals closed by accepting an offer) as both parties see them, and their life after the deal:
the seller ships, the buyer confirms delivery (or pickup), each side reviews the other once.

pending/paid → shipped → delivered → completed (both reviews in). The seller's reserved stock leaves the
inventory when the parts leave: at shipping, or at delivery for a pickup that was never shipped.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import InventoryItem, MarketplaceListing, PartOffer, PartTransaction
from tools.context import Caller
from tools.deals.closing import PICKUP_FULFILMENT, transaction_view
from tools.listings.marketplace import org_name
from tools.notifications.more_events import order_awaiting_rating, order_delivered, order_shipped
from tools.offers.types import TransactionView
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.clock import utcnow
from tools.rules.roles import require_buyer, require_seller
from tools.rules.wording import either

SHIPPABLE = ("pending", "paid")


class TransactionDetail(TransactionView):
    role: Literal["buyer", "seller"] = Field(description="Your organization's side of the deal.")
    listing_id: uuid.UUID | None
    offer_id: uuid.UUID | None
    tracking_number: str | None
    shipping_address: str | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    seller_rating: int | None = Field(description="The buyer's rating of the seller, 1-5.")
    seller_review: str | None
    buyer_rating: int | None = Field(description="The seller's rating of the buyer, 1-5.")
    buyer_review: str | None
    created_at: datetime


def _detail(session: Session, caller: Caller, tx: PartTransaction) -> TransactionDetail:
    base = transaction_view(session, tx).model_dump()
    return TransactionDetail(
        **base, role="seller" if tx.seller_organization_id == caller.organization_id else "buyer",
        listing_id=tx.listing_id, offer_id=tx.offer_id, tracking_number=tx.tracking_number,
        shipping_address=tx.shipping_address, shipped_at=tx.shipped_at, delivered_at=tx.delivered_at,
        completed_at=tx.completed_at, seller_rating=tx.seller_rating, seller_review=tx.seller_review,
        buyer_rating=tx.buyer_rating, buyer_review=tx.buyer_review, created_at=tx.created_at)


def own_transaction(session: Session, caller: Caller, transaction_id: uuid.UUID) -> PartTransaction:
    """A row-locked transaction the caller's organization is party to; anyone else's is not_found."""
    tx = session.get(PartTransaction, transaction_id, with_for_update=True, populate_existing=True)
    if tx is None or caller.organization_id not in (tx.seller_organization_id, tx.buyer_organization_id):
        raise ToolFailed("not_found", f"No transaction {transaction_id} of {caller.organization_name}.",
                         hint="List your transactions to find their ids.")
    return tx


def _deal_words(session: Session, caller: Caller, transaction_id: uuid.UUID) -> tuple[PartTransaction, str, str] | None:
    """For confirmation sentences: the transaction, its parts ("1 × PPX-640007") and the other organization's
    name — None when the caller's organization is not party to it (then nothing about it is told)."""
    tx = session.get(PartTransaction, transaction_id)
    if tx is None or caller.organization_id not in (tx.seller_organization_id, tx.buyer_organization_id):
        return None
    parts = either((f"{p.get('quantity') or 1} × {p.get('part_number')}" for p in tx.parts), "and") or "parts"
    other = tx.buyer_organization_id if tx.seller_organization_id == caller.organization_id \
        else tx.seller_organization_id
    return tx, parts, org_name(session, other)


class ListTransactionsInput(BaseModel):
    role: Literal["buyer", "seller", "all"] = Field("all", description="Deals where your organization bought, "
                                                    "sold, or both.")
    status: Literal["pending", "paid", "shipped", "delivered", "completed", "cancelled"] | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class ListTransactionsOutput(BaseModel):
    transactions: list[TransactionDetail]
    total: int


@tool(ToolKind.READ)
def list_transactions(ctx: ToolContext, args: ListTransactionsInput) -> ListTransactionsOutput:
    """Your organization's marketplace transactions, newest first, as buyer, seller or both.

    Args:
        role: "buyer", "seller" or "all". status: e.g. "shipped". limit/offset: paging.
    """
    params: dict[str, Any] = {"org": ctx.caller.organization_id, "status": args.status}
    side = {"buyer": "buyer_organization_id = :org", "seller": "seller_organization_id = :org",
            "all": "(buyer_organization_id = :org OR seller_organization_id = :org)"}[args.role]
    where = f"{side} AND (CAST(:status AS text) IS NULL OR status = :status)"
    total = ctx.session.execute(text(f"SELECT count(*) FROM part_transactions WHERE {where}"), params).scalar_one()
    ids = ctx.session.execute(text(f"SELECT id FROM part_transactions WHERE {where} ORDER BY created_at DESC, id "
                                   "LIMIT :limit OFFSET :offset"),
                              {**params, "limit": args.limit, "offset": args.offset}).scalars().all()
    txs = [ctx.session.get(PartTransaction, i) for i in ids]
    return ListTransactionsOutput(transactions=[_detail(ctx.session, ctx.caller, t) for t in txs if t], total=total)


class TransactionIdInput(BaseModel):
    transaction_id: uuid.UUID


@tool(ToolKind.READ)
def get_transaction(ctx: ToolContext, args: TransactionIdInput) -> TransactionDetail:
    """One transaction of your organization with its parts, money, fulfilment, tracking and reviews."""
    tx = ctx.session.get(PartTransaction, args.transaction_id)
    if tx is None or ctx.caller.organization_id not in (tx.seller_organization_id, tx.buyer_organization_id):
        raise ToolFailed("not_found", f"No transaction {args.transaction_id} of {ctx.caller.organization_name}.")
    return _detail(ctx.session, ctx.caller, tx)


class TransactionChangeOutput(BaseModel):
    transaction: TransactionDetail
    message: str


def _release_sold_stock(session: Session, tx: PartTransaction) -> None:
    """The units reserved when the deal closed leave the seller's inventory."""
    listing = session.get(MarketplaceListing, tx.listing_id) if tx.listing_id else None
    if listing is None or listing.inventory_item_id is None:
        return
    item = session.get(InventoryItem, listing.inventory_item_id, with_for_update=True, populate_existing=True)
    quantity = sum(int(p.get("quantity") or 0) for p in tx.parts)
    if item is not None and quantity:
        taken = min(quantity, item.quantity_reserved)
        item.quantity_reserved -= taken
        item.quantity_on_hand -= taken


def _people(session: Session, tx: PartTransaction) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """Who made the deal on each side: the buyer who offered (or bid), the seller who listed."""
    offer = session.get(PartOffer, tx.offer_id) if tx.offer_id else None
    listing = session.get(MarketplaceListing, tx.listing_id) if tx.listing_id else None
    return (offer.buyer_id if offer else None), (listing.seller_id if listing else None)


class ShippingInfo(BaseModel):
    carrier: str | None = Field(None, max_length=50, description="e.g. 'UPS'.")
    tracking_number: str = Field(min_length=3, max_length=100)


class ShipTransactionInput(ShippingInfo, TransactionIdInput):
    pass


def _summarize_ship(caller: Caller, args: ShipTransactionInput, session: Session) -> str:
    tracking = f"{args.carrier} {args.tracking_number}" if args.carrier else args.tracking_number
    deal = _deal_words(session, caller, args.transaction_id)
    if deal is None:
        return f"Mark that sale shipped ({tracking})?"
    _, parts, buyer = deal
    return f"Mark your sale of {parts} to {buyer} shipped ({tracking})?"


@tool(ToolKind.WRITE, summarize=_summarize_ship)
def mark_transaction_shipped(ctx: ToolContext, args: ShipTransactionInput) -> TransactionChangeOutput:
    """Seller side: record that the parts of a pending or paid transaction shipped, with the tracking number.
    The reserved units leave your inventory. Only sellers and parts managers of the selling organization."""
    caller, session = ctx.caller, ctx.session
    tx = own_transaction(session, caller, args.transaction_id)
    if tx.seller_organization_id != caller.organization_id:
        raise ToolFailed("forbidden", "Only the selling organization ships a transaction.")
    require_seller(caller, "ship transactions")
    if tx.status not in SHIPPABLE:
        raise ToolFailed("conflict", f"The transaction is {tx.status}; only pending or paid ones can ship.")
    tx.status, tx.shipped_at = "shipped", utcnow()
    tx.tracking_number = f"{args.carrier} {args.tracking_number}" if args.carrier else args.tracking_number
    _release_sold_stock(session, tx)
    session.flush()
    order_shipped(session, _people(session, tx)[0], tx, caller.organization_name)
    return TransactionChangeOutput(transaction=_detail(session, caller, tx),
                                   message=f"Shipped; tracking {tx.tracking_number}.")


def _summarize_delivered(caller: Caller, args: TransactionIdInput, session: Session) -> str:
    deal = _deal_words(session, caller, args.transaction_id)
    if deal is None:
        return "Confirm that deal was delivered or picked up?"
    tx, parts, seller = deal
    if tx.fulfillment_type in PICKUP_FULFILMENT and tx.status != "shipped":
        return f"Confirm you picked up the {parts} from {seller}?"
    return f"Confirm the {parts} from {seller} was delivered?"


@tool(ToolKind.WRITE, summarize=_summarize_delivered)
def confirm_transaction_delivered(ctx: ToolContext, args: TransactionIdInput) -> TransactionChangeOutput:
    """Buyer side: confirm the parts arrived (shipped transactions) or were picked up (local pickup / will
    call, straight from pending or paid)."""
    caller, session = ctx.caller, ctx.session
    tx = own_transaction(session, caller, args.transaction_id)
    if tx.buyer_organization_id != caller.organization_id:
        raise ToolFailed("forbidden", "Only the buying organization confirms delivery.")
    require_buyer(caller, "confirm deliveries")
    pickup = tx.fulfillment_type in ("local_pickup", "will_call")
    if not (tx.status == "shipped" or (pickup and tx.status in SHIPPABLE)):
        raise ToolFailed("conflict", f"The transaction is {tx.status}; "
                         + ("it has not shipped yet." if tx.status in SHIPPABLE else "nothing to confirm."))
    if tx.status in SHIPPABLE:
        _release_sold_stock(session, tx)
    tx.status, tx.delivered_at = "delivered", utcnow()
    session.flush()
    buyer, seller = _people(session, tx)
    order_delivered(session, seller, tx, caller.organization_name)
    order_awaiting_rating(session, buyer, tx, org_name(session, tx.seller_organization_id))
    order_awaiting_rating(session, seller, tx, caller.organization_name)
    return TransactionChangeOutput(transaction=_detail(session, caller, tx), message="Delivery confirmed.")


class ReviewCreate(BaseModel):
    rating: int = Field(ge=1, le=5, description="1 (bad) to 5 (excellent): of the seller if you bought, of the "
                        "buyer if you sold.")
    review: str | None = Field(None, max_length=2000)


class ReviewTransactionInput(ReviewCreate, TransactionIdInput):
    pass


def _summarize_review(caller: Caller, args: ReviewTransactionInput, session: Session) -> str:
    said = f", saying “{args.review}”" if args.review else ""
    deal = _deal_words(session, caller, args.transaction_id)
    if deal is None:
        return f"Rate the other party of that deal {args.rating}/5{said}?"
    _, parts, other = deal
    return f"Rate {other} {args.rating}/5 for the {parts} deal{said}?"


@tool(ToolKind.WRITE, summarize=_summarize_review)
def review_transaction(ctx: ToolContext, args: ReviewTransactionInput) -> TransactionChangeOutput:
    """Rate the other party of a delivered transaction once: buyers rate the seller, sellers rate the buyer.
    A buyer's rating updates the seller's average. When both sides have reviewed, the deal is completed."""
    caller, session = ctx.caller, ctx.session
    tx = own_transaction(session, caller, args.transaction_id)
    if tx.status not in ("delivered", "completed"):
        raise ToolFailed("conflict", f"The transaction is {tx.status}; review it after delivery.")
    if tx.buyer_organization_id == caller.organization_id:
        if tx.seller_rating is not None:
            raise ToolFailed("conflict", "Your organization already reviewed this seller for this transaction.")
        tx.seller_rating, tx.seller_review = args.rating, args.review
        _rate_seller(session, tx.seller_organization_id, args.rating, tx.total)
    else:
        require_seller(caller, "review buyers")
        if tx.buyer_rating is not None:
            raise ToolFailed("conflict", "Your organization already reviewed this buyer for this transaction.")
        tx.buyer_rating, tx.buyer_review = args.rating, args.review
    if tx.seller_rating is not None and tx.buyer_rating is not None and tx.status != "completed":
        tx.status, tx.completed_at = "completed", utcnow()
    session.flush()
    return TransactionChangeOutput(transaction=_detail(session, caller, tx), message="Review saved.")


def _rate_seller(session: Session, organization_id: uuid.UUID, rating: int, total: Decimal) -> None:
    session.execute(text(
        "INSERT INTO seller_ratings (organization_id, total_transactions, total_sales_volume, average_rating, "
        "rating_count, last_updated) VALUES (:org, 1, :total, :r, 1, :now) ON CONFLICT (organization_id) DO UPDATE "
        "SET average_rating = (COALESCE(seller_ratings.average_rating, 0) * seller_ratings.rating_count + :r) "
        "/ (seller_ratings.rating_count + 1), rating_count = seller_ratings.rating_count + 1, "
        "last_updated = :now"), {"org": organization_id, "total": total, "r": rating, "now": utcnow()})
