"""The words that tell listed items apart: the names and descriptions an item carries, and the words of a
message that use them ("the galaxy safety board one", "not buying used batts", "keep the caps tho")."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from agent.planners.local.dialogue.said import STOP, Said
from agent.planners.local.dialogue.state import Ref
from agent.planners.local.nlu.numbers import joined_ratings
from knowledge.search.query import SYNONYMS

_WORDS = ("organization_name", "seller_organization", "buyer_organization", "buyer_name", "location_name", "city",
          "responder_organization", "organization", "name", "manufacturer", "site_name", "bidder", "listing_name",
          "description", "condition", "held_by", "part_name")


def text_of(ref: Ref) -> str:
    parts = " ".join(f"{p.get('manufacturer') or ''} {p.get('name') or ''}" for p in ref.data.get("parts") or []
                     if isinstance(p, dict))
    return " ".join(str(ref.data.get(k) or "") for k in _WORDS).lower() + f" {parts.lower()} {ref.label.lower()}"


# "not the used one" points away from it; "tell metro no on the door clutch" answers about the door clutch
_REFUSED = re.compile(r"\b(?:not|no(?!\s+(?:on|to|for|thanks|thx)\b)|non|without|never|except|don'?t want|"
                      r"dont want|nothing|still needs?|keep|leave)\s+((?:[a-z0-9-]+\s*){1,3})")


def by_words(items: list[Ref], said: Said) -> list[Ref]:
    """Items whose name words the message uses ("the galaxy safety board one"): those that have the most of
    them — none when every item has as many."""
    from rapidfuzz import fuzz

    refused = as_catalog_says([w for m in _REFUSED.finditer(said.lowered) for w in m.group(1).split()])
    tokens = re.findall(r"[a-z0-9][a-z0-9-]{2,}", joined_ratings(said.lowered))
    typed = [w for w in tokens if w not in STOP]
    # a request's word in front of a name's ("metro's draft switch", "keep it a draft" not): the name's too
    leading = [(w, after) for w, after in pairwise(tokens) if w in STOP and after not in STOP]
    words = as_catalog_says(typed)
    if not words or len(items) < 2:  # words can only tell items apart, never confirm a lone one
        return []
    scores = []
    held = []
    for ref in items:
        own = set(re.findall(r"[a-z0-9][a-z0-9-]{2,}", joined_ratings(text_of(ref).replace("_", " "))))
        has = [w for w in words if any(fuzz.ratio(w, t) >= 88 for t in own)]
        held.append(has + [w for w, after in leading if w in own and after in has])
    # "not buying used batts" turns away what is used, not what every one of them is (a battery)
    refused = [w for w in refused if not all(w in has for has in held)]
    for has in held:
        # "not buying used batts" points away from the used one; a word as typed ("pvt") says more than one
        # of the catalog's words for it ("transducer", also an ultrasound probe's)
        scores.append(-1 if any(w in refused for w in has) else len(has) + sum(w in tokens for w in has))
    best = max(scores)
    if best == 0 and min(scores) < 0:  # "not the used one": the ones left
        return [item for item, score in zip(items, scores, strict=True) if score == 0]
    if best <= 0 or scores.count(best) == len(items):
        return []  # no word or every item has it: the words tell nothing apart
    return [item for item, score in zip(items, scores, strict=True) if score == best]


def as_catalog_says(words: list[str]) -> list[str]:
    """The words and the catalog's words for the trade's ("stat": thermostat, "caps": capacitor)."""
    return [*words, *(c for w in words for c in SYNONYMS.get(w, SYNONYMS.get(w.removesuffix("s"), ())))]


_CODE = re.compile(r"\b(?:[a-z]+\d|\d+[a-z])[a-z0-9-]*\b")
_MEASURE = re.compile(r"\d+(?:a|v|va|kva|w|kw|hp|k|mm|cm|in|ton|tons|lb|lbs|psi|amps?|ft|mfd|uf|st|nd|rd|th|x|pc|pcs)")


def codes_fit(ref: Ref, said: Said, models: bool = False) -> bool:
    """The model or part codes the message uses ("metros used AT400 door op") are the item's: a damper
    actuator of the same seller is not it. Measurements ("1000va", "40a"), ordinals and equipment models
    ("the kcm831 drive board") are no codes — unless `models`: a seller's own listing says what it fits."""
    fits = set() if models else {re.sub(r"[^a-z0-9]", "", str(e.get("text") or "").lower())
                                 for e in said.all("equipment_model")}
    codes = [c for c in _CODE.findall(joined_ratings(said.lowered)) if len(c) >= 4 and not _MEASURE.fullmatch(c)
             and re.sub(r"[^a-z0-9]", "", c) not in fits]  # a part fits a model its name need not say
    own = re.sub(r"[^a-z0-9]", "", text_of(ref) + str(ref.data.get("part_number") or "").lower())
    return all(re.sub(r"[^a-z0-9]", "", c) in own for c in codes)


def in_condition(ref: Ref, said_condition: dict[str, Any]) -> bool:
    """Is the item in the condition said? "used" is any used grade; "the used fair one" is that grade."""
    condition, have = str(said_condition["value"]), str(ref.data.get("condition") or "")
    exact = condition.startswith("used_") and str(said_condition.get("text") or "").lower().strip() != "used"
    return have == condition or (not exact and have.startswith(condition.split("_")[0]))


_RATING = re.compile(r"\b([a-z]{3,})\s?(\d+(?:\.\d+)?)\b")


def rated_otherwise(ref: Ref, said: Said) -> bool:
    """"the iso 68 one" is not the ISO 32 oil in focus: a rating the message gives that the object gives as
    another number."""
    own = set(_RATING.findall(text_of(ref)))
    return any((word, number) not in own and any(word == other for other, _ in own)
               for word, number in _RATING.findall(said.lowered) if word not in STOP)
