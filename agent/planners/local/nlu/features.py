"""What the intent classifier sees of a message: the text with entities replaced by their type (so "offer
400 on GAA26800LC1" and "offer 350 on KM713160G01" look alike), words after a negation marked as negated,
and markers for negation and deferral — so "not yet", "no need to reserve it" and "keep it a draft for
now" are features the model weighs, not rules that override it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

# Entity types that say what is talked about, not what is wanted: replaced by their type.
MASKED = {"part_number": "partno", "price": "money", "quantity": "qty", "choice": "pick", "number": "num",
          "equipment_model": "model", "manufacturer": "maker", "organization": "company", "person": "someone",
          "site": "site", "city": "town", "date": "day", "tracking_number": "trackno", "rating": "stars",
          "distance": "dist", "hours": "hrs", "days": "ndays"}
# How the sentence encoder reads a masked entity (natural words keep the embedding meaningful).
SPOKEN = {"partno": "the part", "money": "$100", "qty": "2", "pick": "the second", "num": "100", "model": "the unit",
          "maker": "otis", "company": "apex", "someone": "ben", "site": "the hotel", "town": "denver",
          "day": "monday", "trackno": "1z12345", "stars": "5 stars", "dist": "50 miles", "hrs": "4 hours",
          "ndays": "7 days"}
_NEGATORS = re.compile(r"^(?:not|no|nope|nah|never|dont|don't|do not|doesnt|doesn't|didnt|didn't|wont|won't|cant|"
                       r"can't|cannot|isnt|isn't|aint|ain't|without|neither|nor|stop|n't|shouldnt|shouldn't|"
                       r"wouldnt|wouldn't|arent|aren't|nothing|none)$")
_DEFERRAL = re.compile(r"\b(?:not (?:yet|now|today|right now)|for now|hold off|later|"
                       r"wait(?:ing)? (?:on|for|till|until)|till|until|next week|tomorrow|monday|tuesday|wednesday|"
                       r"thursday|friday|another time|"
                       r"(?:keep|leave) it (?:as )?(?:a )?draft|as a draft|in draft|park it|on ice|sit on it|"
                       r"hang on|give me a (?:sec|min|minute)|not ready)\b")
# Emoji that answer for words: read as those words by every feature (the encoder does not know them).
EMOJI = {"👍": "yes", "👌": "ok", "✅": "yes", "✔️": "yes", "✔": "yes", "☑️": "yes", "💯": "yes", "🙌": "yes",
         "👎": "no", "❌": "no", "✖️": "no", "🚫": "no", "🛑": "stop", "👋": "hi", "🙏": "thanks",
         "🤝": "deal", "🚚": "truck", "📦": "package", "💲": "$", "💰": "cash", "⏰": "time", "🔥": "urgent"}
_EMOJI = re.compile("|".join(sorted(map(re.escape, EMOJI), key=len, reverse=True)))
_CLAUSE_END = re.compile(r"^[,.;!?]+$|^(?:but|and|so|then|because|cause|cuz)$")
_TOKEN = re.compile(r"[a-z0-9$#][a-z0-9'$#./-]*|[,.;!?]+|[^\sa-z0-9]", re.IGNORECASE)


class Span(Protocol):
    """An entity found in a message or annotated in an example."""

    @property
    def entity(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_KIND_AFTER = re.compile(r"\s*(?:only|listings?|ones?|price|prices|items?|deals?)\b")
_KIND_BEFORE = re.compile(r"\b(?:the|a|an|no|any|only)\s+$")


# "the iso 68 one": a grade (of oil, of a standard) followed by its number, not the trade's "ISO" (a wanted post)
_GRADE = re.compile(r"\biso(?=\s*(?:vg\s*)?(?:\d|\s(?:num|qty|money)\b))")


def masked(text: str, entities: Sequence[Span]) -> str:
    """Lower-cased text with the masked entity types replaced by their type word."""
    out, pos = [], 0
    lowered = text.lower()
    for entity in sorted(entities, key=lambda e: e.start):
        word = MASKED.get(entity.entity)
        if entity.entity == "listing_type" and lowered[entity.start:entity.end].startswith("buy") and (
                _KIND_AFTER.match(lowered, entity.end) or _KIND_BEFORE.search(lowered, 0, entity.start)):
            word = "sale listing"  # "buy it now only, cheapest first" names a kind of listing, it buys nothing
        if word is None or entity.start < pos:
            continue
        out.append(lowered[pos:entity.start])
        out.append(f" {word} ")
        pos = entity.end
    out.append(lowered[pos:])
    text = _GRADE.sub("grade", "".join(out))
    return re.sub(r"\s+", " ", _EMOJI.sub(lambda m: f" {EMOJI[m.group(0)]} ", text)).strip()


def spoken(masked_text: str) -> str:
    """The masked text as the sentence encoder should read it."""
    return " ".join(SPOKEN.get(word, word) for word in masked_text.split())


def word_features(masked_text: str) -> str:
    """Tokens with negation scope marked ("dont publish yet" → "dont NEG_publish NEG_yet") and markers
    __neg__ / __defer__ / __question__ / __short__ appended."""
    tokens = _TOKEN.findall(masked_text)
    out: list[str] = []
    scope = 0
    negated = False
    for token in tokens:
        if _CLAUSE_END.match(token):
            scope = 0
            out.append(token)
            continue
        if _NEGATORS.match(token) or token.endswith("n't"):
            negated = True
            scope = 3
            out.append(token)
            continue
        out.append(f"neg_{token}" if scope > 0 else token)
        scope = max(0, scope - 1)
    markers = []
    if negated:
        markers.append("__neg__")
    if _DEFERRAL.search(masked_text):
        markers.append("__defer__")
    if "?" in masked_text or re.match(r"^(?:what|where|who|how|is|are|does|do|can|any|will|which|when)\b",
                                      masked_text):
        markers.append("__question__")
    if len(tokens) <= 3:
        markers.append("__short__")
    return " ".join(out + markers)
