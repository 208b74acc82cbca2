"""Offers, transactions, auction bids, watchlists and seller ratings on top of the listings."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from knowledge.seed.world.ids import ago, make_id, money
from knowledge.seed.world.orgs import People

TAX = Decimal("0.0881")  # Denver combined sales tax
OFFER_DAYS = 3  # an offer stays open this long after it is made or countered (as tools.offers.offers makes them)
MESSAGES = ("Can you do a little better on price? Need it this week.", "Is this still available? Can pick up today.",
            "Would you take a trade plus cash?", "Need it for a down car, can you hold it until 3pm?",
            "Please confirm the revision / date code before I commit.", "Will you ship to our Aurora shop?")


def _buyers(rng: random.Random, people: People, listing: dict[str, Any]) -> list[str]:
    seller = people.slug_of(listing["organization_id"])
    if listing["visibility"] == "internal":
        return []
    if listing["visibility"] == "network":
        partners = [people.slug_of(p["partner_organization_id"]) for p in people.partners
                    if p["organization_id"] == listing["organization_id"]]
        return [s for s in partners if s != "keystone"]
    return [s for s in ("summit", "apex", "northline", "rival", "frontrange") if s != seller]


def build_offers(people: People, listings: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Offers on sale/trade/emergency listings, and the transactions their accepted offers turned into."""
    rng = random.Random(8080)
    timing = random.Random(8081)  # its own stream: re-timing open offers leaves every other draw as it was
    offers: list[dict[str, Any]] = []
    txns: list[dict[str, Any]] = []
    targets = [x for x in listings if x["listing_type"] in ("sale", "trade", "emergency")
               and x["status"] in ("active", "sold", "reserved", "traded")]
    for lst in targets:
        closed = lst["status"] in ("sold", "reserved", "traded")
        buyers = _buyers(rng, people, lst)
        if not buyers or (not closed and rng.random() > 0.3):
            continue
        for k in range(1 if closed else rng.randint(1, 2)):
            slug = rng.choice(buyers)
            buyer = rng.choice([u for u in people.users_of(slug) if u["role"] in ("technician", "buyer",
                                                                                    "parts_manager")])
            status = "accepted" if closed and k == 0 else rng.choice(
                ["pending", "pending", "rejected", "countered", "withdrawn", "expired"])
            price = lst["price"]
            offered = money(float(price) * rng.uniform(0.75, 1.0)) if price else None
            created = lst["created_at"] + timedelta(days=rng.uniform(0.2, 5))
            responded = created + timedelta(hours=rng.uniform(1, 30)) if status != "pending" else None
            offer = {
                "id": make_id("part_offers", f"{lst['id']}|{k}"), "listing_id": lst["id"], "buyer_id": buyer["id"],
                "buyer_organization_id": buyer["organization_id"],
                "offer_type": "trade" if lst["listing_type"] == "trade" else rng.choice(["purchase", "purchase",
                                                                                        "inquiry"]),
                "quantity": 1, "offered_price": offered, "currency": "USD",
                "trade_items": [{"part_number": pn, "condition": "used_good"} for pn in lst["trade_for"][:1]],
                "message": rng.choice(MESSAGES),
                "fulfillment_preference": rng.choice(["local_pickup", "shipping", "will_call"]),
                "delivery_address": None, "needed_by_date": (created + timedelta(days=rng.randint(1, 10))).date(),
                "is_urgent": lst["listing_type"] == "emergency", "status": status,
                "counter_offer": {"price": str(money(float(price) * 0.95)), "quantity": 1,
                                  "message": "Meet me in the middle?"}
                if status == "countered" and price else None,
                "response_message": {"accepted": "Deal. It's yours.", "rejected": "Sorry, firm on price.",
                                     "countered": "Can't go that low."}.get(status),
                "responded_at": responded, "created_at": created,
                "expires_at": created + timedelta(days=3), "idempotency_key": None,
            }
            offers.append(offer)
            if status in ("pending", "countered"):
                _keep_open(timing, lst, offer)
            lst["offer_count"] += 1
            if status == "accepted":
                txns.append(_transaction(rng, lst, offer, len(txns)))
    # Same-day emergency buys straight off a listing (no negotiation): the listing stays active.
    direct = [x for x in listings if x["listing_type"] == "emergency" and x["status"] == "active" and x["price"]]
    for sale in direct[:8]:
        buyer_slug = "northline" if people.slug_of(sale["organization_id"]) == "summit" else "summit"
        txns.append(_transaction(rng, sale, None, len(txns), people.org_id[buyer_slug]))
    return offers, txns


def _keep_open(rng: random.Random, lst: dict[str, Any], offer: dict[str, Any]) -> None:
    """Re-time an open offer to have been made (and countered) lately, so it is still open at the world's now."""
    hours_ago = rng.uniform(2, 48) if offer["status"] == "pending" else rng.uniform(20, 60)
    created = max(lst["created_at"] + timedelta(hours=1), ago(hours=hours_ago))
    needed_in = offer["needed_by_date"] - offer["created_at"].date()
    answered_in = (offer["responded_at"] or created) - offer["created_at"]
    offer["created_at"], offer["needed_by_date"] = created, (created + needed_in).date()
    if offer["status"] == "countered":  # the counter came before now, and restarted the offer's clock
        offer["responded_at"] = created + min(answered_in, (ago() - created) * 0.8)
    offer["expires_at"] = (offer["responded_at"] or created) + timedelta(days=OFFER_DAYS)


def _transaction(rng: random.Random, lst: dict[str, Any], offer: dict[str, Any] | None, n: int,
                 buyer_org: Any = None) -> dict[str, Any]:
    unit = (offer["offered_price"] if offer else None) or lst["price"] or money(0)
    qty = offer["quantity"] if offer else 1
    subtotal = money(unit * qty + (lst["emergency_premium"] or 0 if offer is None else 0))
    pickup = (offer["fulfillment_preference"] if offer else "local_pickup") != "shipping"
    shipping = money(0) if pickup else (lst["shipping_cost"] or money(25))
    tax = money(subtotal * TAX)
    done = lst["status"] in ("sold", "traded") or offer is None
    created = (offer["responded_at"] if offer else lst["created_at"]) or ago(days=3)
    status = rng.choice(["completed", "completed", "delivered"]) if done else rng.choice(["pending", "paid"])
    return {
        "id": make_id("part_transactions", f"{lst['id']}|{n}"), "listing_id": lst["id"],
        "offer_id": offer["id"] if offer else None, "seller_organization_id": lst["organization_id"],
        "buyer_organization_id": offer["buyer_organization_id"] if offer else buyer_org,
        "transaction_type": {"trade": "trade", "emergency": "emergency_sale"}.get(lst["listing_type"], "sale"),
        "parts": [{"part_number": lst["part_number"], "manufacturer": lst["manufacturer"], "quantity": qty,
                   "unit_price": str(unit)}],
        "subtotal": subtotal, "shipping_cost": shipping, "tax": tax, "total": subtotal + shipping + tax,
        "currency": "USD", "trade_parts_received": offer["trade_items"] if offer and lst["listing_type"] == "trade"
        else [], "trade_value_difference": None,
        "payment_method": rng.choice(["card", "ach", "net30"]),
        "payment_status": "paid" if status != "pending" else "pending",
        "payment_reference": f"PAY-{rng.randint(100000, 999999)}" if status != "pending" else None,
        "fulfillment_type": "local_pickup" if pickup else "shipping", "shipping_address": None,
        "tracking_number": None if pickup else f"1Z{rng.randint(10**15, 10**16 - 1)}",
        "shipped_at": _past(created + timedelta(hours=20)) if done and not pickup else None,
        "delivered_at": _past(created + timedelta(days=2)) if done else None,
        "pickup_code": f"{rng.randint(1000, 9999)}" if pickup else None, "status": status,
        "seller_rating": rng.choice([4, 5, 5, 5, 3]) if status == "completed" else None,
        "seller_review": "Part was as described, quick pickup." if status == "completed" else None,
        "buyer_rating": rng.choice([4, 5, 5]) if status == "completed" else None, "buyer_review": None,
        "created_at": created, "completed_at": _past(created + timedelta(days=3)) if status == "completed" else None,
    }


def _past(when: datetime) -> datetime:
    """A step of a deal that is done happened before the world's now."""
    return min(when, ago(hours=1))


def build_bids(people: People, listings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = random.Random(6060)
    bids: list[dict[str, Any]] = []
    for lst in (x for x in listings if x["is_auction"]):
        buyers = _buyers(rng, people, lst)
        count = rng.randint(0, 7) if buyers else 0
        if lst["status"] == "sold" and buyers:
            count = max(count, 2)
        amount = lst["starting_bid"]
        time = lst["created_at"] + timedelta(hours=6)
        made: list[dict[str, Any]] = []
        for k in range(count):
            user = rng.choice([u for u in people.users_of(rng.choice(buyers)) if u["role"] != "admin"])
            if k:
                amount = amount + lst["bid_increment"] * rng.randint(1, 3)
            time = time + timedelta(hours=rng.uniform(1, 30))
            made.append({"id": make_id("auction_bids", f"{lst['id']}|{k}"), "listing_id": lst["id"],
                         "bidder_id": user["id"], "bidder_organization_id": user["organization_id"],
                         "bid_amount": amount, "max_bid": money(float(amount) * 1.2) if rng.random() < 0.3 else None,
                         "is_winning": False, "outbid_at": None, "created_at": min(time, ago(hours=1)),
                         "idempotency_key": None})
        for prev, nxt in itertools.pairwise(made):
            prev["outbid_at"] = nxt["created_at"]
        if made:
            made[-1]["is_winning"] = True
            lst["current_bid"], lst["bid_count"] = made[-1]["bid_amount"], len(made)
        bids.extend(made)
    return bids


def build_saved(people: People, listings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = random.Random(4040)
    rows: list[dict[str, Any]] = []
    active = [x for x in listings if x["status"] == "active" and x["listing_type"] != "wanted"
              and x["visibility"] != "internal"]
    for user in people.users:
        if user["role"] not in ("technician", "buyer", "parts_manager"):
            continue
        mine = [x for x in active if x["organization_id"] != user["organization_id"]]
        for lst in rng.sample(mine, rng.randint(0, 3)):
            rows.append({"id": make_id("saved_listings", f"{user['id']}|{lst['id']}"), "user_id": user["id"],
                         "listing_id": lst["id"], "notes": rng.choice([None, "backup for Brown Palace car 2",
                                                                       "watch price", "ask about warranty"]),
                         "price_alert_threshold": money(float(lst["price"]) * 0.85) if lst["price"] else None,
                         "created_at": ago(days=rng.uniform(0, 20))})
    return rows


def build_ratings(people: People, listings: list[dict[str, Any]], txns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = random.Random(2020)
    sellers = []
    for x in listings:
        if x["listing_type"] != "wanted" and x["organization_id"] not in sellers:
            sellers.append(x["organization_id"])
    rows = []
    for oid in sellers:
        mine = [t for t in txns if t["seller_organization_id"] == oid]
        rated = [t["seller_rating"] for t in mine if t["seller_rating"]]
        history = rng.randint(12, 240)  # sales before the seeded window
        avg = (sum(rated) + 4.6 * history) / (len(rated) + history)
        rows.append({"organization_id": oid, "total_transactions": history + len(mine),
                     "total_sales_volume": money(sum(float(t["total"]) for t in mine)
                                                 + history * rng.uniform(300, 900)),
                     "average_rating": money(avg - (0.5 if people.slug_of(oid) == "metro" else 0)),
                     "rating_count": history // 2 + len(rated), "on_time_shipping_rate": money(rng.uniform(88, 99)),
                     "response_time_hours": money(rng.uniform(0.5, 8)), "return_rate": money(rng.uniform(0.5, 4)),
                     "last_updated": ago(hours=6)})
    return rows
