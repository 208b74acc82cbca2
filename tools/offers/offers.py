"""Offers on listings: buyers submit and withdraw them, the listing's organization accepts, rejects or
counters, and a buyer may accept or reject a counter. Accepting closes the deal (see tools.deals.closing)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import MarketplaceListing, PartOffer
from tools.context import Caller
from tools.deals.closing import (
    OPEN_OFFER_STATUSES,
    close_deal,
    load_offer_view,
    offer_view,
    select_offers,
    transaction_view,
)
from tools.idempotency import row_key
from tools.listings.marketplace import listing_words
from tools.notifications.marketplace_events import offer_event
from tools.offers.status import NEWEST_FIRST_PAGE, OFFER_STATUS_SQL, count_offers
from tools.offers.terms import offerable
from tools.offers.types import (
    CounterTerms,
    ListOffersInput,
    ListOffersOutput,
    RespondToOfferInput,
    RespondToOfferOutput,
    SubmitOfferInput,
    SubmitOfferOutput,
    WithdrawOfferInput,
)
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.clock import utcnow
from tools.rules.money import cents, usd
from tools.rules.roles import require_buyer, require_seller
from tools.rules.wording import either, fulfilment_words, possessive

OFFER_DAYS = 3


@tool(ToolKind.READ)
def list_offers(ctx: ToolContext, args: ListOffersInput) -> ListOffersOutput:
    """List marketplace offers, newest first: the ones your organization sent, or (sellers and parts managers)
    the ones received on your organization's listings. Each says whose move it is (`awaiting`). An offer
    whose expires_at has passed shows as "expired": it can no longer be accepted or countered.

    Args:
        direction: "sent" or "received"; status: e.g. "pending" or "countered" (open, not expired);
        listing_id: one listing only. limit/offset: paging.

    Do NOT use this for purchase history from suppliers; it covers marketplace offers only.
    """
    params: dict[str, Any] = {"org": ctx.caller.organization_id, "limit": args.limit, "offset": args.offset}
    if args.direction == "received":
        require_seller(ctx.caller, "see offers received on your organization's listings")
        where = ["l.organization_id = :org"]
    else:
        where = ["f.buyer_organization_id = :org"]
    if args.status:
        where.append(f"{OFFER_STATUS_SQL} = :status")
        params["status"] = args.status
    if args.listing_id:
        where.append("f.listing_id = :lid")
        params["lid"] = args.listing_id
    rows = select_offers(ctx.session, " AND ".join(where), params, NEWEST_FIRST_PAGE)
    return ListOffersOutput(offers=[offer_view(r) for r in rows], total=count_offers(ctx.session, where, params))


def _summarize_submit(caller: Caller, args: SubmitOfferInput, session: Session) -> str:
    listing = listing_words(session, caller, args.listing_id)
    what = f"{args.quantity} × {listing}" if listing else f"{args.quantity} unit(s) of that listing"
    how = f", {fulfilment_words(args.fulfillment_preference)}" if args.fulfillment_preference else ""
    if args.offer_type == "inquiry":
        return f"Send an inquiry about {what}{how}?"
    if args.offer_type == "trade":
        goods = either((f"{t.quantity} × {t.part_number}" for t in args.trade_items), "and") or "parts"
        cash = f" plus {usd(args.offered_price)} each" if args.offered_price else ""
        return f"Offer a trade of {goods}{cash} for {what}{how}?"
    total = usd(args.offered_price * args.quantity) if args.offered_price else "no price"
    return f"Submit an offer of {usd(args.offered_price)} each ({total} total) for {what}{how}?"


@tool(ToolKind.WRITE, summarize=_summarize_submit, precheck=offerable)
def submit_offer(ctx: ToolContext, args: SubmitOfferInput) -> SubmitOfferOutput:
    """Make an offer on another organization's active listing: buy it at your price ("purchase"), swap parts
    for it ("trade"), or ask the seller a question ("inquiry"). The seller then accepts, rejects or counters.

    Args:
        listing_id: from search_listings. quantity: units, within the listing's available and minimum order.
        offered_price: unit price in USD (required for purchase). trade_items: [{"part_number": "...",
        "quantity": 1, "condition": "used_good"}] for trades.

    Do NOT use this on auctions (use place_bid) or your own organization's listings, nor below the asking price
    of a listing whose price is not negotiable (get_listing's price_negotiable): offer its price or buy it.
    """
    caller, session = ctx.caller, ctx.session
    listing = offerable(ctx, args, lock=True)
    options = list(listing.fulfillment_options or [])
    fulfilment = args.fulfillment_preference or ("local_pickup" if "local_pickup" in options or not options
                                                 else options[0])
    offer = PartOffer(
        id=uuid.uuid4(), listing_id=listing.id, buyer_id=caller.user_id, buyer_organization_id=caller.organization_id,
        offer_type=args.offer_type, quantity=args.quantity, offered_price=args.offered_price,
        currency=listing.currency, trade_items=[t.model_dump(exclude_none=True) for t in args.trade_items],
        message=args.message, fulfillment_preference=fulfilment, delivery_address=args.delivery_address,
        needed_by_date=args.needed_by_date, is_urgent=args.is_urgent, status="pending",
        expires_at=utcnow() + timedelta(days=OFFER_DAYS), idempotency_key=row_key(ctx),
    )
    session.add(offer)
    if args.offer_type == "inquiry":
        listing.inquiry_count += 1
    else:
        listing.offer_count += 1
    session.flush()
    offer_event(session, offer, listing, "received", by_seller=False, at=offer.created_at)
    return SubmitOfferOutput(offer=load_offer_view(session, offer.id),
                             message=f"Sent to the seller; it stays open for {OFFER_DAYS} days unless answered.")


def _summarize_respond(caller: Caller, args: RespondToOfferInput, session: Session) -> str:
    row = next(iter(select_offers(session, "f.id = :id", {"id": args.offer_id})), None)
    verb = "Decline" if args.action == "reject" else args.action.capitalize()
    counter = f" with {usd(args.counter_price)} each" if args.action == "counter" else ""
    if row is None or caller.organization_id not in (row.seller_org_id, row.buyer_organization_id):
        return f"{verb} that offer{counter}?"
    view = offer_view(row)
    seller_side = caller.organization_id == row.seller_org_id
    party = view.buyer_organization if seller_side else view.seller_organization
    price = view.counter_offer.price if not seller_side and view.counter_offer else view.offered_price
    qty = view.counter_offer.quantity if not seller_side and view.counter_offer else view.quantity
    asked = "inquiry about" if view.offer_type == "inquiry" and seller_side else \
        f"{'offer' if seller_side else 'counter-offer'} of {usd(price)} each for"
    terms = f"{possessive(party)} {asked} {qty} × {view.part_number}"
    if args.action == "accept":
        return f"Accept {terms}, making the {'sale' if seller_side else 'purchase'} and reserving the stock?"
    more = f" for {args.counter_quantity}" if counter and args.counter_quantity not in (None, qty) else ""
    return f"{verb} {terms}{counter}{more}?"


@tool(ToolKind.WRITE, summarize=_summarize_respond)
def respond_to_offer(ctx: ToolContext, args: RespondToOfferInput) -> RespondToOfferOutput:
    """Answer an offer. The seller's organization (sellers/parts managers) accepts, rejects or counters a
    pending offer; the buyer's organization accepts, rejects or counters back a countered one. Accepting
    creates the transaction, takes the units off the listing and reserves the seller's stock in one step.

    Args:
        offer_id: from list_offers. action: "accept", "reject" or "counter".
        counter_price: unit price in USD for a counter; counter_quantity: units (default the offer's).

    An inquiry has no price: counter it with a quote rather than accepting it.
    """
    session, caller = ctx.session, ctx.caller
    peek = session.get(PartOffer, args.offer_id)
    if peek is None:
        raise ToolFailed("not_found", f"No offer {args.offer_id} for you.")
    # Lock order everywhere: the listing row first, then its offers — racing accepts queue on the listing.
    listing = session.get(MarketplaceListing, peek.listing_id, with_for_update=True, populate_existing=True)
    offer = session.get(PartOffer, args.offer_id, with_for_update=True, populate_existing=True)
    assert listing is not None and offer is not None
    seller_side = listing.organization_id == caller.organization_id
    if not seller_side and offer.buyer_organization_id != caller.organization_id:
        raise ToolFailed("not_found", f"No offer {args.offer_id} for you.")
    if seller_side:
        require_seller(caller, "answer offers")
    else:
        require_buyer(caller, "answer counter-offers")
    _require_unexpired(offer)
    expected = "pending" if seller_side else "countered"
    if offer.status != expected:
        waiting = {"pending": "the seller", "countered": "the buyer"}.get(offer.status)
        raise ToolFailed("conflict", f"The offer is {offer.status}" + (f"; it is up to {waiting}." if waiting else "."))
    transaction, closed = None, 0
    if args.action == "accept":
        price, quantity = offer.offered_price, offer.quantity
        if not seller_side and offer.counter_offer:
            price, quantity = Decimal(str(offer.counter_offer["price"])), int(offer.counter_offer["quantity"])
        if offer.offer_type == "inquiry" and seller_side:
            raise ToolFailed("invalid", "An inquiry has no price to accept; counter it with a quote.")
        if offer.offer_type == "purchase" and price is None:
            raise ToolFailed("invalid", "The offer has no price; counter with one.")
        tx, closed = close_deal(session, listing, offer, price, quantity, caller.user_id)
        transaction = transaction_view(session, tx)
    elif args.action == "reject":
        offer.status = "rejected"
    else:
        _counter(listing, offer, args, seller_side)
    offer.responded_at, offer.response_message = utcnow(), args.message
    session.flush()
    what = {"accept": "accepted", "reject": "rejected", "counter": "countered"}[args.action]
    offer_event(session, offer, listing, what, by_seller=seller_side, at=offer.responded_at)
    return RespondToOfferOutput(
        offer=load_offer_view(session, offer.id), transaction=transaction,
        listing_quantity_left=listing.quantity_available, listing_status=listing.status, other_offers_closed=closed,
        message={"accept": "Deal made: the units are reserved for the buyer.", "reject": "Offer declined.",
                 "counter": "Counter-offer sent; waiting for the other party."}[args.action],
    )


def _require_unexpired(offer: PartOffer) -> None:
    if offer.status in OPEN_OFFER_STATUSES and offer.expires_at is not None and offer.expires_at <= utcnow():
        raise ToolFailed("conflict", f"The offer has expired (it was open until {offer.expires_at:%Y-%m-%d %H:%M} "
                         "UTC); it can no longer be answered or withdrawn.",
                         hint="The buyer can make a new offer with submit_offer.")


def _counter(listing: MarketplaceListing, offer: PartOffer, args: RespondToOfferInput, seller_side: bool) -> None:
    if args.counter_price is None:
        raise ToolFailed("invalid", "A counter needs counter_price (USD per unit).")
    if listing.status != "active":
        raise ToolFailed("unavailable", f"The listing is {listing.status}.")
    quantity = args.counter_quantity or offer.quantity
    if quantity > listing.quantity_available:
        raise ToolFailed("insufficient_stock", f"Only {listing.quantity_available} unit(s) are left.")
    if quantity < listing.minimum_order_quantity:
        raise ToolFailed("invalid", f"The minimum order is {listing.minimum_order_quantity} units.")
    if seller_side:
        offer.counter_offer = CounterTerms(price=cents(args.counter_price), quantity=quantity,
                                           message=args.message).model_dump(mode="json")
        offer.status = "countered"
    else:  # the buyer counters back: new terms for the seller to answer
        offer.offered_price, offer.quantity, offer.status = cents(args.counter_price), quantity, "pending"
    offer.expires_at = utcnow() + timedelta(days=OFFER_DAYS)


def _summarize_withdraw(caller: Caller, args: WithdrawOfferInput, session: Session) -> str:
    row = next(iter(select_offers(session, "f.id = :id", {"id": args.offer_id})), None)
    if row is None or row.buyer_organization_id != caller.organization_id:
        return "Withdraw that offer?"
    return f"Withdraw your offer for {row.quantity} × {row.part_number} from {row.seller_organization}?"


@tool(ToolKind.WRITE, summarize=_summarize_withdraw)
def withdraw_offer(ctx: ToolContext, args: WithdrawOfferInput) -> SubmitOfferOutput:
    """Withdraw an offer your organization made that is still pending or countered.

    Args:
        offer_id: from list_offers (direction "sent"); reason: optional note to the seller.

    Accepted offers cannot be withdrawn here (the sale exists); rejected or expired ones need nothing.
    """
    session = ctx.session
    offer = session.get(PartOffer, args.offer_id, with_for_update=True)
    if offer is None:
        raise ToolFailed("not_found", f"No offer {args.offer_id} for you.")
    if offer.buyer_organization_id != ctx.caller.organization_id:
        seller = session.execute(text("SELECT organization_id FROM marketplace_listings WHERE id = :id"),
                                 {"id": offer.listing_id}).scalar()
        if seller == ctx.caller.organization_id:
            raise ToolFailed("forbidden", "Only the buyer can withdraw an offer; reject it with respond_to_offer.")
        raise ToolFailed("not_found", f"No offer {args.offer_id} for you.")
    require_buyer(ctx.caller, "withdraw offers")
    _require_unexpired(offer)
    if offer.status not in OPEN_OFFER_STATUSES:
        raise ToolFailed("conflict", f"The offer is already {offer.status}.")
    offer.status, offer.responded_at = "withdrawn", utcnow()
    if args.reason:
        offer.response_message = f"Withdrawn by the buyer: {args.reason}"
    session.flush()
    offer_event(session, offer, None, "withdrawn", by_seller=False, at=offer.responded_at)
    return SubmitOfferOutput(offer=load_offer_view(session, offer.id), message="Offer withdrawn.")
