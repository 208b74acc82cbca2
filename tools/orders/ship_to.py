"""Where an order goes, from words: one of the organization's saved addresses ("office"), a customer site it
has equipment at ("the Brown Palace job"), or one of its own stock locations ("main warehouse", "truck 03").
Matched loosely (case, punctuation, filler words like "job" or "site", leading zeros), but an answer that fits
several places is refused with the choices, never guessed."""

from __future__ import annotations

import re
import uuid
from difflib import SequenceMatcher
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.results import ToolFailed

FILLER = frozenset({"the", "a", "an", "job", "jobs", "site", "to", "ship", "at", "our", "my", "for", "please"})


class ShipTo(BaseModel):
    """A resolved ship-to, stored on the order."""

    kind: Literal["address", "site", "location"] = Field(description="A saved address, a customer site (job) or "
                                                         "one of your stock locations")
    label: str = Field(description="e.g. 'Brown Palace Hotel', 'Summit Main Warehouse'")
    address: str | None = None
    city: str | None = None
    state_province: str | None = None
    postal_code: str | None = None
    site_name: str | None = None
    equipment_id: uuid.UUID | None = Field(None, description="The unit it is for, when the site has only one of "
                                           "yours")
    location_id: uuid.UUID | None = None

    def words(self) -> str:
        """ "Brown Palace Hotel (321 17th St, Denver)"."""
        city = self.city if self.city and self.city not in (self.address or "") else None
        where = ", ".join(p for p in (self.address, city) if p)
        return f"{self.label} ({where})" if where and where != self.label else self.label


def tokens(words: str) -> list[str]:
    """Lower-case words without punctuation, filler words or leading zeros ("Truck 03" → ["truck", "3"])."""
    found = re.findall(r"[a-z0-9]+", words.lower().replace("'", ""))
    return [t.lstrip("0") or "0" if t.isdigit() else t for t in found if t not in FILLER]


def _candidates(session: Session, caller: Caller) -> list[ShipTo]:
    org = {"org": caller.organization_id}
    places = [ShipTo(kind="address", label=r.label, address=r.address, city=r.city, state_province=r.state_province,
                     postal_code=r.postal_code)
              for r in session.execute(text("SELECT label, address, city, state_province, postal_code FROM "
                                            "shipping_addresses WHERE organization_id = :org ORDER BY label"), org)]
    places += [ShipTo(kind="site", label=r.site_name, site_name=r.site_name, address=r.address, city=r.city,
                      equipment_id=r.only_unit)
               for r in session.execute(text(
                   "SELECT site_name, min(site_address) AS address, min(city) AS city, "
                   "CASE WHEN count(*) = 1 THEN (array_agg(id))[1] END AS only_unit FROM equipment "
                   "WHERE organization_id = :org GROUP BY site_name ORDER BY site_name"), org)]
    places += [ShipTo(kind="location", label=r.name, address=r.address, city=r.city, state_province=r.state_province,
                      postal_code=r.postal_code, location_id=r.id)
               for r in session.execute(text(
                   "SELECT id, name, address, city, state_province, postal_code FROM stock_locations "
                   "WHERE organization_id = :org AND is_active ORDER BY name"), org)]
    return places


def _score(wanted: list[str], place: ShipTo) -> int:
    """3: the same words; 2: every word given starts a word of the place's name; 1: every word given is one of
    its words misspelt a little ("brwn palace")."""
    have = tokens(place.label)
    if wanted == have:
        return 3
    if all(any(h.startswith(w) for h in have) for w in wanted):
        return 2
    if all(any(SequenceMatcher(None, w, h).ratio() >= 0.8 for h in have) for w in wanted):
        return 1
    return 0


def resolve_ship_to(session: Session, caller: Caller, words: str) -> ShipTo:
    """The one place `words` names; ToolFailed not_found (with what there is) or invalid (with the choices)."""
    wanted = tokens(words)
    if not wanted:
        raise ToolFailed("invalid", "Say where to ship: a saved address, a job site or one of your stock locations.")
    places = _candidates(session, caller)
    scored = [(s, p) for p in places if (s := _score(wanted, p)) > 0]
    if not scored:
        kinds = {k: [p.label for p in places if p.kind == k] for k in ("address", "location")}
        known = "; ".join(f"{name}: {', '.join(labels[:6])}" for name, labels in
                          (("saved addresses", kinds["address"]), ("stock locations", kinds["location"])) if labels)
        raise ToolFailed("not_found", f"No saved address, job site or stock location of "
                         f"{caller.organization_name} matches {words!r}." + (f" There are {known}." if known else ""),
                         hint="Name a customer site you have equipment at, or one of these places.")
    best = max(s for s, _ in scored)
    top = [p for s, p in scored if s == best]
    if len(top) > 1:
        choices = "; ".join(f"{p.words()} [{_kind_words(p.kind)}]" for p in top[:8])
        raise ToolFailed("invalid", f"{words!r} could be several places: {choices}. Which one?",
                         hint="Call again with ship_to set to the full name of one of them.")
    return top[0]


def _kind_words(kind: str) -> str:
    return {"address": "saved address", "site": "job site", "location": "stock location"}[kind]


def ship_to_json(place: ShipTo) -> dict[str, Any]:
    return place.model_dump(mode="json")
