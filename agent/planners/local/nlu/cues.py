"""Whether a cue word found by its spelling means the entity here, by the words around it: "shipped" in "mark
it shipped" reports an event (no fulfillment preference) while "$600 shipped" is a price with shipping; "arrived"
in a delivery confirmation is not a stock adjustment; "today" is a plain day in "it arrived today" and urgency
in "need it today"; "courier" is the carrier in "sent by courier" and a delivery option in "can a courier
bring it"."""

from __future__ import annotations

import re
from typing import Any

# A message reporting that something went out or came in (not asking for a way to send it).
_EVENT = re.compile(r"\b(?:went out|gone out|(?:put|dropped|threw|tossed) (?:it |them )?in the mail|"
                    r"dropped (?:it |them )?(?:at|off)|label printed|printed the label|(?:it'?s|its) gone|"
                    r"(?:is|it's|its) out|on (?:its|the) way|shipped|"
                    r"handed|mark(?:ed)? (?:it |as |the \w+ |order )?(?:shipped|sent)|tracking|delivered|arrived|"
                    r"came in|showed up|got here|picked (?:it |them )?up|sent (?:it |them )?(?:by|via|with|out))\b")
_PREFERENCE = re.compile(r"\b(?:can|could|would|will|prefer|rather|want|need|include|including|free|pay|paid|only|"
                         r"or|w/|with|how much|cost|price|offer|counter|list|post|listing)\b")
_CARRIER_WORDS = re.compile(r"ship|track|sent|send|carrier|label|out the door|went out|dropped|via|handed|guy|driver|"
                            r"ground|next day|2 ?day|overnight|air\b|on its way|delivered|picked|gone|package|box|"
                            r"\b1z|arrived|showed up", re.IGNORECASE)
_STOCK = re.compile(r"\b(?:stock|inventory|count|qty|quantity|on hand|shelf|bin|add|added|subtract|remove|take|took|"
                    r"write off|log|zero|put|pull|mark|restock)\b|(?:^|\s)[+-]\d")
_FAULT = re.compile(r"\b(?:old one|old board|the old|part ?number|pn|replace|what part|wont|won't|keeps|label|"
                    r"need (?:a|the|another)|price|prices|cost|going rate|trend)\b")
_NEEDED = re.compile(r"\b(?:need|needs|needed|asap|by|before|must|gotta|has to|have to|urgent|rush|deliver|bring|"
                     r"get (?:it|one|me|them|us)|who (?:has|can|could)|can (?:you|u|someone|anyone)|buy|find|source|"
                     r"grab|want)\b[^,.;!?]{0,30}$")
_PAST_OR_LISTED = re.compile(r"\b(?:arrived|came|came in|showed up|delivered|shipped|went|got|received|expir\w*|end\w*|"
                             r"clos\w*|sold|post|posted|listed|made|sent|put|today's|due|did|bought|wont|won't|"
                             r"make it)\b[^,.;!?]{0,30}$")
_LISTING = re.compile(r"\b(?:list|listing|listings|post|posted|publish|sell|selling|visible|visibility|make it|"
                      r"marketplace|market|wanted|iso|share|show it|offer|only|draft)\b")

# "2 more… no wait, 3 more", "send 4, make that 5": what follows the correction replaces what came before
CORRECTION = re.compile(r"\b(?:no wait|wait no|wait|i mean|i meant|make (?:that|it)|scratch that|correction|sorry|"
                         r"actually|no,)\W", re.IGNORECASE)


_NOT_SHIPPED_YET = re.compile(r"(?:waiting|ready|yet|about|going) to $|"
                              r"(?:haven'?t|hasn'?t|not|never|did (?:it|they|that)) $")
_TRADE = re.compile(r"\b(?:list|listing|post|sell|market|open to|trade|for (?:a|an|my|our|your|their))\b")
_NOT_FOUND_STOCK = re.compile(r"\b(?:offer|hold|cancel|pull|drop|release|free|withdraw|listing|bid|wanted|post|qty|"
                              r"quantity|problem|issue|fault|cause|short|leak)\b")
_LOST_SIGNAL = re.compile(r"\s+(?:comms|communication|power|signal|connection|track|my|the (?:signal|connection|"
                          r"comms))\b")
_NOT_A_JOB = re.compile(r"\b(?:offer|bid|max|response|reply|request|order|wanted|post|listing|auction|ticket|claim|"
                        r"still|fault|throws|error|wont|won't|keeps|code|what|what'?s|whats|which|year|date)\b")
_TOOK = re.compile(r"\b(?:took|take|taking|grabbed|grab|pulled|pull|used|using|need(?:ed)?|burn(?:ed|t)|put)\b")
_USED_OBJECT = re.compile(r"\s+(?:\d|one\b|two\b|three\b|a couple|some\b|the\b|them\b|it\b|up\b|on\b|this\b|"
                          r"that\b|those\b|these\b|my\b|our\b|all\b|both\b|a \w+ (?:on|at|from|off|this|today))")


Verdict = tuple[str, str] | None
_DAY_WORDS = ("today", "tonight", "this week", "soon")


def judge(name: str, value: str, lowered: str, start: int, end: int) -> Verdict:
    """(entity, value) the cue stands for here, or None when it is not one."""
    spelled, before, after = lowered[start:end], lowered[:start], lowered[end:]
    if name == "fulfillment":
        return _fulfillment(value, spelled, before, after, lowered)
    if name == "adjust_reason":
        return _adjust_reason(value, spelled, before, after, lowered)
    keep = (name, value)
    if name == "carrier":
        if value == "Courier" and not _EVENT.search(lowered):
            return None
        return keep if spelled != "ups" or _CARRIER_WORDS.search(lowered) or lowered.startswith("ups") else None
    if name == "urgency" and spelled in _DAY_WORDS:
        urgent = not _PAST_OR_LISTED.search(before) and (spelled in ("this week", "soon") or _NEEDED.search(before))
        return keep if urgent else ("date", spelled) if spelled == "today" else None
    if name == "urgency" and spelled == "emergency" and re.match(r"\s+(?:listing|sale)\b", after):
        return None
    if name == "visibility" and spelled in ("everyone", "everybody"):
        return keep if re.search(r"\b(?:tell|let|post|list|show|open|share|to|for|with|it)\s+$", before) else None
    if name == "visibility" and value == "internal":
        return keep if _LISTING.search(lowered) else None
    if name == "listing_type" and spelled in ("swap", "swaps"):
        return keep if _TRADE.search(lowered) else None
    if name == "listing_type" and spelled == "bidding":
        return None if re.search(r"\b(?:how'?s|hows|how is|going)\b", lowered) else keep
    return keep


def _fulfillment(value: str, spelled: str, before: str, after: str, lowered: str) -> Verdict:
    keep = ("fulfillment", value)
    if spelled == "shipped":  # "$600 shipped": the price includes shipping; otherwise it reports an event
        return keep if re.search(r"(?:^|[^#\d])\d[\d,.]*\s*k?\s*(?:ea|each)?\s*$", before) else None
    if value == "shipping" and (_NOT_SHIPPED_YET.search(before) or re.match(r"\s+\d+\s+(?:from|to)\b", after)
                                or (_EVENT.search(lowered) and not _PREFERENCE.search(lowered))):
        return None
    if spelled == "picked up":
        return None
    if spelled == "local" and not (re.match(r"\s+(?:only|is fine|pick|or)\b", after)
                                   or re.search(r"\b(?:or|just|only|keep it)\s+$", before)):
        return None
    if value == "emergency_delivery" and spelled in ("courier", "hot shot", "hotshot") and _EVENT.search(lowered):
        return "carrier", "Courier"
    return keep


def _adjust_reason(value: str, spelled: str, before: str, after: str, lowered: str) -> Verdict:
    keep = ("adjust_reason", value)
    if value in ("received", "returned"):
        counted = _STOCK.search(lowered) and not re.search(r"\bfrom (?:the|our) (?:warehouse|shop)", lowered)
        return keep if counted else None
    if value == "found":
        return None if _NOT_FOUND_STOCK.search(lowered) or _FAULT.search(lowered) else keep
    if value == "lost":
        lost = not (re.search(r"\b(?:i'?m|i am|im|got|getting)\s+$", before) or _EVENT.search(lowered)
                    or _LOST_SIGNAL.match(after))
        return keep if lost else None
    if value == "damaged":
        broke = not (re.match(r"\s+(?:it |them |the \w+ )?(?:off|at)\b", after)
                     or re.search(r"\b(?:price|prices|cost|has)\s+$", before) or _FAULT.search(lowered))
        return keep if broke else None
    if value == "used_on_job":
        clause = re.split(r"[,.;!?]", before)[-1] + spelled + re.split(r"[,.;!?]", after)[0]
        if (spelled == "used" and not used_as_verb(before, after)) or _NOT_A_JOB.search(clause):
            return None
        if spelled == "job":  # "took 2 off the truck for the kone job": what they were taken for
            return keep if re.search(r"\b(?:for|on|at)\s+(?:the|a|an|this|that|my|our|his|her|today'?s)\s+"
                                     r"(?:[\w-]+\s+){0,2}$", before) and _TOOK.search(clause) else None
        if re.search(r"\b(?:a|the|any|for a|like a)\s+$", before):
            return None
    return keep


def used_as_verb(before: str, after: str) -> bool:
    """"used 2 on the job", "used the cap", "log 2 used at …" — not "the used one", "2 used lcbs"."""
    if re.search(r"\b(?:a|the|an|any|for a|like a|is it|it's|its|is)\s+$", before):
        return False
    if _USED_OBJECT.match(after) or re.search(r"\b(?:i|we|he|she|they|just|already|have|had)\s+$", before):
        return True
    return bool(re.search(r"\d\s+$", before) and re.match(r"\s*(?:at|on|this|today|yesterday|,|$)", after))


_DATE_CUE = re.compile(r"\b(?:by|before|after|until|till|til|thru|through|since|due|starting|ending|"
                       r"next|this|week of|expires?|ends?)\s+(?:the\s+)?$")
_ON_DATE = re.compile(r"\b(?:on|for|from)\s+(?:the\s+)?$")
_WHEN_WORDS = re.compile(r"\b(?:deliver\w*|ship\w*|need\w*|due|expir\w*|end\w*|arriv\w*|come|coming|pick\w*|hold|"
                         r"back|out|off|schedul\w*|install\w*|start\w*|close\w*|open\w*|meet|available|there)\b")
_SHORT_DAYS = {"sat", "sun", "mon", "wed"}
_TRACKING_CONTEXT = re.compile(r"track|trk|fed ?ex|\bups\b|usps|\bdhl\b|ontrac|shipped|label|carrier|courier")
_TRACKING_TOKEN = re.compile(r"(?<![A-Za-z0-9])(?:\d{10,22}|\d{4}(?:[ -]\d{4}){2,4}|(?<=tracking )[A-Za-z0-9]{8,30}|"
                             r"(?<=tracking# )[A-Za-z0-9]{8,30}|(?<=tracking: )[A-Za-z0-9]{8,30}|"
                             r"(?<=tracking #)[A-Za-z0-9]{8,30}|(?<=trk )[A-Za-z0-9]{8,30})(?![A-Za-z0-9])", re.I)


def date_ok(lowered: str, start: int, end: int) -> bool:
    """Whether a date-shaped span is a day: "the 3rd" alone picks the third option, "4/5" after a seller is a
    rating, "1/2 hp" a size, "sat" a verb unless said as a day ("on sat")."""
    spelled, before, after = lowered[start:end], lowered[max(0, start - 20):start], lowered[end:end + 12]
    ordinal = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th)", spelled)
    if ordinal:
        day = int(ordinal.group(1))
        cued = _DATE_CUE.search(before) or (_ON_DATE.search(before) and _WHEN_WORDS.search(lowered))
        return 0 < day <= 31 and (day > 10 or bool(cued) or after.startswith(" of "))
    fraction = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/\d{2,4})?", spelled)
    if fraction:
        month, day = int(fraction.group(1)), int(fraction.group(2))
        if not (1 <= month <= 12 and 1 <= day <= 31) or re.match(r"\s*(?:hp|mfd|uf|in\b|inch|ton|\"|horse)", after):
            return False
        return not (day == 5 and month <= 5 and not _DATE_CUE.search(before))
    if spelled in _SHORT_DAYS:
        return bool(_DATE_CUE.search(before))
    return True


def tracking_spans(text: str) -> list[tuple[int, int]]:
    """Long numbers in a message about shipping (FedEx 12/15 digits, USPS 20–22, DHL 10) and whatever follows
    the word "tracking"."""
    if not _TRACKING_CONTEXT.search(text.lower()):
        return []
    return [(m.start(), m.end()) for m in _TRACKING_TOKEN.finditer(text)]


# "go 50 over where it's at", "20 under asking", "bump it 25", "knock 30 off": an amount relative to the price
# of the object talked about (sign +/-); "split the difference", "meet halfway": midway between two prices.
_MORE_AFTER = re.compile(r"^\s*(?:bucks|dollars)?\s*(?:over|above|more than|on top|higher than|more\b)")
_LESS_AFTER = re.compile(r"^\s*(?:bucks|dollars)?\s*(?:under|below|less than|lower than|off\b|cheaper)")
_MORE_BEFORE = re.compile(r"\b(?:another|bump(?: it| me| my bid)?(?: up)?(?: by)?|up (?:it|my bid|mine) by|"
                          r"raise (?:it |my bid |mine )?by|go up(?: by)?|add(?: on)?|extra)\s*\$?$")
_LESS_BEFORE = re.compile(r"\b(?:drop (?:it |the price )?by|lower (?:it |the price )?by|knock(?: off)?|"
                          r"take off|come down(?: by)?)\s*\$?$")
_MIDWAY = re.compile(r"\bsplit (?:the diff\w*|it down the middle|it|(?:it |the price )?in half)\b|"
                     r"\bmeet (?:me |them |him |her |em )?(?:in the middle|halfway|half way)\b|\bmiddle ground\b")


_OFF_PRICE = re.compile(r"\s*(?:bucks|dollars)?\s*off (?:the |my |our |their )?(?:price|asking|list)")


def relative_amounts(lowered: str, entities: list[Any], make: Any) -> list[Any]:
    """Amounts said relative to a price, marked ("relative", "+"/"-"/"mid") for the form to resolve against
    the object's price (dialogue/relative.py)."""
    out = []
    for e in entities:
        priced = e.entity in ("price", "number") or (e.entity == "quantity" and _OFF_PRICE.match(lowered[e.end:]))
        if priced and not any(k == "relative" for k, _ in e.extra):
            after, before = lowered[e.end:e.end + 16], lowered[max(0, e.start - 24):e.start]
            sign = "+" if _MORE_AFTER.match(after) or _MORE_BEFORE.search(before) else \
                "-" if _LESS_AFTER.match(after) or _LESS_BEFORE.search(before) else ""
            if sign and not (sign == "-" and re.search(r"\bto\s*\$?$", before)):
                e = make("price", e.value, e.start, e.end, e.text, (*e.extra, ("relative", sign)))
        out.append(e)
    stated = any(x.entity in ("price", "number") and not any(k == "relative" for k, _ in x.extra) for x in out)
    for m in [] if stated else _MIDWAY.finditer(lowered):  # "go back at 270, meet her in the middle": 270
        if not any(x.start < m.end() and m.start() < x.end for x in out):
            # zero-width at the end of the words: the classifier still reads "split the difference"
            out.append(make("price", "0", m.end(), m.end(), "", (("relative", "mid"),)))
    return sorted(out, key=lambda x: x.start)


def pattern_value(name: str, matched: str) -> str:
    """A pattern match as its entity's value: "PO# 4471" → 4471, "ord 100012" → ORD-100012."""
    if name == "tracking_number":
        return matched.strip().upper()
    if name == "order_number":
        return "ORD-" + re.sub(r"\D", "", matched)
    if name == "po_number":
        return re.sub(r"(?i)^(?:p\.?o\.?|purchase order)\s*(?:#|no\.?|number)?\s*:?\s*", "", matched.strip()).upper()
    return matched.strip()
