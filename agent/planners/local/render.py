"""Reply rendering: concise text that names part numbers, prices and locations exactly as the tools returned
them, fitted to the channel (SMS: plain text, at most 320 characters, numbered choices)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

SMS_LIMIT = 320
CONDITION_WORDS = {"new": "new", "refurbished": "refurbished", "used_excellent": "used (excellent)",
                   "used_good": "used (good)", "used_fair": "used (fair)", "salvage": "salvage",
                   "for_parts": "for parts"}


@dataclass
class Reply:
    """A reply in parts, so the SMS renderer can shorten items before it cuts anything else."""

    head: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (full line, short line)
    tail: str = ""
    note: dict[str, Any] = field(default_factory=dict)


def money(value: Any) -> str:
    if value is None or value == "":
        return "no price"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{amount:,.2f}".removesuffix(".00")
    return f"${text}"


def condition(value: str | None) -> str:
    return CONDITION_WORDS.get(value or "", (value or "").replace("_", " "))


def km(value: Any) -> str:
    return "" if value is None else f"{float(value):.1f} km"


def part_line(part: dict[str, Any]) -> tuple[str, str]:
    msrp = f" (MSRP {money(part['msrp'])})" if part.get("msrp") else ""
    maker = part.get("manufacturer") or ""
    full = f"{part['part_number']} — {maker} {part.get('name', '')}{msrp}".replace("  ", " ")
    note = part.get("note")
    if note:
        full += f"; {note}"
    short_name = re.split(r",|\(", str(part.get("name", "")))[0].strip()
    return full, f"{part['part_number']} {short_name}".strip()


def option_where(option: dict[str, Any]) -> str:
    place = option.get("location_name") or option.get("organization_name") or ""
    org = option.get("organization_name") or ""
    if option.get("source_type") == "own_truck" and option.get("fulfillment") == "on_your_truck":
        return f"on your truck ({place})"
    if option.get("source_type") == "supplier" and option.get("fulfillment") == "order_new":
        return f"order new from {org}"
    where = place if org and org in place else f"{org} – {place}" if place and place != org else org
    city = option.get("city")
    if city and city not in where:
        where += f", {city}"
    return where


def option_line(option: dict[str, Any]) -> tuple[str, str]:
    qty = option.get("quantity_available")
    have = f"{qty} × " if qty else ""
    price = option.get("price")
    price_text = ""
    if price is not None:
        kind = option.get("price_kind")
        label = {"msrp": "MSRP ", "current_bid": "bid "}.get(kind or "", "")
        price_text = f" at {label}{money(price)}"
    dist = km(option.get("distance_km"))
    dist_text = f" ({dist})" if dist and option.get("fulfillment") != "on_your_truck" else ""
    eta = float(option.get("eta_hours") or 0)
    when = "in hand now" if eta < 0.1 else f"~{eta:.1f} h" if eta < 24 else f"~{eta / 24:.0f} days"
    swap = f" [replacement {option['part_number']}]" if option.get("is_replacement") else ""
    full = (f"{option_where(option)}{dist_text}: {have}{option.get('part_number')} "
            f"{condition(option.get('condition'))}{price_text}, {when}{swap}")
    if option.get("contact") and option.get("source_type") in ("partner", "supplier") and option.get(
            "inventory_item_id"):
        full += f"; call {option['contact']}"
    short = f"{option_where(option)}{dist_text} {condition(option.get('condition'))}{price_text}, {when}"
    return full, short


def listing_line(listing: dict[str, Any]) -> tuple[str, str]:
    if listing.get("listing_type") == "auction":
        opening = (listing.get("auction") or {}).get("starting_bid") if isinstance(listing.get("auction"), dict) \
            else None
        price = (f"auction, bid {money(listing.get('current_bid') or listing.get('price'))}"
                 if listing.get("current_bid") or not opening else f"auction opening at {money(opening)}")
    else:
        price = money(listing.get("price")) if listing.get("price") is not None else "trade only"
    dist = f" ({km(listing.get('distance_km'))})" if listing.get("distance_km") is not None and not listing.get(
        "is_own_listing") else ""
    full = (f"{listing.get('part_number')} {condition(listing.get('condition'))}, {price}, "
            f"{listing.get('quantity_available')} avail. — {listing.get('seller_organization')}, "
            f"{listing.get('city')}{dist}")
    short = f"{listing.get('part_number')} {condition(listing.get('condition'))} {price} {listing.get('city')}"
    return full, short


def offer_line(offer: dict[str, Any], direction: str | None) -> tuple[str, str]:
    if offer.get("offer_type") == "trade":
        goods = ", ".join(str(t.get("part_number")) for t in offer.get("trade_items") or []) or "parts"
        terms = f"trade {goods}" + (f" + {money(offer['offered_price'])}" if offer.get("offered_price") else "")
    elif offer.get("offer_type") == "inquiry":
        terms = "question"
    else:
        terms = f"{money(offer.get('offered_price'))} each"
    who = offer.get("buyer_organization") if direction == "received" else offer.get("seller_organization")
    counter = offer.get("counter_offer")
    countered = f", countered at {money(counter.get('price'))}" if counter else ""
    full = (f"{who}: {offer.get('quantity')} × {offer.get('part_number')} — {terms} "
            f"({offer.get('status')}{countered})")
    return full, f"{who} {terms} {offer.get('part_number')} ({offer.get('status')})"


def choices(count: int) -> str:
    if count <= 1:
        return "Reply 1"
    numbers = [str(i) for i in range(1, count + 1)]
    return f"Reply {', '.join(numbers[:-1])} or {numbers[-1]}"


def _plain(text: str) -> str:
    text = re.sub(r"\*\*|__|`|^#+\s*", "", text)
    return re.sub(r"\s+", " ", text).strip()


def finish(reply: Reply, sms: bool) -> str:
    """The reply text; a "[choices]" marker in the tail becomes "Reply 1, 2 or 3" for the items kept."""
    if not sms:
        lines = [reply.head] if reply.head else []
        lines += [f"{i}) {full}" for i, (full, _) in enumerate(reply.items, 1)]
        if reply.tail:
            lines.append(reply.tail.replace("[choices]", choices(len(reply.items))))
        return "\n".join(lines).strip()
    for items in (reply.items, [(s, s) for _, s in reply.items], [(s, s) for _, s in reply.items[:2]]):
        numbered = " ".join(f"{i}) {full}" for i, (full, _) in enumerate(items, 1))
        tail = reply.tail.replace("[choices]", choices(len(items)))
        text = _plain(" ".join(x for x in (reply.head, numbered, tail) if x))
        if len(text) <= SMS_LIMIT:
            return text
    tail = _plain(tail)
    body = _plain(" ".join(x for x in (reply.head, numbered) if x))
    room = SMS_LIMIT - len(tail) - 2
    if room < 40:
        return _plain(text)[: SMS_LIMIT - 1] + "…"
    return (body[:room].rstrip() + "… " + tail).strip()
