"""Objects the conversation can point at, made from the tools' outputs, and how a message points at one:
by number ("number 3", "the 2nd"), by what it is ("the refurb one", "the auction in Denver"), by who
("the offer from Apex", "the guy from Northline", "ben's offer"), by superlative ("the cheapest"), or by
being the one in focus ("it", "that one")."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.item_words import by_words, codes_fit, in_condition, rated_otherwise, text_of
from agent.planners.local.dialogue.said import Said, clause_spans
from agent.planners.local.dialogue.state import DialogueState, Ref
from knowledge.partnumbers import normalize_part_number
from knowledge.search.kinds import kinds_named
from tools.rules.wording import possessive

_SLIM = {
    "part": ("part_number", "manufacturer", "name", "msrp", "category", "part_id", "superseded_by",
             "current_part_number", "swap"),
    "option": ("source_type", "organization_name", "location_name", "city", "distance_km", "part_number",
               "condition", "price", "price_kind", "quantity_available", "eta_hours", "fulfillment", "same_day",
               "inventory_item_id", "listing_id", "supplier_offer_id", "authorized", "is_replacement", "contact"),
    "listing": ("id", "part_number", "manufacturer", "name", "condition", "quantity_available", "price",
                "listing_type", "status", "seller_organization", "is_own_listing", "city", "distance_km",
                "starting_bid", "current_bid", "auction_end", "fulfillment_options", "minimum_next_bid"),
    "offer": ("id", "listing_id", "part_number", "manufacturer", "listing_name", "buyer_organization", "buyer_name",
              "seller_organization", "offered_price", "quantity", "status", "awaiting", "offer_type",
              "counter_offer", "expires_at", "transaction_id"),
    "order": ("id", "order_number", "kind", "status", "status_words", "role", "buyer_organization", "buyer_name",
              "seller_organization", "lines", "total", "po_number", "site_name", "invoice_number", "invoice_url",
              "carrier", "tracking_number", "next_steps", "created_at"),
}
# (the field, which end is meant, the words): "the cheaper one", "the higher offer", "the closest".
_SUPERLATIVES = (("price", min, re.compile(r"\b(cheapest|lowest|least expensive|cheaper|best price|lowest priced|"
                                           r"lower one|lower price|less expensive|cheap one|cheapo)\b")),
                 ("price", max, re.compile(r"\b(highest|higher|biggest|bigger|best offer|top offer|most money|"
                                           r"priciest|pricier|pricey one|expensive one|more expensive|dearest)\b")),
                 ("distance_km", min, re.compile(r"\b(closest|nearest|closer|nearer)\b")),
                 ("distance_km", max, re.compile(r"\b(farthest|furthest|further one)\b")),
                 ("eta_hours", min, re.compile(r"\b(fastest|quickest|soonest|sooner|faster)\b")))
_AMOUNT_KEYS = ("price", "offered_price", "current_bid", "counter_price")
_COUNT_KEYS = ("quantity_available", "quantity", "quantity_on_hand")
_UNITS = (r"(?:days?|hours?|hrs?|w(?:ee)?ks?|months?|y(?:ea)?rs?|miles?|mi|km|min(?:ute)?s?|ft|feet|in(?:ch)?|lbs?|kw|"
          r"hp|v|volts?|amps?|a|mfd|uf|tons?|dollars?|bucks|usd)\b")
_HOLDING = re.compile(rf"\b(?:with|has|got|having|holding)\s+(\d{{1,5}})\b(?![-\s]*(?:[%$]|{_UNITS}))")
_NAMES = ("organization", "person", "city", "location", "site")
# What a message may name an object of each kind by ("the shop" says where to ship, not which answer).
_RELEVANT = {"option": {"organization", "person", "city", "location", "condition"},
             "listing": {"organization", "person", "city", "condition"},
             "offer": {"organization", "person", "city"}, "response": {"organization", "person", "condition"},
             "hold": {"organization", "person", "location", "city", "condition"}, "deal": {"organization", "person"},
             "stock": {"location", "site", "condition"}, "wanted": {"organization", "person", "city"},
             "part": {"organization"}, "equipment": {"site", "city"},
             "order": {"organization", "person", "site"}, "cart_item": {"organization", "condition"}}
def make_ref(kind: str, data: dict[str, Any], label: str = "") -> Ref:
    keep = _SLIM.get(kind)
    slim: dict[str, Any] = {k: data.get(k) for k in keep if data.get(k) is not None} if keep else \
        {k: v for k, v in data.items() if isinstance(v, str | int | float | bool) or v is None}
    if isinstance(data.get("parts"), list):  # a deal's parts: "the furnace board one" is told apart by them
        slim["parts"] = [{k: p.get(k) for k in ("part_number", "manufacturer", "name", "quantity")}
                         for p in data["parts"] if isinstance(p, dict)]
    ident = data.get("id") or data.get("inventory_item_id") or data.get("listing_id") or data.get("hold_id") or \
        data.get("equipment_id") or (data.get("part_number") if kind == "part" else None)
    return Ref(kind=kind, id=str(ident) if ident is not None else None, label=label or _label(kind, data),
               data=slim)


def _label(kind: str, data: dict[str, Any]) -> str:
    if kind == "part":
        return str(data.get("part_number") or "")
    if kind == "listing":
        return f"{data.get('part_number')} from {data.get('seller_organization')}"
    if kind == "offer":
        return f"{possessive(str(data.get('buyer_organization')))} offer on {data.get('part_number')}"
    return str(data.get("part_number") or data.get("name") or data.get("id") or kind)


def match(items: list[Ref], said: Said, *, allow_single: bool = False) -> list[Ref]:
    """The items the message points at: a number, a part number, who/where/what words, a superlative."""
    if not items:
        return []
    choices = [int(v) for v in said.values("choice") if v.lstrip("-").isdigit()]
    if choices:
        index = choices[0]
        if index == -1:
            return [items[-1]]
        if 1 <= index <= len(items):
            return [items[index - 1]]
        return _holding(items, {float(index)})  # "the one with 6" among two: no sixth item, but one of 6 units
    narrowed = list(items)
    filtered = False
    numbers = {normalize_part_number(v) for v in said.values("part_number")}
    if numbers and any(_numbers_of(r) for r in items):  # a part number no item has points at none of them
        narrowed = [r for r in items if numbers & _numbers_of(r)] or \
            [r for r in items if any(len(n) >= 4 and (m.endswith(n) or m.startswith(n))
                                     for n in numbers for m in _numbers_of(r))]
        filtered = True  # "the 931201 one": the end of PPX-931201; "the HPV900": the start of HPV900-4040-2E1-01
    relevant = _RELEVANT.get(items[0].kind, _NAMES)
    for entity in (e for e in _NAMES if e in relevant):
        values = said.values(entity)
        if values:  # "derek's or tomas's": either one's (two names of one kind never narrow to nothing)
            named = [_named(narrowed, entity, v, said.extra(entity, "organization")) for v in values]
            narrowed, filtered = [r for r in narrowed if any(r in hits for hits in named)], True
    conditions = said.all("condition") if "condition" in relevant else []
    if conditions:  # "used" is any used grade, "the used fair one" that grade; "new beats refurb": either one
        narrowed = [r for r in narrowed if any(in_condition(r, c) for c in conditions)]
        filtered = True
    makers = {m.lower() for m in said.values("manufacturer")}
    made = [r for r in narrowed if str(r.data.get("manufacturer") or "").lower() in makers]
    if made and len(narrowed) > 1:  # "the trane defrost board" of two defrost boards
        narrowed, filtered = made, True
    for listing_type in said.values("listing_type"):
        narrowed = [r for r in narrowed if r.data.get("listing_type") in (listing_type, None)]
    if "truck" in said.lowered or "van" in said.lowered:
        on_truck = [r for r in narrowed if r.data.get("source_type") == "own_truck"]
        narrowed = on_truck or narrowed
    for key, end, pattern in _SUPERLATIVES:
        if pattern.search(said.lowered):
            ranked = [r for r in narrowed if _value(r, key) is not None]
            if ranked:
                return [end(ranked, key=lambda r: float(_value(r, key) or 0))]
    amounts = {float(v) for v in said.values("price") + said.values("number") if _float(v) is not None}
    if amounts and len(narrowed) > 1:  # "235 works, accept it": the one at that amount
        same = [r for r in narrowed if any(_value(r, k) is not None and float(_value(r, k) or 0) in amounts
                                           for k in _AMOUNT_KEYS)]
        if len(same) == 1:
            return same
    counted = _holding(narrowed, {float(n) for n in _HOLDING.findall(said.lowered)}) if len(narrowed) > 1 else []
    if counted:  # "the one with 6" (a count held, not "reorder point on those to 3"): the line holding six
        return counted
    if narrowed != items or filtered:  # of Rival's offers, "the fan motor" one
        return (by_words(narrowed, said) or narrowed) if len(narrowed) > 1 else narrowed
    worded = by_words(items, said)
    if worded:
        return worded
    return items if allow_single and len(items) == 1 else []


def _holding(items: list[Ref], counts: set[float]) -> list[Ref]:
    hits = [r for r in items if any(_float(r.data.get(k)) in counts for k in _COUNT_KEYS)]
    return hits if len(hits) == 1 else []


def _value(ref: Ref, key: str) -> float | None:
    """A number the item carries: the price (an offer's offered price), a counter-offer's price, a distance."""
    raw = ref.data.get(key)
    if key == "price" and raw is None:
        raw = ref.data.get("offered_price")
    if key == "counter_price":
        raw = (ref.data.get("counter_offer") or {}).get("price") if isinstance(ref.data.get("counter_offer"),
                                                                              dict) else None
    return _float(raw)


def _float(raw: object) -> float | None:
    try:
        return float(str(raw).replace(",", "")) if raw is not None else None
    except ValueError:
        return None


def _numbers_of(ref: Ref) -> set[str]:
    numbers = {str(ref.data.get("part_number") or "")} | {str(p.get("part_number") or "") for p in
                                                           ref.data.get("parts") or [] if isinstance(p, dict)}
    return {normalize_part_number(n) for n in numbers if n}


def _named(items: list[Ref], entity: str, value: str, organization: str | None) -> list[Ref]:
    """Items that name this person or company: the person themself first, else their company ("ben's offer"
    is Ben's, not every Apex offer — unless Ben made none, then it is his company's)."""
    lowered = value.lower()
    hits = [r for r in items if lowered in text_of(r)]
    first = lowered.split()[0] if lowered else ""
    if not hits and entity in ("person", "organization") and len(first) >= 4:
        hits = [r for r in items if re.search(rf"\b{re.escape(first)}\b", text_of(r))]
    if not hits and entity == "person" and organization:
        people = [r for r in items if r.data.get("buyer_name") or r.data.get("bidder")]
        sells = [r for r in items if str(r.data.get("seller_organization") or "").lower() == organization.lower()]
        if not people:  # the items don't say who: the person's company stands for them
            hits = [r for r in items if organization.lower() in text_of(r)]
        elif sells:  # "tina came back on it": the items name only our buyers; Tina sells for that company
            hits = sells
    return hits


# A clause that runs something down or turns it away ("metros is beat up", "rival, no thanks"), or keeps it as
# it is ("tomas still needs his", "keep the keystone one"), names what is not meant. Price complaints are not
# among these: "keystone's is too high, counter 200" is about Keystone's.
_KEEPS = (r"still needs?|keep(?! (?:an eye|tabs|watching))|leave|hang on to|hold on to|think about|sleep on|"
          r"get back to|can wait|later|not now|hold off|needs? (?:his|hers|theirs)|(?:only|just) (?:need|want)|"
          r"using (?:his|hers|theirs|it|them|em|that one)")
# Of these, a clause that keeps or puts off ("apex can wait", "we only need the one derek put in") never names
# what the change is about; one that turns down ("tell luis no thanks") may be the change itself.
KEEPS = re.compile(rf"\b(?:{_KEEPS})\b")
SPURNS = re.compile(r"\b(?:beat up|beat to hell|banged up|sketchy|junk|junky|trash|garbage|rough|rusty|toast|sus|"
                    r"shady|no thanks|no thx|no thank you|no ty|pass on|skip|not (?:that|those|them|him|her|theirs)\b|"
                    r"do ?n'?t (?:wanna|want to)|rather not|"
                    rf"forget|ignore|{_KEEPS})\b")
POINTS_AT_IT = re.compile(r"\b(?:it|that|this|that one|this one|em|them)\b")
_BACK = re.compile(r"\b(?:em|them|him|her|it|those|that|theirs|his)\b")  # "…, skip em": whom the clause before names


def set_apart_spurned(items: list[Ref], said: Said, words: re.Pattern[str] = SPURNS) -> tuple[list[Ref], Said]:
    """The items left once those a clause turns away are set apart, and the message without those clauses."""
    pool, rest = list(items), said
    clauses = clause_spans(said.text)
    for index, (start, end) in enumerate(clauses):
        if not words.search(said.text[start:end].lower()):
            continue
        part = said.within(start, end)
        if not part.has(*_NAMES, "condition") and index and said.text[clauses[index - 1][1]:start].strip() == "," \
                and _BACK.search(said.text[start:end].lower()):
            start = clauses[index - 1][0]  # "apex's budget is too low, skip em": the clause before says whom
            part = said.within(start, end)
        named = match(pool, part) if part.has(*_NAMES, "condition") else []
        if named and len(named) < len(pool):
            pool = [r for r in pool if r not in named]
            rest = rest.without(start, end)
    return pool, rest


def match_besides_spurned(items: list[Ref], said: Said) -> list[Ref]:
    """"counter em at 745 for both. apex can wait": when a clause of its own turns some away and the rest of the
    message (the change itself) names nothing, the one left is meant; otherwise the items the message names."""
    pool, rest = set_apart_spurned(items, said)
    if len(pool) < len(items) and len(rest.text.split()) >= 2:
        return match(pool, rest, allow_single=True)
    return match(items, said)


def points_at_list(said: Said) -> bool:
    """Does the message pick something out ("number 2", "the refurb one", "the one from apex")?"""
    return said.has("choice") or bool(re.search(r"\b(one|ones|option|that|this|those|these)\b", said.lowered))


def resolve(state: DialogueState, said: Said, *kinds: str) -> tuple[Ref | None, list[Ref]]:
    """The object of one of these kinds the message means: one picked from the last list, one named among
    those seen, or the one in focus. Returns (the object, the candidates when it is ambiguous)."""
    if state.listed and state.listed.kind in kinds:
        # "reject the 700 one. leave apex's for now": a clause that keeps or puts off one never names the target
        pool, kept = set_apart_spurned(state.listed.items, said, KEEPS)
        hits = match(pool, kept, allow_single=len(pool) < len(state.listed.items))
        if len(hits) == 1:
            return hits[0], []
        if len(hits) > 1:
            return None, hits
        if len(state.listed.items) == 1 and not said.has(*_NAMES, "part_number", "equipment_model") and \
                (POINTS_AT_IT.search(said.lowered) or not said.describes()) and \
                not names_other_kind(state.listed.items[0], said) and not rated_otherwise(state.listed.items[0], said):
            return state.listed.items[0], []  # one shown, then "offer 400 on it", "bump me to 2300"
    named = said.has("organization", "person", "city", "location", "site", "part_number", "condition",
                     "listing_type")
    if named:
        for kind in kinds:
            pool, kept = set_apart_spurned(state.pool(kind), said, KEEPS)  # "…, we only need the one derek put in"
            hits = [h for h in match(pool, kept) if codes_fit(h, said) and not rated_otherwise(h, said)]
            if len(hits) == 1:
                return hits[0], []
            focus = state.focused(kind)
            one_name = len(set(said.values("organization") + said.values("person"))) <= 1
            if len(hits) > 1 and one_name and focus is not None and any(h.same(focus) for h in hits):
                return focus, []  # "counter rival at 350": of Rival's offers, the one we were talking about
            same_part = [h for h in hits if focus is not None and _numbers_of(h) & _numbers_of(focus)]
            if len(hits) > 1 and one_name and len(same_part) == 1:
                return same_part[0], []  # "reject rival's, and counter apex at 850": Apex's on the same part
            if len(hits) > 1:
                return None, hits
    focus = state.focused(*kinds)
    if focus is not None and _consistent(focus, said):
        return focus, []
    return None, []


def _consistent(ref: Ref, said: Said) -> bool:
    """Named things do not contradict the object in focus (a different part number, company or make: "drop
    the belimo ones" is not the governor in focus)."""
    makers = {m.lower() for m in said.values("manufacturer")}
    make = str(ref.data.get("manufacturer") or "").lower()
    if (makers and make and make not in makers) or names_other_kind(ref, said) or rated_otherwise(ref, said):
        return False
    return not (said.has("organization", "person", "part_number") and not match([ref], said))


def names_other_kind(ref: Ref, said: Said) -> bool:
    """The message names a kind of part ("the run caps", "a contactor") that the object, which says what it
    is, is not: the rail clips in focus are not the caps used "this morning"."""
    named = kinds_named(said.lowered)
    if not named or not any(ref.data.get(k) for k in ("name", "part_name", "listing_name")):
        return False
    return not named & kinds_named(text_of(ref))


def relevant_names(kind: str) -> set[str]:
    """The kinds of name an object of this kind can be picked by."""
    return set(_RELEVANT.get(kind, set(_NAMES)))
