"""What buying needs of the demo world: the contractors' saved ship-to addresses and Summit's spend limit
(technicians may place orders up to $500 without a parts manager's approval)."""

from __future__ import annotations

from typing import Any

from knowledge.seed.world.ids import ago, make_id, money
from knowledge.seed.world.orgs import People

# org slug: (label, recipient, street address, city, postal code, default)
ADDRESSES: dict[str, tuple[tuple[str, str, str, str, str, bool], ...]] = {
    "summit": (("Office", "Summit Vertical & Mechanical, Attn: Linda Park", "1600 Wynkoop St, Suite 300", "Denver",
                "80202", True),
               ("Receiving dock", "Summit Receiving", "4800 Race St, Dock 2", "Denver", "80216", False)),
    "apex": (("Office", "Apex Elevator Services, Attn: Greg Hanson", "3200 S Parker Rd", "Aurora", "80014", True),
             ("Receiving dock", "Apex Receiving", "3200 S Parker Rd, Rear Dock", "Aurora", "80014", False)),
    "northline": (("Shop", "Northline Mechanical", "11990 Grant St", "Northglenn", "80233", True),
                  ("Office", "Northline Mechanical, Attn: Heather Moss", "7400 W 92nd Ave", "Westminster", "80021",
                   False)),
    "rival": (("Office", "Rival Lift & Climate", "12345 W Alameda Pkwy", "Lakewood", "80228", True),
              ("Receiving dock", "Rival Receiving", "12345 W Alameda Pkwy, Dock A", "Lakewood", "80228", False)),
}
# (org slug, role, most one order may total without approval)
SPEND_LIMITS = (("summit", "technician", 500),)


def build_shipping_addresses(people: People) -> list[dict[str, Any]]:
    rows = []
    for slug, addresses in ADDRESSES.items():
        for label, recipient, address, city, postal_code, default in addresses:
            rows.append({
                "id": make_id("shipping_addresses", f"{slug}|{label}"), "organization_id": people.org_id[slug],
                "label": label, "recipient": recipient, "address": address, "city": city, "state_province": "CO",
                "postal_code": postal_code, "country": "US", "is_default": default, "created_at": ago(days=300),
                "updated_at": ago(days=300)})
    return rows


def build_spend_limits(people: People) -> list[dict[str, Any]]:
    return [{"organization_id": people.org_id[slug], "role": role, "max_order_total": money(limit)}
            for slug, role, limit in SPEND_LIMITS]
