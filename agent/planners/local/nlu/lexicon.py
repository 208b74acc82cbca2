"""Phrase tables for the entities named by words: the synonyms of patterns.yml and the lookup tables read
from the database (organizations, people, sites, stock locations, cities), each spelling mapped to its
canonical value, matched as whole words, longest first, with one typo allowed in long single words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from rapidfuzz import fuzz, process

from agent.planners.local.nlu import names
from agent.planners.local.nlu.examples import NLU_DIR
from knowledge.lookups import LookupTables

# Words that say what kind of place or company a name is, not which one ("Brown Palace Hotel" → "brown palace").
_GENERIC = {"hotel", "center", "centre", "medical", "services", "service", "supply", "mechanical", "co", "inc",
            "llc", "the", "of", "and", "&", "engineering", "biomedical", "health", "surplus", "climate", "lift",
            "vertical", "elevator", "salvage", "parts", "campus", "resort", "downtown", "denver", "plaza", "mall",
            "station", "tower", "ii", "civic", "shopping", "inpatient", "pavilion", "community", "foothills"}
# Canonical values that are not themselves a way of saying it ("sale", "emergency" say other things).
_NO_VALUE_SPELLING = {"visibility", "listing_type", "adjust_reason", "direction", "carrier"}
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'./&-]*")


@dataclass(frozen=True)
class Phrase:
    entity: str
    value: str
    extra: tuple[tuple[str, str], ...] = ()


@dataclass
class Lexicon:
    """spelling (lower case) → what it names, per entity type, plus one regex per type for scanning."""

    phrases: dict[str, dict[str, Phrase]] = field(default_factory=dict)
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    fuzzy_words: dict[str, dict[str, Phrase]] = field(default_factory=dict)  # long single words, for typos
    alternatives: dict[tuple[str, str], list[Phrase]] = field(default_factory=dict)  # one spelling, several names

    def add(self, entity: str, spelling: str, value: str, **extra: str) -> None:
        spelling = re.sub(r"\s+", " ", spelling.lower().strip())
        if len(spelling) < 2:
            return
        table = self.phrases.setdefault(entity, {})
        phrase = Phrase(entity, value, tuple(sorted(extra.items())))
        table.setdefault(spelling, phrase)
        choices = self.alternatives.setdefault((entity, spelling), [])
        if all(c.value != value for c in choices):
            choices.append(phrase)

    def choices(self, entity: str, spelling: str) -> list[Phrase]:
        return self.alternatives.get((entity, spelling.lower()), [])

    def compile(self) -> None:
        for entity, table in self.phrases.items():
            spellings = sorted(table, key=len, reverse=True)
            alternation = "|".join(re.escape(s) for s in spellings)
            # "northlines answer", "kurts offer": a company's or person's possessive typed without the apostrophe
            plural = "s?" if entity in ("organization", "person") else ""
            self.patterns[entity] = re.compile(rf"(?<![a-z0-9])(?:{alternation}){plural}(?![a-z0-9])", re.IGNORECASE)
            self.fuzzy_words[entity] = {s: p for s, p in table.items() if " " not in s and len(s) >= 6
                                        and s.isalpha()}

    def scan(self, entity: str, lowered: str) -> list[tuple[int, int, Phrase]]:
        """Non-overlapping matches of this entity type in lower-cased text (exact, then one-typo words)."""
        found: list[tuple[int, int, Phrase]] = []
        pattern = self.patterns.get(entity)
        if pattern is not None:
            for match in pattern.finditer(lowered):
                spelling = match.group(0).lower()
                table = self.phrases[entity]
                found.append((match.start(), match.end(), table.get(spelling) or table[spelling[:-1]]))
        words = self.fuzzy_words.get(entity)
        if not words:
            return sorted(found, key=lambda f: f[0])
        for match in _TOKEN.finditer(lowered):
            word = match.group(0).strip("'.")
            if len(word) < 6 or not word.isalpha() or word in words or \
                    any(s <= match.start() < e for s, e, _ in found):
                continue
            best = process.extractOne(word, words.keys(), scorer=fuzz.ratio, score_cutoff=86)
            if best is not None and not word.startswith(best[0]):
                found.append((match.start(), match.start() + len(word), words[best[0]]))
        return sorted(found, key=lambda f: f[0])


@lru_cache(maxsize=1)
def synonyms() -> dict[str, dict[str, list[str]]]:
    data = yaml.safe_load((NLU_DIR / "patterns.yml").read_text())
    return dict(data["synonyms"])


@lru_cache(maxsize=1)
def regexes() -> dict[str, list[re.Pattern[str]]]:
    data = yaml.safe_load((NLU_DIR / "patterns.yml").read_text())
    return {name: [re.compile(p, re.IGNORECASE) for p in patterns] for name, patterns in data["regex"].items()}


def _org_forms(name: str) -> list[str]:
    """"Apex Elevator Services" → apex; "Front Range Health Biomedical Engineering" → front range."""
    words = [w for w in re.split(r"[\s/]+", name.lower()) if w]
    core = [w for w in words if w not in _GENERIC]
    forms = {name.lower()}
    if core and core != words:
        forms.add(" ".join(core))
    if core and len(core[0]) >= 4 and core[0] not in names.EVERYDAY:
        forms.add(core[0])
    return sorted(forms)


# What people call a company of each kind; said as the one of a list ("reject the hospital one", "the yard's").
_KIND_WORDS = {"hospital": ("hospital",), "salvage": ("salvage yard", "yard", "junkyard"), "oem": ("oem",),
               "distributor": ("distributor", "supply house"), "contractor": ("contractor",)}


def _kind_forms(types: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """(organization, spelling) for each kind of company the network has exactly one of."""
    kinds = {kind for _, kind in types}
    only = {kind: [org for org, k in types if k == kind] for kind in kinds}
    return [(orgs[0], form) for kind, orgs in only.items() if len(orgs) == 1
            for word in _KIND_WORDS.get(kind, ()) for form in (f"the {word} one", f"the {word}'s", f"{word}'s")]


def build_lexicon(tables: LookupTables) -> Lexicon:
    lex = Lexicon()
    for entity, values in synonyms().items():
        for value, spellings in values.items():
            for spelling in spellings:
                lex.add(entity, str(spelling), str(value))
            if entity not in _NO_VALUE_SPELLING:
                lex.add(entity, str(value).replace("_", " "), str(value))
    for org in tables.organizations:
        for form in _org_forms(org):
            lex.add("organization", form, org)
    for org, form in _kind_forms(tables.organization_types):
        lex.add("organization", form, org)
    first_names: dict[str, list[str]] = {}
    for person in tables.people:
        lex.add("person", person.name, person.name, organization=person.organization)
        first = person.name.split()[0].lower()
        first_names.setdefault(first, []).append(person.name)
        ascii_first = first.translate(str.maketrans("áéíóúñ", "aeioun"))
        if ascii_first != first:
            first_names.setdefault(ascii_first, []).append(person.name)
    people = {p.name: p for p in tables.people}
    for first, found in first_names.items():
        if len(found) == 1 and first not in names.WORDLIKE:
            lex.add("person", first, found[0], organization=people[found[0]].organization)
    cities = {c.lower() for c in tables.cities}
    for city in tables.cities:
        lex.add("city", city, city)
        if len(city.split()) >= 3:
            lex.add("city", "".join(w[0] for w in city.split()), city)
    for site in tables.sites:
        for form in names.site_forms(site, cities):
            lex.add("site", form, site)
    for spelling in ("my truck", "my van", "the truck", "the van", "my rig", "the rig", "on me"):  # "got one on me"
        lex.add("location", spelling, "my_truck")
    for spelling in ("the warehouse", "our warehouse", "the shop", "our shop"):
        lex.add("location", spelling, "warehouse")
    for spelling, location_name in names.vehicle_forms(tables):
        lex.add("location", spelling, location_name)
    taken = set(lex.phrases.get("site", {})) | set(lex.phrases.get("organization", {})) | cities
    for location in tables.locations:
        lex.add("location", location.name, location.name, organization=location.organization)
        for form, own in names.location_forms(location.name, location.organization, cities):
            if form not in taken:
                lex.add("location", form, location.name, organization=location.organization,
                        scope="own" if own else "any")
        number = re.search(r"\b(?:truck|van)\s+0?(\d+)", location.name.lower())
        if number and location.organization:
            lex.add("location", f"{location.organization.split()[0]} truck {number.group(1)}", location.name)
    lex.compile()
    return lex
