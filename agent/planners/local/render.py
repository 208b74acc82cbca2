"""Draft items for what the tools return — a part, a place to get it, a listing, an offer — naming part
numbers, prices and places exactly as the tools gave them, with a short form for small screens."""

from __future__ import annotations

import re
from typing import Any

from agent.reply_draft import DraftItem, DraftLink, PriceBadge
from tools.rules.money import usd

CONDITION_WORDS = {"new": "new", "refurbished": "refurbished", "used_excellent": "used (excellent)",
                   "used_good": "used (good)", "used_fair": "used (fair)", "salvage": "salvage",
                   "for_parts": "for parts"}


def money(value: Any) -> str:
    if value is None or value == "":
        return "no price"
    return usd(value)


def condition(value: str | None) -> str:
    return CONDITION_WORDS.get(value or "", (value or "").replace("_", " "))


def km(value: Any) -> str:
    return "" if value is None else f"{float(value):.1f} km"


def when(eta_hours: Any) -> str:
    eta = float(eta_hours or 0)
    return "in hand now" if eta < 0.1 else f"~{eta:.1f} h" if eta < 24 else f"~{eta / 24:.0f} days"


def short_name(name: str | None) -> str:
    return re.split(r",|\(", str(name or ""))[0].strip()


def part_item(part: dict[str, Any], note: str = "") -> DraftItem:
    msrp = f" (list {money(part['msrp'])})" if part.get("msrp") else ""
    maker = part.get("manufacturer") or ""
    title = re.sub(r"\s+", " ", f"{part['part_number']} — {maker} {part.get('name') or ''}{msrp}").strip()
    if note:
        title += f"; {note}"
    facts = [f"List {money(part['msrp'])}"] if part.get("msrp") else []
    return DraftItem(kind="part", title=title, short=f"{part['part_number']} {short_name(part.get('name'))}".strip(),
                     facts=facts, ref={"kind": "part", "id": str(part.get("part_number"))})


def option_where(option: dict[str, Any]) -> str:
    place = option.get("location_name") or option.get("organization_name") or ""
    org = option.get("organization_name") or ""
    if option.get("source_type") in ("own_truck", "own_warehouse", "own_site"):  # ours: the company's
        return f"your {place}"
    if option.get("source_type") == "supplier" and option.get("fulfillment") == "order_new":
        return f"order new from {org}"
    where = place if org and org in place else f"{org} – {place}" if place and place != org else org
    city = option.get("city")
    if city and city not in where:
        where += f", {city}"
    return where


def option_item(option: dict[str, Any]) -> DraftItem:
    qty = option.get("quantity_available")
    have = f"{qty} × " if qty else ""
    price = option.get("price")
    price_text = ""
    if price is not None:
        label = {"msrp": "list ", "current_bid": "bid "}.get(option.get("price_kind") or "", "")
        price_text = f" at {label}{money(price)}"
    dist = km(option.get("distance_km"))
    dist_text = f" ({dist})" if dist and option.get("source_type") != "own_truck" else ""
    swap = f" [replacement {option['part_number']}]" if option.get("is_replacement") else ""
    title = (f"{option_where(option)}{dist_text}: {have}{option.get('part_number')} "
             f"{condition(option.get('condition'))}{price_text}, {when(option.get('eta_hours'))}{swap}")
    if option.get("contact") and option.get("source_type") in ("partner", "supplier") and option.get(
            "inventory_item_id"):
        title += f"; call {option['contact']}"
    short = f"{option_where(option)}{dist_text} {condition(option.get('condition'))}{price_text}, " \
            f"{when(option.get('eta_hours'))}"
    facts = [f for f in (dist, when(option.get("eta_hours")), f"{qty} available" if qty else "") if f]
    ref_id = option.get("inventory_item_id") or option.get("listing_id")
    return DraftItem(kind="option", title=title, short=short, facts=facts,
                     ref={"kind": "listing" if option.get("listing_id") else "stock", "id": str(ref_id)}
                     if ref_id else None)


def listing_price(listing: dict[str, Any]) -> str:
    if listing.get("listing_type") == "auction":
        auction: dict[str, Any] = listing["auction"] if isinstance(listing.get("auction"), dict) else {}
        if listing.get("status") == "ended" or auction.get("ended"):
            return f"auction ended at {money(listing.get('current_bid') or auction.get('current_bid'))}"
        bid = listing.get("current_bid") or auction.get("current_bid")
        opening = auction.get("starting_bid") or listing.get("starting_bid") or listing.get("price")
        if bid:
            return f"auction, bid {money(bid)}"
        return f"auction opening at {money(opening)}" if opening else "auction, no bids yet"
    return money(listing.get("price")) if listing.get("price") is not None else "trade only"


def fulfillment_terms(listing: dict[str, Any]) -> str:
    """How a listing can be had: "shipping ($18, ~2 days), will call"."""
    terms = []
    for option in listing.get("fulfillment_options") or []:
        cost, days = listing.get("shipping_cost"), listing.get("estimated_shipping_days")
        known = [money(cost) if cost not in (None, "") else "", f"~{days} days" if days else ""]
        details = ", ".join(k for k in known if k) if option == "shipping" else ""
        terms.append(f"{str(option).replace('_', ' ')} ({details})" if details else str(option).replace("_", " "))
    return ", ".join(terms) or "n/a"


def listing_item(listing: dict[str, Any], badge: PriceBadge | None = None) -> DraftItem:
    own = listing.get("is_own_listing")
    dist = f" ({km(listing.get('distance_km'))})" if listing.get("distance_km") is not None and not own else ""
    status = "" if listing.get("status") in (None, "active") else f" [{listing['status']}]"
    title = (f"{listing.get('part_number')} {condition(listing.get('condition'))}, {listing_price(listing)}, "
             f"{listing.get('quantity_available')} avail. — {listing.get('seller_organization')}, "
             f"{listing.get('city')}{dist}{status}")
    short = f"{listing.get('part_number')} {condition(listing.get('condition'))} {listing_price(listing)} " \
            f"{listing.get('city')}{status}"
    return DraftItem(kind="listing", title=title, short=short, badge=badge,
                     facts=[f for f in (listing.get("seller_organization"), listing.get("city")) if f],
                     ref={"kind": "listing", "id": str(listing.get("id"))})


def offer_terms(offer: dict[str, Any]) -> str:
    if offer.get("offer_type") == "trade":
        goods = ", ".join(str(t.get("part_number")) for t in offer.get("trade_items") or []) or "parts"
        return f"trade {goods}" + (f" + {money(offer['offered_price'])}" if offer.get("offered_price") else "")
    if offer.get("offer_type") == "inquiry":
        return "question"
    return f"{money(offer.get('offered_price'))} each"


def offer_item(offer: dict[str, Any], received: bool) -> DraftItem:
    who = offer.get("buyer_organization") if received else offer.get("seller_organization")
    person = f" ({offer['buyer_name']})" if received and offer.get("buyer_name") else ""
    counter = offer.get("counter_offer") or {}
    countered = f", countered at {money(counter.get('price'))}" if counter.get("price") else ""
    title = (f"{who}{person}: {offer.get('quantity')} × {offer.get('part_number')} — {offer_terms(offer)} "
             f"({offer.get('status')}{countered})")
    short = f"{who} {offer_terms(offer)} {offer.get('part_number')} ({offer.get('status')})"
    return DraftItem(kind="offer", title=title, short=short, ref={"kind": "offer", "id": str(offer.get("id"))})


def badge_of(assessed: dict[str, Any]) -> PriceBadge | None:
    verdict = assessed.get("verdict")
    if not verdict or verdict == "unknown":
        return None
    return PriceBadge(verdict=str(verdict), label=str(assessed.get("label") or verdict))


def invoice_link(order: dict[str, Any]) -> DraftLink | None:
    """An invoiced order's "Download invoice KPS-000001" link (an order from get_order, list_orders or checkout,
    or an invoice from get_invoice), for the order's DraftItem `links`; None before it is invoiced."""
    number = order.get("invoice_number") or order.get("number")
    url = order.get("invoice_url") or order.get("download_url")
    if not number or not url:
        return None
    return DraftLink(label=f"Download invoice {number}", url=str(url), download=f"{number}.pdf")
