"""Intent classification: typo repair with rapidfuzz, precise rules for the clear cases, and MiniLM nearest
exemplars for paraphrases. One embedding per message (cached), so it stays within a few milliseconds."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from agent.planners.local.exemplars import EXEMPLARS
from agent.planners.local.slots import Slots, content_words
from knowledge.partnumbers import looks_like_part_number

log = logging.getLogger(__name__)
EMBEDDING_THRESHOLD = 0.55

KEYWORDS = (
    "compatible", "compatibility", "available", "availability", "inventory", "warehouse", "withdraw", "publish",
    "marketplace", "listing", "listings", "offer", "offers", "reject", "accept", "counter", "reserve",
    "emergency", "refurbished", "operator", "wanted", "watchlist", "auction", "interchangeable", "replacement",
    "compressor", "capacitor", "thermostat", "contactor", "controller", "transformer", "nearest", "closer",
    "suggest", "description", "details", "price", "watch", "stock", "supersede", "superseded", "installed",
    "equipment",
)

# Ordered: the first rule that matches decides. Each is (intent, pattern).
RULES: tuple[tuple[str, str], ...] = (
    ("other_stock", r"(\b[a-z]+'s|\btheir)\s+(internal\s+)?(stock|inventory|warehouse|shelves|trucks?|vans?)\b"
                    r"|\binternal (stock|inventory)\b|\bwhat (does|do) (?!you|i|we)\w+( \w+)? (have|keep|stock)\b"
                    r"|\bwhat(?:'s| has| have) (?!it|that|this|you|i|we)\w+( \w+)? got\b"),
    ("site_units", r"\bwhat(?:'s| is| do we have| have we got)? (?:installed|in service|on contract)\b"
                   r"|\bwhat (?:equipment|units?|elevators?|escalators?|rtus?|rooftop units?|pumps?)\b.{0,25}\b"
                   r"(?:at|in)\b|\b(?:equipment|serial numbers?) (?:at|in|for) (?:the )?\w"
                   r"|\bwhich (?:units|equipment)\b|\blist (?:the|our|my) (?:equipment|units)\b"),
    ("how_far", r"\bhow far\b|\bdistance\b|\bhow long (to|until|till|before)\b|\bwhen (can|could|will) "
                r"(i|we) (get|have|pick)\b|\beta\b"),
    ("closer", r"\b(closer|nearer)\b(?! (look|inspection))"),
    ("withdraw_offer", r"\b(withdraw|retract|pull back|take back|cancel)\b.{0,30}\boffer\b|\boffer\b.{0,20}\b"
                       r"(withdraw|retract)"),
    ("counter", r"\bcounter(\s*-?offer)?\b"),
    ("reject_offer", r"\b(reject|decline|turn (it|them|that) down|refuse)\b"),
    ("accept_offer", r"\baccept(\b|s\b)(?!.{0,10}trade)"),
    ("list_offers", r"\b(any|show|list|see|check|what|my|status|received|pending|open)\b[^$\d]{0,25}\boffers\b"
                    r"|\b(did|has) anyone (made|make|sent|send) (an|any) offer|\bofferst?\b\s*\?$"
                    r"|\boffers? (i|we) (sent|made|received|got)\b"),
    ("sell", r"\bauction (it|this|that|them|these|those|my|our|off|\d+)\b|\bup for auction\b|\b(as|make it) an "
             r"auction\b|\b(start|run|create|set up) an auction\b|\b(sell|list|post) (it|this|that|them|\d+|\w+)"
             r"( \w+)? (at|by|via|on) auction\b"),  # before "bid": "auction it, starting bid $200" is selling
    ("bid", r"\bbid\b(?!ding history)"),
    ("make_offer", r"\b(offer|offering)\b|\bbuy (it|one|them|that)\b|\b(i'?ll|we'?ll) take (it|one|them)\b"),
    ("watch", r"\b(watch|watchlist|watching|keep an eye|alert me|notify me|price alert|let me know when)\b"),
    ("browse_wanted", r"\b(any|show|list|see|browse|check|what|open)\b[^$\d]{0,25}\bwanted (posts?|requests?|ads?)\b"
                      r"(?! for (\d|a |an |it\b|one\b))"
                      r"|\bwhat (are|is) (people|anyone|the network|other shops|customers) "
                      r"(looking for|asking for|after)\b"
                      r"|\bwho (needs|is looking for|wants) (parts|stuff|anything)\b"),
    ("wanted", r"\bwanted\b|\biso\b|\bin search of\b|\bpost (that|a request|a need)|\btell the (network|market)\b"
               r"|\bask the (network|market)\b"),
    ("publish", r"\b(publish|go live|make it live|put it live|activate the (draft|listing))\b"),
    ("sell", r"\b(sell|selling it|list (it|this|them|my|our|a|an|\d)|create (a )?listing|new listing|"
             r"post a listing|put (it|this|them) (up )?(on|for) (the )?(marketplace|sale)|draft a listing)\b"),
    ("market_search", r"\b(marketplace|listings?|for sale|auctions?|who(?:'s| is) selling|anyone selling|"
                      r"on the market|out there)\b"),
    ("suggest_price", r"\bwhat (should|can|could) (i|we) (charge|ask|sell|list|get)\b|\bworth\b|"
                      r"\bsuggest(ed)? (a )?price\b|\bwhat price should\b|\bgoing (price|rate)\b|"
                      r"\bmarket value\b|\btypical price\b|\bwhat do(es)? (they|it|one|these) (go|sell) for\b"
                      r"|\bwhat(?:'s| is| does| do)\b[^?]{0,40}\b(go|sell)s? for\b"),
    ("price_check", r"\b(fair|good price|good deal|rip ?off|ripping|too (much|high|expensive)|overpriced|"
                    r"reasonable|market price|decent price|price ok)\b"
                    r"|\$?\d[\d,.]*k?\s+(ok|okay|alright|a good (price|deal))\b"),
    ("price_info", r"\b(cheaper|cheapest|lower price|less expensive)\b|"
                   r"\bhow much\b|\bwhat does (it|that|this|one) cost\b|\bcost\b|^\s*price\??\s*$|"
                   r"\bwhat'?s the price\b|\bwhat do they want\b"),
    ("hold", r"\b(hold|reserve|set aside|put (one|it|them) aside|save (it|one|them)|book it)\b"),
    ("compat", r"\b(compatible|compatibility|fit|fits|work (with|on|in)|works (with|on|in)|interchangeable|"
               r"right one for|"
               r"go(es)? on (a|an|the|my|our)|swap (it )?in)\b"),
    ("details", r"\b(what replaced|replaced (it|that|this|by)|what replaces|superseded by|newer (number|version)|"
                r"current number|still (made|current|available from the factory)|discontinued)\b"),
    ("source", r"\b(down|emergency|trapped|stuck|out of service|urgent(ly)?|"
               r"where|who has|who's got|in stock|get (one|it|them|this|that)|nearest|available|availability|"
               r"pick (one|it|them) up|find (one|it)|source|in hand|fastest|on a truck|today|asap)\b"),
    ("find_part", r"\b(need|needs|looking for|look up|lookup|find|search|what is|what's|which|identify|"
                  r"replacement for|superseded?|part number)\b"),
    ("details", r"\b(more (info|details|about)|tell me more|description|details|who(?:'s| is) the seller)\b"),
    ("thanks", r"^\s*((ok(ay)?|great|perfect|cool|awesome),? )?(thanks|thank you|thx|cheers|appreciate it|bye|"
               r"goodbye)\b"),
    ("help", r"^\s*(help|\?|what can you do|how does this work)\s*\??\s*$"),
    ("greet", r"^\s*(hi|hello|hey|good (morning|afternoon|evening)|yo)\b[\s!.]*$"),
)
_COMPILED = tuple((intent, re.compile(pattern, re.IGNORECASE)) for intent, pattern in RULES)


@dataclass(frozen=True)
class Classified:
    intent: str
    score: float
    source: str  # rule | embedding | slots | fallback


def repair_typos(text: str) -> str:
    """Replace misspelt trade keywords ("compatable", "avialable") with the spelling the rules expect."""
    words = text.split()
    out: list[str] = []
    for word in words:
        core = word.strip(",.?!;:").lower()
        if len(core) >= 5 and core.isalpha() and core not in KEYWORDS and not looks_like_part_number(core):
            hit = process.extractOne(core, KEYWORDS, scorer=fuzz.ratio, score_cutoff=84)
            if hit is not None:
                word = word.lower().replace(core, hit[0])
        out.append(word)
    return " ".join(out)


@lru_cache(maxsize=1)
def _exemplar_matrix() -> tuple[np.ndarray, tuple[str, ...]]:
    from knowledge.embeddings import embed_query

    labels: list[str] = []
    vectors: list[list[float]] = []
    for intent, examples in EXEMPLARS.items():
        for example in examples:
            labels.append(intent)
            vectors.append(embed_query(example))
    return np.asarray(vectors, dtype=np.float32), tuple(labels)


def nearest_intent(text: str) -> tuple[str, float]:
    """The exemplar intent closest in meaning, with its cosine similarity."""
    from knowledge.embeddings import embed_query

    matrix, labels = _exemplar_matrix()
    vector = np.asarray(embed_query(text), dtype=np.float32)
    sims = matrix @ vector
    best = int(np.argmax(sims))
    return labels[best], float(sims[best])


def warm_up() -> None:
    """Load the encoder and embed the exemplars once, so later turns only embed their own message."""
    try:
        _exemplar_matrix()
    except Exception:  # without the encoder the rules still classify
        log.exception("intent exemplars could not be embedded")


def rule_intent(text: str) -> str | None:
    for intent, pattern in _COMPILED:
        if pattern.search(text):
            return intent
    return None


def classify(text: str, slots: Slots) -> Classified:
    repaired = repair_typos(text)
    intent = rule_intent(repaired)
    if intent is not None:
        return Classified(_refine(intent, repaired, slots), 1.0, "rule")
    if slots.ordinal is not None or slots.bare_number is not None:
        return Classified("select", 0.9, "slots")
    if (slots.yes or slots.no) and len(repaired.split()) <= 3:
        return Classified("decline" if slots.no else "ack", 0.9, "slots")
    if not repaired.strip():
        return Classified("unknown", 0.0, "fallback")
    numbers = "".join(slots.part_numbers)
    rest = [w for w in repaired.split() if w.strip(",.?!").upper() not in numbers]
    if slots.part_numbers and len(rest) <= 2:
        return Classified("find_part", 0.9, "slots")
    try:
        label, score = nearest_intent(repaired)
    except Exception:  # the encoder is an optimisation of understanding, never a reason to fail a turn
        log.exception("intent embedding failed")
        label, score = "unknown", 0.0
    if score >= EMBEDDING_THRESHOLD:
        return Classified(_refine(label, repaired, slots), score, "embedding")
    if slots.part_numbers or slots.equipment:
        return Classified("find_part", 0.6, "slots")
    if len(content_words(repaired)) >= 1:
        return Classified("find_part", 0.3, "fallback")
    return Classified("unknown", score, "fallback")


def _refine(intent: str, text: str, slots: Slots) -> str:
    """Rules that depend on more than one cue."""
    lowered = text.lower()
    if intent == "source" and slots.closer:
        return "closer"
    if intent in ("find_part", "source", "details") and slots.closer and not slots.part_numbers:
        return "closer"
    if intent == "find_part" and (slots.emergency or re.search(r"\b(where|who has|in stock)\b", lowered)):
        return "source"
    if intent == "make_offer" and re.search(r"\b(any|show|status)\b.*\boffers\b", lowered):
        return "list_offers"
    if intent == "sell" and re.search(r"\b(show|list) (my|our) (offers|listings)\b", lowered):
        return "list_offers" if "offers" in lowered else "market_search"
    if intent == "market_search" and re.search(r"\b(i want to|i'd like to|help me) (sell|list)\b", lowered):
        return "sell"
    if intent == "hold" and re.search(r"\bon hold\b", lowered):
        return "source"
    if intent == "compat" and re.search(r"\b(need|looking for|find|what|which)\b", lowered) and not re.search(
            r"\b(is it|does it|will it|would it|is that|does that|will that|is this|does this)\b", lowered) \
            and not slots.part_numbers:
        return "find_part"
    return intent
