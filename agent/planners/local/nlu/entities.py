"""Entity extraction: part numbers by their shape, equipment models and manufacturers from the catalog's
vocabulary, names from the lookup tables (organizations, people, sites, stock locations, cities),
synonyms for the canonical-valued entities, dates and tracking numbers by pattern, and numbers by the
slot the sentence gives them. Overlaps go to the longer span."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from agent.planners.local.nlu import cues, names
from agent.planners.local.nlu import lexicon as lx
from agent.planners.local.nlu.models import ModelSpotter
from agent.planners.local.nlu.number_cues import model_numbers
from agent.planners.local.nlu.numbers import WORD_NUMBERS, number_mentions
from knowledge.lookups import LookupTables
from knowledge.partnumbers import looks_like_part_number, normalize_part_number
from knowledge.search.vocabulary import Vocabulary

_REFRIGERANT = re.compile(r"^R-?\d{2,3}[A-Z]?$", re.IGNORECASE)
_RATING = re.compile(r"^\d+(?:[./-]\d+)*(v|vac|vdc|a|amp|amps|hp|kw|w|hz|mfd|uf|rpm|ppr|mm|in|ft|lb|lbs|kg|ton|tons|"
                     r"ph|psi|gpm|fpm|k|km|mi|st|nd|rd|th|x|hrs?|h|pm|am|ea|pcs|mins?|yrs?|va|kva|%)$", re.IGNORECASE)
# Ranges, fault codes and road names: "208-230", "0-500", "E-04", "i-25", "10-4".
_SHORT_CODE = re.compile(r"^(?:\d{1,4}[-/]\d{1,4}|[A-Za-z]{1,2}-?\d{1,3})$")
_SPACED = re.compile(r"\b([A-Za-z]{2,4})[\s-]+(\d{3,6})[\s-]+([A-Za-z]{1,3}\d{1,2})\b")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/]*[A-Za-z0-9]|[A-Za-z0-9]")
_MONEYISH = re.compile(r"^\d+(?:\.\d+)?k?$", re.IGNORECASE)
_NEW_NOT_CONDITION = re.compile(r"new (?:listings?|offers?|posts?|wanted|holds?|number|one for me|york|mexico|jersey|"
                                r"bids?|orders?|isos?|parameters?|messages?|responses?|repl(?:y|ies)|here|"
                                r"alerts?|customers?|guy|tech|account|job|to)\b|"
                                r"(?:what'?s|anything|something|whats) new|new to|newer", re.IGNORECASE)
_NUMBERED_VEHICLE = re.compile(r"\b(truck|van)\s*#?\s*0?(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b")
_THEIR_VEHICLE = re.compile(r"\b(?:his|her|their)\s+(truck|van)\b")
# "wo 55120", "po# 88123", "ticket 40412": a reference number, not a part
_REFERENCE = re.compile(r"(?:\bwo|\bw/o|work order|\bpo|purchase order|ticket|invoice|\bref|\bcase|job\s*#|order\s*#)"
                        r"\s*(?:#|no\.?|number)?\s*$", re.IGNORECASE)
_OFFER_CONTEXT = re.compile(r"offer|bid|counter|lowball", re.IGNORECASE)


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    start: int
    end: int
    text: str
    extra: tuple[tuple[str, str], ...] = ()

    def get(self, key: str) -> str | None:
        return dict(self.extra).get(key)


class EntityExtractor:
    """Built once per lookup tables and vocabulary (the planner keeps one)."""

    def __init__(self, tables: LookupTables | None, vocab: Vocabulary | None) -> None:
        self.tables, self.vocab = tables, vocab
        self.lexicon = lx.build_lexicon(tables) if tables is not None else _synonym_lexicon()
        self._models = ModelSpotter(vocab) if vocab is not None else None

    def extract(self, text: str, organization: str | None = None) -> list[Entity]:
        lowered = text.lower()
        found: list[Entity] = []
        for name, patterns in lx.regexes().items():
            for pattern in patterns:
                for m in pattern.finditer(text):
                    if name == "date" and not cues.date_ok(lowered, m.start(), m.end()):
                        continue
                    found.append(Entity(name, cues.pattern_value(name, m.group(0)), m.start(), m.end(), m.group(0)))
        for start, end in cues.tracking_spans(text):
            number = re.sub(r"[\s-]", "", text[start:end]).upper()  # "7712 3344 9081" as the carrier prints it
            found.append(Entity("tracking_number", number, start, end, text[start:end]))
        catalog = self._catalog_numbers(text)  # "MCE-SN-2671" is a part number before "MCE" is a maker
        found += catalog + [e for e in self._models_and_makers(text, lowered)
                            if not any(c.start <= e.start and e.end <= c.end for c in catalog)]
        found += self._part_numbers(text, [(e.start, e.end) for e in found])
        found += self._names(text, lowered, organization)
        found += self._their_vehicle(text, lowered, found)
        found += self._synonyms(lowered, text)
        found = _without_overlaps(found)
        taken = [(e.start, e.end) for e in found] + model_numbers(text, [e.end for e in found
                                                                         if e.entity == "manufacturer"])
        for mention in number_mentions(text, taken):
            found.append(Entity(mention.role, mention.value, mention.start, mention.end,
                                text[mention.start:mention.end]))
        ordered = _corrected(text, sorted(_without_overlaps(found), key=lambda e: e.start))
        return cues.relative_amounts(lowered, [_negated(e, lowered) for e in ordered], Entity)

    def _models_and_makers(self, text: str, lowered: str) -> list[Entity]:
        if self._models is None:
            return []
        return [Entity(m.entity, m.value, m.start, m.end, text[m.start:m.end],
                       (("manufacturer", m.manufacturer),) if m.manufacturer else ())
                for m in self._models.find(lowered)]

    def _part_numbers(self, text: str, taken: list[tuple[int, int]]) -> list[Entity]:
        out: list[Entity] = []
        for m in _SPACED.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                out.append(Entity("part_number", "".join(m.groups()).upper(), m.start(), m.end(), m.group(0)))
        spans = taken + [(e.start, e.end) for e in out]
        for m in _TOKEN.finditer(text):
            token, start, end = m.group(0).rstrip("."), m.start(), m.start() + len(m.group(0).rstrip("."))
            if any(s < end and start < e for s, e in spans):
                continue
            variant = self._known_variant(text, start, token)
            if variant is not None:
                value, start = variant
                out.append(Entity("part_number", value, start, end, text[start:end]))
            elif self._is_part_number(token, text, start):
                out.append(Entity("part_number", token.upper(), start, end, token))
        return out

    def _catalog_numbers(self, text: str) -> list[Entity]:
        """Tokens that are catalog part numbers as typed (a maker's name inside one is part of the number)."""
        if self.tables is None:
            return []
        tokens = [(m.group(0).rstrip("."), m.start()) for m in _TOKEN.finditer(text)]
        return [Entity("part_number", token.upper(), start, start + len(token), token) for token, start in tokens
                if "-" in token and len(token) >= 6 and normalize_part_number(token) in self.tables.part_numbers]

    def _known_variant(self, text: str, start: int, token: str) -> tuple[str, int] | None:
        """A catalogue number said loosely: "fluke 87Vs" is FLUKE-87V (maker word in front, plural s)."""
        if self.tables is None or normalize_part_number(token) in self.tables.part_numbers or \
                not any(ch.isdigit() for ch in token):
            return None
        stems = [token, token[:-1]] if token[-1:] in "sS" and len(token) > 3 else [token]
        before = re.search(r"([A-Za-z]{2,})[\s-]+$", text[:start])
        for stem in stems:
            if before is not None and normalize_part_number(before.group(1) + stem) in self.tables.part_numbers:
                return f"{before.group(1)}-{stem}".upper(), before.start(1)
            if stem != token and normalize_part_number(stem) in self.tables.part_numbers:
                return stem.upper(), start
        return None

    def _is_part_number(self, token: str, text: str, start: int) -> bool:
        known = self.tables is not None and normalize_part_number(token) in self.tables.part_numbers
        if known and len(token) >= 4:
            return True
        if _SHORT_CODE.match(token):
            return False
        if not looks_like_part_number(token) or _REFRIGERANT.match(token) or _RATING.match(token) or \
                (_MONEYISH.match(token) and not token.isdigit()) or re.fullmatch(r"\d{1,2}/\d{1,2}(/\d{2,4})?", token):
            return False
        if text[max(0, start - 1):start] == "$" or _REFERENCE.search(text[:start]):
            return False
        digits = sum(ch.isdigit() for ch in token)
        if token.isdigit():
            return len(token) >= 6 or (len(token) == 5 and not re.search(
                r"(?:\$|offer|counter|at|for|bid|price|pay|under|below|to|up|is|max|k)\s*$", text[:start].lower()))
        return digits >= 2 or len(token) >= 6

    def _names(self, text: str, lowered: str, organization: str | None) -> list[Entity]:
        out: list[Entity] = []
        for name in ("organization", "person", "site", "location", "city"):
            for start, end, phrase in self.lexicon.scan(name, lowered):
                value: str | None = phrase.value
                if name == "location":
                    value = _own_location(self.lexicon.choices(name, lowered[start:end]) or [phrase], organization)
                if value:
                    out.append(Entity(name, value, start, end, text[start:end], phrase.extra))
        if self.tables is not None:
            for m in re.finditer(r"[a-z]+", lowered):
                person = names.wordlike_person(lowered, m.start(), m.end(), text, self.tables)
                if person:
                    out.append(Entity("person", person, m.start(), m.end(), text[m.start():m.end()]))
            for m in _NUMBERED_VEHICLE.finditer(lowered):
                number = int(m.group(2)) if m.group(2).isdigit() else WORD_NUMBERS[m.group(2)]
                value = _numbered_truck(self.tables, number, organization) or f"{m.group(1)} {number}"
                out.append(Entity("location", value, m.start(), m.end(), text[m.start():m.end()]))
        return out

    def _their_vehicle(self, text: str, lowered: str, found: list[Entity]) -> list[Entity]:
        """ "derek's got a job tmrw, put 2 on his truck": the vehicle of the one person the message names."""
        people = {e.value for e in found if e.entity == "person"}
        if len(people) != 1:
            return []
        first = next(iter(people)).split()[0].lower()
        out: list[Entity] = []
        for m in _THEIR_VEHICLE.finditer(lowered):
            hits = self.lexicon.scan("location", f"{first}'s {m.group(1)}")
            if hits:
                out.append(Entity("location", hits[0][2].value, m.start(), m.end(), text[m.start():m.end()]))
        return out

    def _synonyms(self, lowered: str, text: str) -> list[Entity]:
        out: list[Entity] = []
        for name in lx.synonyms():
            if name == "direction" and not _OFFER_CONTEXT.search(lowered):
                continue
            for start, end, phrase in self.lexicon.scan(name, lowered):
                if name == "condition" and not _is_condition(lowered, start, end, phrase.value):
                    continue
                judged = cues.judge(name, phrase.value, lowered, start, end)
                if judged and judged[0] == "adjust_reason" and any(e.entity == "adjust_reason" for e in out):
                    continue  # "used 2 on the job": one reason, said twice
                if judged:
                    out.append(Entity(judged[0], judged[1], start, end, text[start:end]))
        return out


def _is_condition(lowered: str, start: int, end: int, value: str) -> bool:
    window = lowered[max(0, start - 12):end + 20]
    if value == "new" and _NEW_NOT_CONDITION.search(window):
        return False
    if value == "for_parts" and re.match(r"for parts\b", lowered[start:]) and re.search(
            r"\b(?:owe|pay|paid|spend|spent|budget|looking|search|shop)\b", lowered[:start]):
        return False
    if lowered[start:end] == "rough" and re.search(r"\b(?:market|day|week|times|road|been)\b[^,.;]{0,12}$",
                                                    lowered[:start]):
        return False
    # "used 2 on the job", "the lcb we pulled": what was done with it, not its condition
    return not (lowered[start:end] in ("used", "pulled") and cues.used_as_verb(lowered[:start], lowered[end:]))


def _own_location(choices: list[lx.Phrase], organization: str | None) -> str | None:
    """The place a spelling names for this caller: the caller's own when several organizations have one
    ("main warehouse"); a caller-relative form ("the satellite") only for the caller's organization."""
    own = [c for c in choices if dict(c.extra).get("organization") == organization]
    if len(own) == 1:
        return own[0].value
    anyone = [c for c in choices if dict(c.extra).get("scope") != "own"]
    return anyone[0].value if len(anyone) == 1 else None


def _numbered_truck(tables: LookupTables, number: int, organization: str | None) -> str | None:
    org = organization or ""
    for location in tables.locations:
        hit = re.search(r"\b(?:truck|van)\s+0?(\d+)", location.name.lower())
        if hit and int(hit.group(1)) == number and location.organization == org:
            return location.name
    return None


_OPTIONS = frozenset({"condition", "fulfillment", "listing_type", "visibility"})
_NEGATOR = re.compile(r"(?:\bno|\bnot|\bnon|\bwithout|\bexcept|\bbut not|\bnothing|\bdon'?t want|\bdont want|"
                      r"\bno need for)\s+(?:\w+\s+)?$")


def _negated(entity: Entity, lowered: str) -> Entity:
    """An option said to be unwanted ("no used junk", "ship only, no pickups") is marked negated: refused."""
    refused = entity.entity in _OPTIONS and _NEGATOR.search(lowered[max(0, entity.start - 24):entity.start])
    # "4 of them, not 2", "3 instead of 5": the amount set aside is not the one asked for
    replaced = entity.entity in _AMOUNTS and _SET_ASIDE.search(lowered[max(0, entity.start - 16):entity.start])
    if refused or replaced:
        return Entity(entity.entity, entity.value, entity.start, entity.end, entity.text,
                      (*entity.extra, ("negated", "1")))
    return entity


_AMOUNTS = frozenset({"quantity", "price", "number"})
_SET_ASIDE = re.compile(r"(?:\bnot|\binstead of|\brather than)\s+\$?$")


def _corrected(text: str, entities: list[Entity]) -> list[Entity]:
    """"used 2, no wait 3", "4 of em, no wait only 3": a bare number right after a correction takes the slot of
    the number it corrects (Said.value then prefers the later one)."""
    out = list(entities)
    for marker in cues.CORRECTION.finditer(text):
        before = [i for i, e in enumerate(out) if e.entity in _AMOUNTS and e.end <= marker.start()]
        after = [i for i, e in enumerate(out) if e.entity in _AMOUNTS and e.start >= marker.end() - 1
                 and e.start - marker.end() <= 12]
        if not before or not after:
            continue
        new = out[after[0]]
        # "4 of em at 295 each, no wait only 3": a correction stays near what it corrects (3 is the 4, not the 295)
        old = min((out[i] for i in before), key=lambda e: _apart(e.value, new.value))
        if new.entity != old.entity and new.text.strip().isdigit():
            out[after[0]] = Entity(old.entity, new.value, new.start, new.end, new.text, new.extra)
    return out


def _apart(one: str, other: str) -> float:
    try:
        a, b = abs(float(one.replace(",", ""))), abs(float(other.replace(",", "")))
    except ValueError:
        return float("inf")
    return abs(math.log((a + 1) / (b + 1)))


def _without_overlaps(entities: list[Entity]) -> list[Entity]:
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (-(e.end - e.start), e.start)):
        if not any(k.start < entity.end and entity.start < k.end for k in kept):
            kept.append(entity)
    return kept


@lru_cache(maxsize=1)
def _synonym_lexicon() -> lx.Lexicon:
    lex = lx.Lexicon()
    for entity, values in lx.synonyms().items():
        for value, spellings in values.items():
            for spelling in spellings:
                lex.add(entity, str(spelling), str(value))
    lex.compile()
    return lex
