"""Organizations in the Denver metro, their partner network, people and stock locations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.seed.world.ids import ago, make_id

ALL_TRADES = ["elevator", "hvac", "electrical", "medical"]

# slug: (name, org_type, trades, city, lat, lng, verified, email domain, slack prefix or None)
ORGS: dict[str, tuple[str, str, list[str], str, float, float, bool, str, str | None]] = {
    "summit": ("Summit Vertical & Mechanical", "contractor", ALL_TRADES, "Denver", 39.7541, -104.9922, True,
               "summitvm.example", "SUMMIT"),
    "apex": ("Apex Elevator Services", "contractor", ["elevator"], "Aurora", 39.7294, -104.8319, True,
             "apexelevator.example", "APEX"),
    "northline": ("Northline Mechanical", "contractor", ["hvac", "electrical"], "Westminster", 39.8367, -105.0372,
                  True, "northlinemech.example", None),
    "keystone": ("Keystone Parts Supply", "distributor", ALL_TRADES, "Commerce City", 39.8083, -104.9339, True,
                 "keystoneparts.example", None),
    "metro": ("Metro Salvage & Surplus", "salvage", ["elevator", "hvac", "electrical"], "Denver", 39.7845,
              -104.9736, False, "metrosalvage.example", None),
    "rival": ("Rival Lift & Climate", "contractor", ["elevator", "hvac"], "Lakewood", 39.7047, -105.0814, True,
              "rivallift.example", None),
    "frontrange": ("Front Range Health Biomedical Engineering", "hospital", ["medical"], "Denver", 39.7460,
                   -104.9664, True, "frontrangehealth.example", None),
}
PARTNERS = (("summit", "apex", "partner"), ("summit", "northline", "partner"), ("apex", "northline", "partner"),
            ("summit", "keystone", "preferred_supplier"))

# slug: [(name, role, trades or None for the org's trades)]
PEOPLE: dict[str, list[tuple[str, str, list[str] | None]]] = {
    "summit": [("Maria Gonzalez", "technician", ["elevator", "hvac"]), ("Derek Olson", "technician", ["elevator"]),
               ("Priya Raman", "technician", ["hvac", "electrical"]), ("Tomás Herrera", "technician", ["elevator"]),
               ("Kayla Brooks", "technician", ["medical"]), ("Sam Whitfield", "technician", ["electrical", "hvac"]),
               ("Linda Park", "parts_manager", None), ("Jordan Ellis", "seller", None),
               ("Rachel Kim", "buyer", None), ("Victor Nguyen", "admin", None)],
    "apex": [("Ben Carter", "technician", None), ("Ana Silva", "technician", None),
             ("Luis Ortega", "technician", None), ("Megan Doyle", "seller", None),
             ("Greg Hanson", "parts_manager", None)],
    "northline": [("Chris Jablonski", "technician", None), ("Dana Whitehorse", "technician", None),
                  ("Eric Lund", "technician", None), ("Heather Moss", "seller", None)],
    "keystone": [("Paul Ferraro", "seller", None), ("Tina Alvarez", "seller", None), ("Mark Delaney", "admin", None)],
    "metro": [("Ray Kowalski", "seller", None), ("Jolene Pratt", "seller", None)],
    "rival": [("Kurt Mason", "technician", None), ("Nina Patel", "technician", None), ("Steve Rourke", "seller", None)],
    "frontrange": [("Omar Haddad", "technician", None), ("Grace Liu", "technician", None),
                   ("Beth Sorensen", "buyer", None)],
}

# (org, name, type, address, city, zip, lat, lng, hours, truck driver index into the org's technicians)
LOCATIONS: tuple[tuple[str, str, str, str, str, str, float, float, str | None, int | None], ...] = (
    ("summit", "Summit Main Warehouse", "warehouse", "4800 Race St", "Denver", "80216", 39.7800, -104.9630,
     "M-F 6:30am-5pm", None),
    ("summit", "Summit North Satellite", "warehouse", "8500 Pecos St", "Thornton", "80260", 39.8530, -105.0050,
     "M-F 7am-4pm", None),
    ("summit", "Summit Office Stockroom", "office", "1600 Wynkoop St, Suite 300", "Denver", "80202", 39.7530,
     -104.9990, "M-F 8am-5pm", None),
    ("summit", "Denver Health Site Cage", "site", "777 Bannock St", "Denver", "80204", 39.7276, -104.9913,
     "24/7 with badge", None),
    ("summit", "Republic Plaza Machine Room", "site", "370 17th St", "Denver", "80202", 39.7437, -104.9890,
     "M-F 7am-6pm", None),
    *[("summit", f"Truck {n:02d}", "truck", "", "Denver", "", lat, lng, None, n - 1) for n, lat, lng in (
        (1, 39.7392, -104.9903), (2, 39.7610, -105.0120), (3, 39.6950, -104.9410), (4, 39.7790, -104.8600),
        (5, 39.7230, -105.0480), (6, 39.6630, -104.9850))],
    ("apex", "Apex Warehouse", "warehouse", "3200 S Parker Rd", "Aurora", "80014", 39.6600, -104.8500,
     "M-F 7am-5pm", None),
    *[("apex", f"Apex Van {n}", "truck", "", "Aurora", "", lat, lng, None, n - 1) for n, lat, lng in (
        (1, 39.7100, -104.8200), (2, 39.7450, -104.8700), (3, 39.6800, -104.9000))],
    ("northline", "Northline Shop", "warehouse", "11990 Grant St", "Northglenn", "80233", 39.9100, -104.9850,
     "M-F 7am-4:30pm", None),
    *[("northline", f"Northline Truck {n}", "truck", "", "Westminster", "", lat, lng, None, n - 1)
      for n, lat, lng in ((1, 39.8400, -105.0400), (2, 39.8700, -105.0600), (3, 39.8000, -105.0800))],
    ("keystone", "Keystone Distribution Center", "warehouse", "5300 E 56th Ave", "Commerce City", "80022",
     39.8010, -104.9200, "M-F 6am-6pm, Sat 8am-12pm", None),
    ("keystone", "Keystone Will-Call Counter Englewood", "warehouse", "2900 S Santa Fe Dr", "Englewood", "80110",
     39.6660, -104.9980, "M-F 6:30am-5pm", None),
    ("metro", "Metro Salvage Yard", "warehouse", "5151 Brighton Blvd", "Denver", "80216", 39.7910, -104.9690,
     "M-Sat 8am-4pm", None),
    ("metro", "Metro Surplus Annex", "warehouse", "6400 Washington St", "Denver", "80229", 39.8150, -104.9790,
     "Tu-F 9am-3pm", None),
    ("rival", "Rival Warehouse", "warehouse", "12345 W Alameda Pkwy", "Lakewood", "80228", 39.7000, -105.1300,
     "M-F 7am-5pm", None),
    *[("rival", f"Rival Truck {n}", "truck", "", "Lakewood", "", lat, lng, None, n - 1) for n, lat, lng in (
        (1, 39.7100, -105.0900), (2, 39.6700, -105.0700))],
    ("frontrange", "Biomed Shop, Presbyterian/St. Luke's", "site", "1719 E 19th Ave", "Denver", "80218",
     39.7460, -104.9664, "24/7", None),
    ("frontrange", "Central Supply Storeroom", "office", "1719 E 19th Ave, B1", "Denver", "80218", 39.7458,
     -104.9670, "M-F 7am-3:30pm", None),
)


@dataclass
class People:
    orgs: list[dict[str, Any]] = field(default_factory=list)
    partners: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    org_id: dict[str, Any] = field(default_factory=dict)

    def users_of(self, slug: str, role: str | None = None) -> list[dict[str, Any]]:
        oid = self.org_id[slug]
        return [u for u in self.users if u["organization_id"] == oid and (role is None or u["role"] == role)]

    def locations_of(self, slug: str, kind: str | None = None) -> list[dict[str, Any]]:
        oid = self.org_id[slug]
        return [x for x in self.locations
                if x["organization_id"] == oid and (kind is None or x["location_type"] == kind)]

    def slug_of(self, org_id: Any) -> str:
        return next(s for s, i in self.org_id.items() if i == org_id)


def _email(name: str, domain: str) -> str:
    first, last = name.lower().replace("á", "a").replace("ó", "o").split(" ", 1)
    return f"{first}.{last.replace(' ', '')}@{domain}"


def build_people() -> People:
    out = People()
    for n, (slug, (name, kind, trades, city, lat, lng, verified, _, _)) in enumerate(ORGS.items()):
        oid = make_id("organizations", slug)
        out.org_id[slug] = oid
        when = ago(days=900 - n * 40)
        out.orgs.append({"id": oid, "name": name, "slug": slug, "org_type": kind, "trades": trades, "city": city,
                         "state_province": "CO", "country": "US", "lat": lat, "lng": lng, "is_verified": verified,
                         "created_at": when, "updated_at": when})
    for a, b, rel in PARTNERS:
        for x, y in ((a, b), (b, a)):
            out.partners.append({"organization_id": out.org_id[x], "partner_organization_id": out.org_id[y],
                                 "relationship_kind": rel})
    phone = 0
    for slug, people in PEOPLE.items():
        _, _, org_trades, *_, domain, slack = ORGS[slug]
        for k, (name, role, own_trades) in enumerate(people, start=1):
            phone += 1
            area = "720" if slug in ("apex", "rival", "metro") else "303"
            email = _email(name, domain)
            when = ago(days=700 - phone * 5)
            out.users.append({
                "id": make_id("users", email), "organization_id": out.org_id[slug], "email": email, "name": name,
                "role": role, "phone": f"+1{area}5550{100 + phone:03d}"[:12],
                "slack_user_id": f"U0{slack}{k:02d}" if slack else None,
                "trades": own_trades or list(org_trades), "is_active": True, "created_at": when, "updated_at": when,
            })
    for org, name, kind, address, city, zip_code, lat, lng, hours, driver in LOCATIONS:
        techs = out.users_of(org, "technician")
        assigned = techs[driver] if driver is not None else None
        contact = assigned or (out.users_of(org, "parts_manager") or out.users_of(org, "seller") or techs)[0]
        label = f"{name} ({assigned['name'].split()[0]})" if assigned else name
        out.locations.append({
            "id": make_id("stock_locations", f"{org}|{name}"), "organization_id": out.org_id[org], "name": label,
            "location_type": kind, "address": address or None, "city": city, "state_province": "CO",
            "country": "US", "postal_code": zip_code or None, "lat": lat, "lng": lng, "is_mobile": kind == "truck",
            "assigned_user_id": assigned["id"] if assigned else None, "contact_name": contact["name"],
            "contact_phone": contact["phone"], "contact_email": contact["email"], "pickup_hours": hours,
            "is_active": True, "created_at": ago(days=600),
        })
    return out
