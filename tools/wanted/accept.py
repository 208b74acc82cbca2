"""Accepting an answer to a wanted post: the requester takes one response, which becomes a deal.

A response that points at the responder's listing becomes an accepted offer on that listing and closes through
tools.deals.closing.close_deal, exactly as accepting an offer does (units off the listing, the seller's stock reserved).
A response without a listing becomes a transaction on the response's own terms. Either way the response is
accepted, the post needs that many fewer units (fulfilled at zero, when the other open answers close).

The post's row lock serialises acceptances of answers to one post; then the response, then the listing (and
close_deal's stock item) are locked, in that order.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import MarketplaceListing, PartOffer, PartTransaction, WantedPost, WantedResponse
from tools.context import Caller
from tools.deals.closing import PICKUP_FULFILMENT, close_deal, transaction_view
from tools.idempotency import row_key
from tools.inventory.hold_rules import pickup_code
from tools.listings.marketplace import org_name
from tools.listings.types import Fulfillment
from tools.offers.types import TransactionView
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.clock import utcnow
from tools.rules.money import cents, usd
from tools.rules.wording import condition_words, fulfilment_choices, fulfilment_words, possessive
from tools.wanted.responses import RESPONSE_SQL, WantedResponseView, response_view, visible_post

# Besides the user who posted it, these roles of the posting organization may accept answers for it.
ACCEPTING_ROLES = frozenset({"buyer", "parts_manager", "admin"})
URGENT = frozenset({"urgent", "emergency"})


class AcceptTerms(BaseModel):
    quantity: int | None = Field(None, ge=1, le=100_000, description="Units to take (default: what the answer "
                                 "offers, up to what the post still needs)")
    fulfillment_preference: Fulfillment | None = Field(None, description="Default: local pickup when the listing "
                                                       "offers it, else its first option; shipping without a listing")
    delivery_address: str | None = Field(None, max_length=500, description="Where to ship, for shipping")


class AcceptWantedResponseInput(AcceptTerms):
    response_id: uuid.UUID = Field(description="id of an answer from list_wanted_responses")
    wanted_post_id: uuid.UUID | None = Field(None, description="The post it answers (optional; checked if given)")


class AcceptWantedResponseOutput(BaseModel):
    response: WantedResponseView
    transaction: TransactionView
    offer_id: uuid.UUID | None = Field(description="The accepted offer on the responder's listing, if it had one")
    post_status: str = Field(description="active while units are still needed, fulfilled when none are")
    quantity_still_needed: int
    other_responses_closed: int = Field(description="Open answers closed because the post is now filled")
    message: str


def _summarize_accept(caller: Caller, args: AcceptWantedResponseInput, session: Session) -> str:
    row = session.execute(text(RESPONSE_SQL + " JOIN wanted_posts w ON w.id = r.wanted_post_id WHERE r.id = :id "
                               "AND w.organization_id = :org"),
                          {"id": args.response_id, "org": caller.organization_id}).one_or_none()
    if row is None:
        return "Accept that answer to your wanted post?"
    quantity = args.quantity or row.quantity
    price = f"at {usd(row.price)} each ({usd(row.price * quantity)} total)" if row.price is not None \
        else "with no price yet"
    how = f", {fulfilment_words(args.fulfillment_preference)}" if args.fulfillment_preference else ""
    return (f"Accept {possessive(row.org)} answer and buy {quantity} × {row.part_number}, "
            f"{condition_words(row.condition)}, {price}{how}?")


def _open_post(session: Session, caller: Caller, args: AcceptWantedResponseInput) -> tuple[WantedPost, WantedResponse]:
    peek = session.get(WantedResponse, args.response_id)
    missing = ToolFailed("not_found", f"No answer {args.response_id} to a wanted post of yours.",
                         hint="Use list_wanted_responses on your post to see its answers and their ids.")
    if peek is None or (args.wanted_post_id is not None and peek.wanted_post_id != args.wanted_post_id):
        raise missing
    post = visible_post(session, caller, peek.wanted_post_id, lock=True)
    if post.organization_id != caller.organization_id:
        if peek.responder_organization_id == caller.organization_id:
            raise ToolFailed("forbidden", "This is your organization's answer to someone else's post; only the "
                             "requester can accept it.")
        raise missing
    if caller.user_id != post.requester_id and caller.role not in ACCEPTING_ROLES:
        raise ToolFailed("forbidden", f"Only the user who posted it or a buyer or parts manager of "
                         f"{caller.organization_name} can accept answers to this post.")
    response = session.get(WantedResponse, args.response_id, with_for_update=True, populate_existing=True)
    assert response is not None
    if response.status == "accepted":
        raise ToolFailed("conflict", f"This answer was already accepted (transaction {response.transaction_id}).",
                         hint="See it with get_transaction.")
    if response.status != "open":
        raise ToolFailed("conflict", f"This answer is {response.status}: the post was filled by another answer.")
    if post.status != "active":
        raise ToolFailed("unavailable", f"The wanted post is {post.status}; nothing more can be accepted.")
    if post.expires_at <= utcnow():
        raise ToolFailed("unavailable", "The wanted post has expired.", hint="Post a new request "
                         "(create_wanted_post) and ask the seller to answer it, or buy from their listing.")
    return post, response


def _through_listing(ctx: ToolContext, args: AcceptWantedResponseInput, response: WantedResponse, post: WantedPost,
                     quantity: int, price: Decimal) -> tuple[PartTransaction, uuid.UUID]:
    session, caller = ctx.session, ctx.caller
    listing = session.get(MarketplaceListing, response.listing_id, with_for_update=True, populate_existing=True)
    if listing is None or listing.organization_id != response.responder_organization_id:
        raise ToolFailed("unavailable", "The listing this answer pointed at is gone.")
    if listing.is_auction:
        raise ToolFailed("invalid", "This answer points at an auction: bid on it with place_bid.")
    options = list(listing.fulfillment_options or [])
    fulfilment = args.fulfillment_preference or ("local_pickup" if "local_pickup" in options or not options
                                                 else options[0])
    if options and fulfilment not in options:
        raise ToolFailed("invalid", f"The seller offers only {fulfilment_choices(options)}.")
    offer = PartOffer(
        id=uuid.uuid4(), listing_id=listing.id, buyer_id=caller.user_id, buyer_organization_id=caller.organization_id,
        offer_type="purchase", quantity=quantity, offered_price=price, currency=listing.currency,
        message="Accepted answer to a wanted post.", fulfillment_preference=fulfilment,
        delivery_address=args.delivery_address, needed_by_date=post.needed_by_date, is_urgent=post.urgency in URGENT,
        status="pending", responded_at=utcnow(), idempotency_key=row_key(ctx))
    session.add(offer)
    listing.offer_count += 1
    session.flush()
    tx, _ = close_deal(session, listing, offer, price, quantity)
    return tx, offer.id


def _direct(session: Session, args: AcceptWantedResponseInput, response: WantedResponse, post: WantedPost,
            quantity: int, price: Decimal) -> PartTransaction:
    fulfilment = args.fulfillment_preference or "shipping"
    kind = "emergency_sale" if post.urgency == "emergency" or fulfilment == "emergency_delivery" else "sale"
    name = session.execute(text("SELECT name FROM parts_catalog WHERE id = :id"), {"id": post.part_id}).scalar()
    subtotal = cents(price * quantity)
    tx = PartTransaction(
        id=uuid.uuid4(), listing_id=None, offer_id=None, seller_organization_id=response.responder_organization_id,
        buyer_organization_id=post.organization_id, transaction_type=kind,
        parts=[{"part_number": response.part_number, "manufacturer": post.manufacturer,
                "name": name or post.description[:255], "condition": response.condition, "quantity": quantity,
                "unit_price": str(cents(price))}],
        subtotal=subtotal, shipping_cost=Decimal(0), tax=Decimal(0), total=subtotal, currency=response.currency,
        fulfillment_type=fulfilment, shipping_address=args.delivery_address,
        pickup_code=pickup_code() if fulfilment in PICKUP_FULFILMENT or kind == "emergency_sale" else None,
        status="pending", payment_status="pending")
    session.add(tx)
    session.flush()
    return tx


@tool(ToolKind.WRITE, summarize=_summarize_accept)
def accept_wanted_response(ctx: ToolContext, args: AcceptWantedResponseInput) -> AcceptWantedResponseOutput:
    """Accept a seller's answer to your organization's wanted post: it becomes a purchase (a transaction the
    seller then ships or hands over). If the answer points at the seller's listing, the units come off that
    listing and the seller's stock is reserved, as when a seller accepts an offer.

    The post then needs that many fewer units; when none are left it is fulfilled and the other open answers
    close. Only the user who posted it, or a buyer, parts manager or admin of that organization, may accept.

    Args:
        response_id: an answer from list_wanted_responses (wanted_post_id optional).
        quantity: units to take (default: the answer's quantity, capped at what the post still needs).
        fulfillment_preference: "shipping", "local_pickup", "will_call" or "emergency_delivery".
        delivery_address: for shipping.

    Do NOT use this to answer someone else's post (respond_to_wanted_post) or to accept an offer on your
    listing (respond_to_offer). An answer without a price cannot be accepted: ask the seller for one.
    """
    caller, session = ctx.caller, ctx.session
    post, response = _open_post(session, caller, args)
    quantity = args.quantity or min(response.quantity, post.quantity_needed)
    if quantity > response.quantity:
        raise ToolFailed("invalid", f"The seller offered only {response.quantity} unit(s).")
    if quantity > post.quantity_needed:
        raise ToolFailed("invalid", f"Your post still needs only {post.quantity_needed} unit(s).")
    if response.price is None:
        raise ToolFailed("invalid", "This answer has no price to accept.",
                         hint="Ask the seller for a price, or make an offer on their listing.")
    price = cents(response.price)
    offer_id = None
    if response.listing_id is not None:
        tx, offer_id = _through_listing(ctx, args, response, post, quantity, price)
    else:
        tx = _direct(session, args, response, post, quantity, price)
    now = utcnow()
    response.status, response.transaction_id, response.decided_at = "accepted", tx.id, now
    post.quantity_needed -= quantity
    closed: list[uuid.UUID] = []
    if post.quantity_needed == 0:
        post.status = "fulfilled"
        closed = list(session.execute(text(
            "UPDATE wanted_responses SET status = 'closed', decided_at = :now WHERE wanted_post_id = :p "
            "AND status = 'open' AND id <> :r RETURNING id"), {"now": now, "p": post.id, "r": response.id}).scalars())
    session.flush()
    row = session.execute(text(RESPONSE_SQL + " WHERE r.id = :id"), {"id": response.id}).one()
    seller = org_name(session, response.responder_organization_id)
    left = f"Your post still needs {post.quantity_needed}." if post.quantity_needed else "Your post is fulfilled."
    return AcceptWantedResponseOutput(
        response=response_view(row, caller), transaction=transaction_view(session, tx), offer_id=offer_id,
        post_status=post.status, quantity_still_needed=post.quantity_needed, other_responses_closed=len(closed),
        message=f"Deal made with {seller}: {quantity} × {response.part_number} at {usd(price)} each. {left}")
