"""Slot extraction: the concrete things a technician's message names — part numbers, quantities, prices,
conditions, equipment, manufacturers, ordinals ("the second one"), distance ("closer"), urgency."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from knowledge.partnumbers import looks_like_part_number, normalize_part_number
from knowledge.search.vocabulary import EquipmentRef, Vocabulary

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "a pair of": 2, "a couple of": 2, "a couple": 2, "single": 1}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "fifth": 5, "5th": 5, "top": 1, "last": -1}
CONDITIONS: tuple[tuple[str, str], ...] = (
    (r"\bfor[ -]parts\b|\bparts only\b|\bnot working\b", "for_parts"),
    (r"\bsalvage(d)?\b|\bpulled\b", "salvage"),
    (r"\brefurb(ished|ed)?\b|\breman(ufactured)?\b|\brebuilt\b", "refurbished"),
    (r"\blike[ -]new\b|\bexcellent\b|\bmint\b", "used_excellent"),
    (r"\bused[ ,-]*(in )?fair\b|\bfair condition\b|\brough\b|\bworn\b", "used_fair"),
    (r"\bused[ ,-]*(in )?good\b|\bgood condition\b|\bused\b|\bsecond[ -]hand\b", "used_good"),
    (r"\bbrand[ -]new\b|\bnew\b|\bnib\b|\bunused\b|\bsealed\b", "new"),
)
FULFILMENT: tuple[tuple[str, str], ...] = (
    (r"\bship(ping|ped|s)?\b|\bmail\b|\bfreight\b", "shipping"),
    (r"\bpick ?-?up\b|\bpickup\b|\bcollect\b|\blocal\b", "local_pickup"),
    (r"\bwill[ -]call\b|\bcounter\b", "will_call"),
    (r"\bcourier\b|\bemergency deliver(y|ies)\b|\bhot ?shot\b|\bsame[ -]day deliver", "emergency_delivery"),
)
EMERGENCY = re.compile(r"\b(down|emergency|urgent(ly)?|asap|right now|trapped|stuck|entrapment|outage|"
                       r"out of service|critical|today|same[ -]day|immediately|rush|fast|quick(ly)?)\b")
CLOSER = re.compile(r"\b(closer|nearer|shorter drive|less far)\b")
WITHIN = re.compile(r"\bwithin\s+(\d+(?:\.\d+)?)\s*(km|kilomet(?:er|re)s?|mi|miles?)\b")
YES = re.compile(r"^\s*(y|yes|yep|yeah|yup|ok|okay|sure|please|please do|do it|go ahead|sounds good|correct|"
                 r"right|confirm(ed)?|absolutely|definitely|that one|that'?s it|perfect|great)\b[\s.!]*",
                 re.IGNORECASE)
NO = re.compile(r"^\s*(n|no|nope|nah|not now|not yet|cancel|stop|never ?mind|skip|no thanks|don'?t)\b",
                re.IGNORECASE)
_MONEY = re.compile(
    r"(?:\$\s?(\d[\d,]*(?:\.\d{1,2})?)\s*(k\b)?)"                       # $420, $4.2k
    r"|(?:\b(\d[\d,]*(?:\.\d{1,2})?)\s*(k\b)?\s*(?:bucks|dollars|usd|each|ea|apiece|a piece)\b)"
    r"|(?:\b(?:offer|counter(?:\s+(?:at|with|of))?|bid|price(?:\s+(?:it|of|is))?|asking|ask|charge|"
    r"pay|paying|under|below|max(?:imum)?|budget(?:\s+of)?|up to|drops? (?:to|below|under)|"
    r"make it|change (?:it |that |the price )?to|how about|raise (?:it )?to|lower (?:it )?to|"
    r"alert (?:me )?(?:at|below|under))\s+\$?(\d[\d,]*(?:\.\d{1,2})?)(?!\s*(?:units?|pcs|pieces|x\b|km|mi|"
    r"miles|hours?|h\b|days?|ton|%|v\b|amps?|a\b|hp|of\b))\s*(k\b)?)"
    # "at 420" / "for 4200": only when nothing item-like follows ("for 2 GAA26800LC1" is a quantity)
    r"|(?:\b(?:at|for|around|about)\s+(\d[\d,]*(?:\.\d{1,2})?)\s*(k\b)?(?=\s*(?:$|[,.;!?)]|per\b|a unit\b)))"
    # "is 4200 ok for …": a bare amount that the rest of the sentence judges
    r"|(?:\b(?:is|are)\s+(\d[\d,]*(?:\.\d{1,2})?)\s*(k\b)?(?=\s+(?:ok|okay|alright|fair|reasonable|good|"
    r"too (?:much|high)|a (?:good|fair) (?:price|deal))\b))",
    re.IGNORECASE,
)
_QTY = re.compile(
    r"\b(?:qty|quantity|x)\s*:?\s*(\d{1,4})\b"
    r"|\b(\d{1,4})\s*(?:x\b|units?\b|pcs\b|pieces?\b|of (?:them|those|these|it)\b|boards?\b|motors?\b|"
    r"operators?\b|sensors?\b|valves?\b|contactors?\b|drives?\b|capacitors?\b|in stock\b|on hand\b)"
    r"|\b(?:need|needs|want|have|got|list|sell|selling|auction|hold|reserve|buy|take|order|of|for)\s+(\d{1,4})\b"
    r"(?!\s*(?:bucks|dollars|usd|each|ea\b|apiece|km|mi|miles|hours?|h\b|days?|%|\.\d|,\d))",
    re.IGNORECASE,
)
_NUMBER_ONLY = re.compile(r"^\s*#?(\d{1,2})\s*[.)!]*\s*$")
_SITE = re.compile(r"\b(?:at|in|for) (?:the )?([A-Z][\w'&./-]*(?: [A-Z0-9][\w'&./-]*){0,4})")
# "I'm at the brown palace, need …": a site said in lower case, recognised by how it is introduced
_ON_SITE = re.compile(r"\b(?:i'?m|i am|we'?re|we are|tech is|technician is|working|currently)\s+(?:on ?site\s+)?"
                      r"(?:at|in)\s+(?:the\s+)?([a-z0-9][\w'&./-]*(?:\s+[\w'&./-]+){0,4}?)"
                      r"(?=\s*(?:[,.;!?]|$|\band\b|\bneed|\blooking|\bwith|\btoday|\bright now|\bcar\b|\bunit\b))",
                      re.IGNORECASE)
_REFRIGERANT = re.compile(r"^R-?\d{2,3}[A-Z]?$", re.IGNORECASE)
_ELECTRICAL = re.compile(r"^\d+(?:[./-]\d+)*(v|vac|vdc|a|amp|amps|hp|kw|w|hz|mfd|uf|rpm|ppr|mm|in|ft|lb|kg|"
                         r"ton|tons|ph|psi|gpm|fpm|k|km|mi|st|nd|rd|th|x)$", re.IGNORECASE)
_LISTING_TYPES = (("auction", r"\bauctions?\b"), ("trade", r"\btrades?\b|\bswap\b"),
                  ("emergency", r"\bemergency listing\b"))
_VISIBILITY = (("public", r"\bpublic(ly)?\b|\beveryone\b"), ("network", r"\bpartners? only\b|\bnetwork\b"),
               ("internal", r"\binternal\b|\bjust us\b"), ("industry", r"\bindustry\b"))


_NOT_CONTENT = frozenset({
    'a', 'an', 'the', 'and', 'or', 'but', 'for', 'of', 'on', 'in', 'at', 'to', 'from', 'with', 'by', 'it', 'its',
    'this', 'that', 'these', 'those', 'them', 'they', 'one', 'ones', 'some', 'any', 'anyone', 'anything', 'someone',
    'something', 'there', 'here', 'what', 'which', 'who', 'whom', 'whose', 'where', 'when', 'why', 'how', 'is',
    'are', 'was', 'were', 'be', 'been', 'do', 'does', 'did', 'can', 'could', 'will', 'would', 'should', 'shall',
    'may', 'might', 'must', 'have', 'has', 'had', 'get', 'got', 'grab', 'find', 'need', 'needs', 'want', 'wants',
    'looking', 'look', 'me', 'my', 'mine', 'we', 'our', 'us', 'you', 'your', 'i', 'im', "i'm", "i'll", 'ok', 'okay',
    'yes', 'no', 'please', 'thanks', 'thank', 'hey', 'hi', 'hello', 'just', 'really', 'also', 'too', 'very', 'much',
    'many', 'more', 'less', 'now', 'today', 'asap', 'fast', 'quick', 'quickly', 'right', 'away', 'soon', 'emergency',
    'urgent', 'urgently', 'down', 'stuck', 'trapped', 'car', 'unit', 'job', 'site', 'near', 'nearby', 'nearest',
    'closest', 'closer', 'far', 'long', 'show', 'tell', 'see', 'check', 'know', 'about', 'like',
    'let', 'sure', 'same', 'other', 'another', 'again', 'else', 'marketplace', 'market', 'listing', 'listings',
    'sale', 'selling', 'sell', 'buy', 'used', 'new', 'refurbished', 'under', 'below', 'cheaper', 'price', 'cost',
    'fair', 'deal', 'stock', 'available', 'availability', "where's", "what's", "who's", "that's", "it's", 'auction',
    'auctions', 'search',
})


def content_words(text: str) -> list[str]:
    """Words that describe a thing (not conversation glue): "door operator", "compressor", "AT400"."""
    return [w for w in re.findall(r"[a-z][a-z0-9'-]{2,}", text.lower()) if w not in _NOT_CONTENT]


@dataclass
class Slots:
    part_numbers: list[str] = field(default_factory=list)
    quantity: int | None = None
    price: Decimal | None = None
    conditions: list[str] = field(default_factory=list)
    equipment: list[EquipmentRef] = field(default_factory=list)
    manufacturers: list[str] = field(default_factory=list)
    ordinal: int | None = None
    emergency: bool = False
    closer: bool = False
    within_km: float | None = None
    fulfilment: list[str] = field(default_factory=list)
    listing_type: str | None = None
    visibility: str | None = None
    site: str | None = None
    yes: bool = False
    no: bool = False
    bare_number: int | None = None

    @property
    def condition(self) -> str | None:
        return self.conditions[0] if self.conditions else None

    @property
    def part_makers(self) -> list[str]:
        """Manufacturers named for the part itself (not the maker of the equipment it goes on)."""
        equipment_makers = {e.manufacturer.lower() for e in self.equipment}
        return [m for m in self.manufacturers if m.lower() not in equipment_makers]

    @property
    def part_number(self) -> str | None:
        return self.part_numbers[0] if self.part_numbers else None


def _money(match: re.Match[str]) -> Decimal | None:
    groups = match.groups()
    for value, kilo in zip(groups[::2], groups[1::2], strict=True):
        if value:
            amount = Decimal(value.replace(",", ""))
            return amount * 1000 if kilo else amount
    return None


_NUMBERED_AT = re.compile(r"\b(?:counter|accept|offer|bid|hold)\s+#?\d{1,2}\s+(?:at|for|to|with)\s+\$?"
                          r"(\d[\d,]*(?:\.\d{1,2})?)", re.IGNORECASE)


def extract_price(text: str) -> Decimal | None:
    numbered = _NUMBERED_AT.search(text)  # "counter 2 at 450": 2 is the offer, 450 the price
    if numbered:
        return Decimal(numbered.group(1).replace(",", ""))
    for match in _MONEY.finditer(text):
        amount = _money(match)
        if amount is not None and amount > 0:
            return amount
    return None


def extract_quantity(text: str, price: Decimal | None) -> int | None:
    lowered = text.lower()
    for match in _QTY.finditer(lowered):
        value = next((g for g in match.groups() if g), None)
        if value and int(value) > 0 and (price is None or Decimal(value) != price):
            return int(value)
    for word, value in NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b(?! (?:hour|day|km|mile|ton))", lowered) and re.search(
                rf"\b(need|want|have|got|list|sell|hold|reserve|buy|take|of|with)\s+{word}\b", lowered):
            return value
    return None


def _ordinal(lowered: str) -> int | None:
    for word, value in ORDINALS.items():
        if re.search(rf"\b(the )?{word}\b( one| option| result| listing| offer| part|$|\b)", lowered) and (
                word not in ("top", "last") or re.search(rf"\b(the )?{word} (one|option|result|listing|offer)",
                                                         lowered)):
            if word == "second" and re.search(r"\bsecond[ -]hand\b", lowered):
                continue
            return value
    match = re.search(r"\b(?:number|no\.?|option|#)\s*(\d{1,2})\b", lowered)
    return int(match.group(1)) if match else None


def part_numbers_in(text: str, vocab: Vocabulary | None) -> list[str]:
    """Tokens that look like part numbers, minus equipment models, money, ratings and refrigerants."""
    found: list[str] = []
    # "GAA 26800 LC1": a spaced-out number wins over its pieces
    spaced = re.search(r"\b([A-Za-z]{2,4})[\s-]+(\d{3,6})[\s-]+([A-Za-z]{1,3}\d{1,2})\b", text)
    if spaced:
        found.append("".join(spaced.groups()).upper())
        text = text.replace(spaced.group(0), " ")
    tokens = [t.strip(",;:()[]\"'!?") for t in text.split()]
    for i, token in enumerate(tokens):
        token = token.rstrip(".")
        if not token or token.startswith("$") or _REFRIGERANT.match(token) or _ELECTRICAL.match(token) or \
                re.fullmatch(r"\d{1,3}(/\d{1,3})+", token):
            continue
        if not looks_like_part_number(token):
            continue
        digits = sum(ch.isdigit() for ch in token)
        if digits < 2 and len(token) < 6:  # SpO2, CO2, T6: words, not numbers
            continue
        if token.isdigit() and (len(token) < 5 or (i > 0 and tokens[i - 1].lower() in (
                "offer", "counter", "at", "for", "bid", "$", "price", "pay", "under", "below", "to", "up"))):
            continue
        if vocab is not None and vocab.resolve_model(token):
            continue
        found.append(token.upper())
    out: list[str] = []
    for pn in found:
        if normalize_part_number(pn) not in {normalize_part_number(x) for x in out}:
            out.append(pn)
    return out


def site_in(text: str, slots: Slots, vocab: Vocabulary | None) -> str | None:
    """The customer site named ("the Gen2 at the Brown Palace", "I'm at republic plaza"): not a manufacturer,
    an equipment model or a part number."""
    candidates = [m.group(1) for m in _ON_SITE.finditer(text)] + [m.group(1) for m in _SITE.finditer(text)]
    makers = [m.lower() for m in slots.manufacturers]
    for raw in candidates:
        site = raw.strip(" .,?!")
        first = site.split()[0] if site else ""
        if not site or any(site.lower().startswith(m) for m in makers) or first.upper() in slots.part_numbers:
            continue
        if vocab is not None and (vocab.resolve_model(site) or vocab.resolve_model(first)):
            continue
        return site
    return None


def extract(text: str, vocab: Vocabulary | None) -> Slots:
    lowered = text.lower()
    price = extract_price(text)
    slots = Slots(price=price, part_numbers=part_numbers_in(text, vocab))
    slots.quantity = extract_quantity(text, price)
    for pattern, condition in CONDITIONS:
        if re.search(pattern, lowered) and condition not in slots.conditions:
            if condition == "used_good" and any(c.startswith("used") for c in slots.conditions):
                continue
            if condition == "new" and re.search(r"\b(like[ -]new|new one|new listing|new offer)\b", lowered):
                continue
            slots.conditions.append(condition)
    if vocab is not None:
        words = tuple(re.findall(r"[a-z0-9]+(?:[-/.][a-z0-9]+)*", lowered))
        slots.equipment = vocab.equipment_in(words)
        slots.manufacturers = vocab.manufacturers_in(lowered)
    slots.ordinal = _ordinal(lowered)
    number_only = _NUMBER_ONLY.match(text)
    if number_only:
        slots.bare_number = int(number_only.group(1))
    slots.emergency = bool(EMERGENCY.search(lowered))
    slots.closer = bool(CLOSER.search(lowered))
    within = WITHIN.search(lowered)
    if within:
        km = float(within.group(1))
        slots.within_km = km * 1.609 if within.group(2).startswith("mi") else km
    slots.fulfilment = [f for pattern, f in FULFILMENT if re.search(pattern, lowered)]
    slots.listing_type = next((t for t, p in _LISTING_TYPES if re.search(p, lowered)), None)
    slots.visibility = next((v for v, p in _VISIBILITY if re.search(p, lowered)), None)
    slots.site = site_in(text, slots, vocab)
    slots.yes = bool(YES.match(text)) and not NO.match(text)
    slots.no = bool(NO.match(text))
    return slots
