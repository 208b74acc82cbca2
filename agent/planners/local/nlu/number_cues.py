"""The words around a number that say which slot it fills (numbers.py): units of measure after it, money,
count and choice words before it, and what the whole message is about (money, a stock count, a rating)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from agent.planners.local.nlu.spelling import CONTRACTIONS

Say = Callable[..., Any]


def _any(*fragments: str) -> str:
    return "(?:" + "|".join(fragments) + ")"


_MONEY_WORDS = re.compile(r"\$|\b" + _any(
    r"price[sd]?\b", "cost", "offer", "counter", "bid", "pay", r"fair\b", r"deal\b", r"worth\b", "charge",
    r"ask(?:ing)?\b", "budget", "cheap", "expensive", r"bucks\b", r"dollars?\b", "quote", "ripoff", "rip off",
    r"max\b", r"under\b", r"below\b", r"starting bid\b", r"apiece\b", r"each\b", r"ea\b", "lowball", r"grand\b",
    r"steep\b", "compare", r"market\b", r"too (?:high|much|low)\b", "knock", "discount"), re.IGNORECASE)
_PRICED = re.compile(r"\$\s?\d|\d\s?k\b|\d\s*(?:ea|each|apiece|bucks|dollars)\b|\b(?:at|for|offer|counter)\s+\$?\d{3,}")
_STOCK = re.compile(r"\b(?:stock|inventory|count|recount|qty|quantity|on hand|shelf|bin|should be|actually have|"
                    r"really have|only have|correction|fix it|zero|subtract|add|write off|take (?:it|them|one) off)\b")
# "4/5" is a rating, "a 40/5 cap" a capacitor's microfarads
_RATING = re.compile(r"\b(?:rat(?:e|ed|ing)|review(?:ed)?|feedback|stars?|score)\b|⭐|★|out of 5|"
                     r"(?<![\d.])[1-5](?:\.5)?\s?/\s?5\b|\bgets? (?:a |an )?[1-5]\b|\bgive (?:\w+ )?(?:a |an )[1-5]\b")
_DEAL = re.compile(r"\b(?:accept|reject|decline|take it|deal|pass on|no way|lowball|sold|sell|buy|bought|paid|"
                   r"for it|fine|works)\b")
_SHIPPING = re.compile(r"track|trk|fed ?ex|\bups\b|usps|\bdhl\b|ontrac|label")
FILLER = re.compile(r"\b(?:pls|please|plz|thanks|thx|ty|ok|okay|lets go with|let's go with|go with|i'?ll take|ill take|"
                    r"take|pick|choose|the|number|option|that|yes|yeah|yep|sure|how about|maybe|hmm|um|uh|lol|"
                    r"i guess|i think|one|just)\b")
CHOICE_BEFORE = re.compile(r"(?:\b(?:number|no\.|nr\.?|num|option|opt|choice|item|line|result|lot|response|reply|"
                           r"pick)|(?:listing|order|post|bid|offer|hold)\s*#)\s*#?\s*$")
PICK_BEFORE = re.compile(r"\b(?:go with|going with|pick|take|grab|choose|lets do|let's do)\s*(?:the|number|#)?\s*$")
MONEY_AFTER = re.compile(r"^\s*(?:bucks|dollars|dollar|usd|each|ea\b|apiece|a piece|per unit|a unit|/ea|per\b|a pop|"
                         r"total|even|flat|obo|firm|or best|shipped|is (?:too )?(?:fine|ok|okay|good|fair|high|low|"
                         r"steep|reasonable|a lot)|too (?:high|much|low))\b", re.IGNORECASE)
_MONEY_BEFORE = re.compile(_any(
    r"offer(?:ing|ed)?", r"counter(?:ed)?(?:\s+(?:at|with|of|for))?", r"bid(?:ding)?",
    r"price[sd]?(?:\s+(?:it|of|is|at|to))?", "asking", r"ask(?:ing)?(?:\s+for)?", "charge", r"pay(?:ing)?", "paid",
    "under", "below", "over", r"max(?:imum)?(?:\s+of)?", r"budget(?:\s+of|\s+is)?", "up to",
    r"drops?(?:\s+(?:to|below|under))?", "make it", "change (?:it |that |the price )?to", "how about",
    r"raise(?:\s+(?:it|my bid))?(?:\s+to)?", r"lower(?:\s+it)?(?:\s+to)?", r"alert(?:\s+me)?(?:\s+(?:at|below|under))?",
    "for", "at", "around", "about", "is", "was", r"quoted(?:\s+me)?", "wants?", "takes?", "took", "try",
    r"sell(?:\s+it)?(?:\s+for)?", r"list(?:\s+it)?(?:\s+(?:at|for))?", r"listed(?:\s+(?:at|for))?", r"go(?:\s+to)?",
    "tell (?:him|her|them)", "do", "costs?", "worth", "than", "only", "just", "like", r"approx\.?", "~",
    r"cap(?:ped)?(?:\s+at)?", r"ceiling(?:\s+of)?", r"limit(?:\s+of)?", "no more than", "not over", "less than",
    "more than", "least", r"starting(?:\s+bid)?(?:\s+(?:of|at))?", r"start(?:ing)?(?:\s+(?:it|at|the bid at))?",
    r"open(?:ing)?(?:\s+(?:it|at|bid))?(?:\s+at)?", "threshold", r"meet (?:\w+ )?(?:at|in the middle at)", "put in",
    "another", r"(?:send|come|go) back(?:\s+(?:at|with))?", "give", "giving", "gave",
    r"(?:accept|reject|decline)(?:\s+the)?",
    r"(?:bump|drop|raise|lower|set|move|up|put)\s+(?:it|that|the price|the ask)\s+(?:to|at)",
    "reserve(?: price)? (?:to|of|at|is)") + r"\s*$", re.IGNORECASE)
# "raise the 59313150 draft to 4400": a new amount for something already priced.
REPRICE = re.compile(r"\b(?:raise|lower|drop|bump|knock|bring|reprice|change|set|update|up)\b[^,.;]{0,30}\bto\s*$")
_RESERVE_PRICE = re.compile(r"reserve(?:\s+(?:price|of|at|is))*\s*$")
UNIT_AFTER = re.compile(r"^\s*(?:x\b|units?\b|pcs?\b|pieces?\b|of (?:them|those|these|it|em|'em|the|our|my|\d+|"
                        r"two|three|four|five|six)\b|more\b|in stock\b|on hand\b|left\b|spares?\b|extra\b|"
                        r"total units\b|qty\b)", re.IGNORECASE)
COUNT_FIELD = re.compile(r"\b(?:qty|quantity|count|units)\b[^.,;!?\d]{0,14}?(?:to|is|=|:|at|of|should be)?\s*$")
STOCK_BEFORE = re.compile(r"(?:should be|has|have|is|are|says|shows|show|to|now|got|there'?s|theres|it'?s|only|of|by|"
                          r"really|actually)\s*$")
QTY_BEFORE = re.compile(r"\b" + _any(
    "qty", "quantity", "x", "needs?", "wants?", "have", "has", "got", "list", "listing", "sell", "selling", "auction",
    "hold", "holding", "reserve", "buy", "order", "ordering", "move", "moving", "transfer", "send", "ship", "shipped",
    "received", "used", "use", "grab", "aside", "keep", "make (?:it|that)", "actually", "only", "just",
    "of(?: the| those| these)?",
    "subtract", "add", "remove", "take", "taking", "pull", "put", "load", "returned", "return", "write off", "mark",
    "log", "installed", "stash", "bump", "delivered", "lost", "missing", "short", "all", "throw", "toss", "stick",
    "(?:release|cancel|drop|free up) (?:the|those|these)") + r"\s*:?\s*$", re.IGNORECASE)
_ONE_BEFORE = re.compile(r"\b" + _any(
    "hold", "reserve", "set", "stash", "keep", "save", "damaged", "broke", "broken", "doa", "send", "load", "take",
    "lost", "short", "grab", "move", "put", "transfer", "ship", "sell", "list", "used", r"install(?:ed)?", "pull",
    "remove", "subtract", "add", "mark", "write off", "log", "just", "only", "qty", "(?:found|got|have) another")
    + r"\s*$")
HOURS_AFTER = re.compile(r"^\s*(?:more |extra |additional )?(?:h|hr|hrs|hour|hours)\b", re.IGNORECASE)
DAYS_AFTER = re.compile(r"^\s*(?:more |extra |additional )?(?:d|day|days)\b|^\s*-\s*day\b", re.IGNORECASE)
WEEKS_AFTER = re.compile(r"^\s*-?\s*(?:more |extra |additional )?(?:wk|wks|week|weeks)\b", re.IGNORECASE)
RATING_AFTER = re.compile(r"^\s*(?:stars?\b|/\s?5\b|out of (?:5|five)\b|\*|⭐|★)", re.IGNORECASE)
DISTANCE_AFTER = re.compile(r"^\s*(?P<unit>mi|mile|miles|km|kms|kilometers?|kilometres?)\b", re.IGNORECASE)
SERVICE_LEVEL = re.compile(r"\b(?:fedex|fed ex|ups|usps|dhl|ontrac|next|ground|air|priority)\s*$")
MEASURE_AFTER = re.compile(
    r"^\s*-?\s*(?:tons?\b|amps?\b|vac\b|vdc\b|volts?\b|hp\b|rpm\b|psi\b|poles?\b|beams?\b|fpm\b|"
    r"in(?:ch(?:es)?)?\b(?!\s+(?:stock|the|my|our|a|an|his|her|their|this|that|those|it|there|each|total|transit|"
    r"hand|all|\w+'s)\b)|\"|ft\b|feet\b|foot\b|mm\b|cm\b|mfd\b|uf\b|ph\b|phase\b|gpm\b|cfm\b|btu\b|lbs?\b|kg\b|kw\b|"
    r"watts?\b|hz\b|secs?\b|seconds?\b|mins?\b|minutes?\b|months?\b|mos?\b|years?\b|yrs?\b|tries\b|times\b|floors?\b|"
    r"stops?\b|stor(?:y|ies)\b|%|percent\b|deg\b|degrees?\b|°|ohms?\b|cycles?\b|pm\b|am\b|o'?clock\b|gal\b|"
    r"gallons?\b|mbh\b|seer\b|kva\b|ma\b|ms\b|ml\b|bar\b|pounds?\b|pins?\b|wires?\b|conductors?\b|celsius\b|fahrenheit\b|c\b|f\b)",
    re.IGNORECASE)
# An amount said with what makes it money ("the 300 offer", "300 reasonable?", "900 is fine").
MONEY_NOUN_AFTER = re.compile(r"^\s*(?:offer|bid|counter|price|quote|deal|asking|ask|reserve|minimum|min|floor|"
                              r"(?:is\s+)?(?:too\s+)?"
                              r"(?:reasonable|fair|high|low|steep|cheap|much|expensive|ok|okay|good|fine|"
                              r"a good (?:price|deal)))\b")
NOT_A_COUNT_BEFORE = re.compile(r"\b(?:car|cars|unit|floor|floors|level|tower|bay|dock|suite|room|gen|series|type|"
                                r"class|model|rev|version|ver|step|stage|zone|circuit|hwy|highway|interstate|route|"
                                r"exit|code|error|fault|alarm|err|landing|hall|elevator|escalator|chiller|rtu|"
                                r"ahu|pump|bed|channel|port|slot|relay|phase|sheet|page|rule|section|out of|"
                                r"merv|size|grade|schedule|sch|awg|gauge|nema|ip|cat)\s*#?\s*$")
_COMING = re.compile(r"\b(?:be (?:there|here|at|by)|come by|swing by|stop by|pick (?:it |them )?up|get there|"
                     r"i'?ll be|ill be|meet|call (?:me|you)|head(?:ing)? over)\b")
_NOT_THING = {"and", "or", "but", "to", "for", "at", "on", "is", "it", "if", "so", "then", "in", "with", "from", "by",
              "of", "the", "a", "an", "per", "plus", "k", "please", "pls", "thanks", "ok", "tops", "max", "would",
              "will", "sound", "sounds", "work", "works", "which", "that", "was", "are", "were", "be", "i", "we",
              "you", "they", "he", "she", "me", "us", "them", "high", "low", "fine", "good", "great", "fair", "too",
              "steep", "cheap", "firm", "shipped", "total", "even", "flat", "obo", "seems", "right", "now", "today",
              "tomorrow", "not", "instead", "rather", "vs", "lol", "thx", "each", "ea", "apiece", "should", "could",
              "can", "might", "plz", "okay", "yet", "last", "this", "next", "after", "before", "till",
              "until", "when", "where", "what", "how", "why", "left", "more", "less", "down", "up", "off", "out",
              "over", "under", "just", "only", "still", "bucks", "dollars", "usd", "has", "have", "had", "do", "does",
              "did", "said", "says", "no", "yes", "yeah", "yep", "nah", "all", "as", "about", "around", "compare",
              "compares", "look", "looks", "feel", "feels"}
# English function words ("see if they bite", "though", "since") are not what is being counted; the few nouns
# among them can be ("2 parts", "the top one") and stay things.
_NOT_THING |= CONTRACTIONS | {"won't", "wont", "ain't", "aint", "get", "gets", "getting"}
_NOT_THING |= set(ENGLISH_STOP_WORDS) - {"part", "system", "bill", "fire", "mill", "side", "top", "bottom", "front",
                                         "detail", "name", "amount", "interest", "other", "others", "another"}


@dataclass(frozen=True)
class Context:
    """What the whole message is about."""

    money: bool
    priced: bool  # an explicit price is in it ($, k, "each")
    how_much: bool
    stock: bool
    rating: bool
    deal: bool  # about a deal being made ("accept", "reject", "lowball"), so a bare amount is money
    auction: bool  # about an auction: "reserve 2500" is its reserve price, not 2500 units set aside

    @classmethod
    def of(cls, lowered: str) -> Context:
        return cls(bool(_MONEY_WORDS.search(lowered)), bool(_PRICED.search(lowered)),
                   bool(re.search(r"how much|\bprice|\bcost|\bquote|\bfair\b", lowered)),
                   bool(_STOCK.search(lowered)), bool(_RATING.search(lowered)),
                   bool(_DEAL.search(lowered)) and not _SHIPPING.search(lowered),
                   bool(re.search(r"\bauction|\bbid|\bstart(?:ing)? (?:it |the bid )?at\b", lowered)))


def next_is_thing(after: str) -> bool:
    """"2 lcbs", "3 used", "2 GAA…": a count of things follows (a noun or a condition, not a unit of money)."""
    word = re.match(r"^\s*([a-z][a-z'-]+)", after)
    if not word:
        return bool(re.match(r"^\s*[a-z]{0,4}\d", after))  # a part number follows
    return word.group(1) not in _NOT_THING


def money_before(before: str, ctx: Context) -> bool:
    if _RESERVE_PRICE.search(before):
        return bool(re.search(r"auction|bid|reserve (?:price|of|at|is)", before)) or ctx.money or ctx.auction
    return bool(_MONEY_BEFORE.search(before))


def time_of_day(before: str, after: str) -> bool:
    if re.match(r"^\s*(?:pm|am|p\.m|a\.m|o'?clock|ish)\b", after):
        return True
    if re.search(r"\b(?:till|until|til)\s*$", before):
        return True
    return bool(re.search(r"\b(?:around|about|by|at|after|before)\s*$", before) and _COMING.search(before))


def year_like(amount: Any, before: str) -> bool:
    return 1980 <= amount <= 2040 and bool(re.search(r"\b(?:year|since|from|in|built|installed|model|of)\s*$", before))


def ordinal_is_choice(word: str, lowered: str, start: int, end: int) -> bool:
    before, after = lowered[max(0, start - 20):start], lowered[end:end + 25]
    if word == "second" and re.match(r"[ -]?hand|\s+(?:time|thought|opinion|look|guess)", after):
        return False
    if word == "first" and re.match(r"\s+(?:thing|time|of all|off|come|then)", after):
        return False
    if word in ("top", "bottom", "last"):
        return bool(re.match(r"\s+(?:one|option|result|listing|choice|reply|response|post|item)", after))
    if re.match(r"\s*(?:one|option|opt|result|listing|offer|choice|reply|response|post|bid|hold|item|seller|link|pick|"
                r"down|on the list)\b", after):
        return True
    if re.search(r"\b(?:the|take|pick|go with|grab|want|choose|number|no\.?)\s*$", before):
        return True
    rest = (lowered[:start] + " " + lowered[end:]).strip()
    return not FILLER.sub("", rest).strip(" ,.!?")


def word_role(word: str, lowered: str, start: int, end: int, ctx: Context) -> str | None:
    """The slot a number word fills, or None ("part arrived in one piece", "the used one")."""
    before, after = lowered[max(0, start - 30):start], lowered[end:end + 25]
    if word in ("one", "two", "three", "four", "five") and (RATING_AFTER.match(after) or (ctx.rating and re.search(
            r"\b(?:rate|rated|give|gives|gets?|rating|review)\b[^,.;]{0,14}$", before))):
        return "rating"
    if WEEKS_AFTER.match(after) and word in ("one", "two", "three", "four"):
        return "days"
    if NOT_A_COUNT_BEFORE.search(before):
        return None
    if re.search(r"\b(?:the|a|an|that|this|which|every|each|any|no|other)\s+(?:(?:used|new|refurb\w*)\s+)?$", before):
        return None
    if word == "one":
        if re.match(r"\s+(?:of (?:the|your|their|those)|piece|more time|sec|second|min|minute|day|way|thing|"
                    r"elsewhere|somewhere else|last)\b", after):
            return None
        if _ONE_BEFORE.search(before) or (re.search(r"(?:^|[,.;!?]\s*)$", before) and re.match(
                r"\s+(?:got|is|was|broke|went|fell|came|more|of (?:them|those|these)|of em)\b", after)):
            return "quantity"
        return None
    if word == "both":
        counted = re.match(r"\s+(?:of (?:them|those|these|the|em)|units)\b", after) or QTY_BEFORE.search(before) \
            or (re.search(r"\bfor\s+$", before) and ctx.money) \
            or (next_is_thing(after) and re.match(r"(?:\s+\S+){0,3}?\s+[a-z]+s\b", after))  # "both 20mfd caps"
        return "quantity" if counted else None
    if UNIT_AFTER.match(after) or next_is_thing(after) or QTY_BEFORE.search(before) or _ONE_BEFORE.search(before):
        return "quantity" if not MEASURE_AFTER.match(after) else None
    return None


_AFTER_MAKER = re.compile(r"\s+(\d{2,4}[a-z]{0,2})\b(?!\s*(?:-|/|%|tons?\b|amps?\b|a\b|v\b|vac\b|hp\b|psi\b|lbs?\b|"
                          r"ft\b|each\b|ea\b|bucks\b|dollars\b|max\b|tops\b|obo\b|firm\b|or less\b))", re.IGNORECASE)


def model_numbers(text: str, maker_ends: list[int]) -> list[tuple[int, int]]:
    """"fluke 87", "fluke 117": a number right after a maker's name is its model, not a price or a count."""
    found = (_AFTER_MAKER.match(text, end) for end in maker_ends)
    return [(m.start(1), m.end(1)) for m in found if m]
