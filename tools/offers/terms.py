"""Whether an offer can be made on a listing: the rules submit_offer applies, also run before its confirmation
(the registry's precheck), so that nobody confirms an offer that would then be refused."""

from __future__ import annotations

from knowledge.models import MarketplaceListing
from tools.listings.marketplace import visible_listing
from tools.offers.types import SubmitOfferInput
from tools.registry import ToolContext
from tools.results import ToolFailed
from tools.rules.money import usd
from tools.rules.roles import require_buyer
from tools.rules.wording import fulfilment_choices


def offerable(ctx: ToolContext, args: SubmitOfferInput, lock: bool = False) -> MarketplaceListing:
    """The listing, if this offer on it can be made; else ToolFailed (before the confirmation too)."""
    caller, session = ctx.caller, ctx.session
    require_buyer(caller, "make offers")
    listing = visible_listing(session, caller, args.listing_id, lock=lock)
    if listing.organization_id == caller.organization_id:
        raise ToolFailed("forbidden", "This is your own organization's listing; you cannot make offers on it.")
    if listing.status != "active":
        raise ToolFailed("unavailable", f"The listing is {listing.status} and takes no offers.")
    if listing.listing_type == "wanted" and args.offer_type != "inquiry":
        raise ToolFailed("invalid", "This listing asks for a part rather than offering one; send an inquiry or "
                         "list your part instead.")
    if listing.is_auction and args.offer_type != "inquiry":
        raise ToolFailed("invalid", "This is an auction: bid with place_bid (inquiries are allowed).")
    _check_terms(listing, args)
    return listing



def _check_terms(listing: MarketplaceListing, args: SubmitOfferInput) -> None:
    if args.offer_type == "inquiry":
        return
    if args.quantity > listing.quantity_available:
        raise ToolFailed("insufficient_stock", f"Only {listing.quantity_available} unit(s) are available.")
    if args.quantity < listing.minimum_order_quantity:
        raise ToolFailed("invalid", f"The minimum order is {listing.minimum_order_quantity} units.")
    if args.offer_type == "purchase":
        if args.offered_price is None:
            raise ToolFailed("invalid", "A purchase offer needs offered_price (USD per unit).",
                             hint=f"The asking price is {usd(listing.price)}." if listing.price else None)
        if not listing.price_negotiable and listing.price is not None and args.offered_price < listing.price:
            raise ToolFailed("rejected_input", f"The price is fixed at {usd(listing.price)} per unit (not negotiable).",
                             hint=f"Buy it at {usd(listing.price)} instead, or offer that price.")
    if args.offer_type == "trade":
        if not (listing.accepts_trade or listing.listing_type == "trade"):
            raise ToolFailed("invalid", "This listing does not accept trades; make a purchase offer instead.")
        if not args.trade_items:
            raise ToolFailed("invalid", "A trade offer needs trade_items (the parts you give).")
    if args.fulfillment_preference and args.fulfillment_preference not in listing.fulfillment_options:
        raise ToolFailed("invalid", f"The seller offers only {fulfilment_choices(listing.fulfillment_options)}.")
