"""How people shorten the names in the lookup tables: customer sites ("rose medical", "the gaylord", "dtc tower
2"), stock locations ("summit main", "the satellite", "the englewood counter", "derek's truck") and first names
that are also words ("ray", "mark"), which count only where a name fits."""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.lookups import LookupTables

# Words that say what kind of place a name is, not which one.
_QUALIFIERS = {"main", "north", "south", "east", "west", "central"}
TYPE_WORDS = {"hotel", "center", "centre", "medical", "mall", "resort", "arena", "station", "plaza", "tower",
              "library", "campus", "pavilion", "inpatient", "crossing", "shopping", "civic", "downtown", "community",
              "health", "foothills", "regency", "warehouse", "shop", "truck", "van", "yard", "annex", "counter",
              "room", "cage", "stockroom", "storeroom", "satellite", "site", "office", "main", "north", "supply",
              "central", "distribution", "machine", "street", "california", "ii", "will-call", "rockies", "seasons"}
# Single words of a name that are everyday words: never a name on their own.
EVERYDAY = {"grand", "tech", "park", "rose", "ball", "four", "wells", "union", "brown", "cherry", "creek", "front",
            "range", "main", "north", "office", "site", "the", "of", "and", "&", "denver", "colorado",
            "central", "meadows", "palace", "convention", "fargo", "lake", "salt", "machine", "will-call", "biomed"}
_ORDINAL_WORDS = {"first": "1st", "second": "2nd", "third": "3rd", "seventeenth": "17th", "sixteenth": "16th",
                  "fifteenth": "15th", "eighteenth": "18th", "nineteenth": "19th", "twentieth": "20th"}
_ROMAN = {"ii": "2", "iii": "3", "iv": "4"}
VEHICLES = ("truck", "van", "rig")
# Places every job has: never one particular stock location.
_TRADE_PLACES = {"machine room", "the machine room"}
# First names that are also everyday words: a person only where a name fits.
WORDLIKE = {"mark", "ray", "grace"}
_BEFORE_NAME = re.compile(r"(?:\b(?:give|gave|tell|told|ask|asked|call|text|ping|rate|rated|review|sent|send|"
                          r"pay|paid|from|to|with|for|if|did|does|has|and|let|thank|thanks|hey|hi|got|like)\s+)$")
_AFTER_NAME = re.compile(r"^\s*(?:will|wants?|said|says|sent|has|had|is|was|would|could|can|never|just|still|"
                         r"did|does|got|gets|offered|countered|replied|answered|his|her|\d|a \d|over|at \w+|"
                         r"from|'s|’s|,|$)")


def _spelling_variants(phrase: str) -> set[str]:
    """"seventeenth street plaza" → also "17th street plaza", "17th st plaza"; "tower ii" → "tower 2"."""
    out = {phrase}
    for words in ([_ORDINAL_WORDS.get(w, w) for w in phrase.split()],
                  [_ROMAN.get(w, w) for w in phrase.split()]):
        out.add(" ".join(words))
    out |= {p.replace(" street", " st") for p in out}
    out |= {p.replace("-", " ") for p in out} | {p.replace("st. ", "st ").replace("'", "") for p in out}
    return out


def site_forms(name: str, cities: set[str]) -> Iterator[str]:
    """Full name, the name without its trailing type words or leading city, distinctive single words, the
    first three words' initials ("Denver Tech Center Tower II" → "dtc", "dtc tower 2")."""
    lowered = name.lower()
    forms = {lowered}
    for piece in lowered.split("/"):
        forms.add(piece.strip())
    words = [w for w in re.split(r"[\s/]+", lowered) if w]
    for end in range(len(words), 0, -1):
        forms.add(" ".join(words[:end]))
        if end < len(words) and words[end - 1] not in TYPE_WORDS:
            break
    if len(words) > 2 and words[0] in cities | {"colorado"}:
        rest = words[1:]
        forms.add(" ".join(rest))
        forms.add(" ".join(rest[:-1]) if rest[-1] in TYPE_WORDS and len(rest) > 2 else " ".join(rest))
    for word in words:
        if word not in TYPE_WORDS and word not in EVERYDAY and len(word) >= 5 and word.isalpha():
            forms.add(word)
    if len(words) >= 4:
        initials = "".join(w[0] for w in words[:3])
        forms.add(f"{initials} {' '.join(words[3:])}")
    if words[-2:] == ["shopping", "center"]:
        forms.add(" ".join([*words[:-2], "mall"]))
    for form in sorted(forms):
        single = " " not in form
        if form in cities or (single and (form in EVERYDAY or form in TYPE_WORDS or form.isdigit())):
            continue
        yield from _spelling_variants(form)


def location_forms(name: str, organization: str, cities: set[str]) -> Iterator[tuple[str, bool]]:
    """(spelling, only for the caller's organization). Runs of two or more words of the name ("summit main",
    "north satellite", "keystone will call"), type words after their city ("englewood counter"), the place
    without a middle word ("denver health cage"), and "the <type word>" ("the satellite")."""
    base = re.sub(r"\s*\(.*\)\s*$", "", name.lower())
    words = base.replace(",", "").split()
    if any(w in VEHICLES for w in words):
        return
    org_word = organization.lower().split()[0] if organization else ""
    forms: set[tuple[str, bool]] = {(base, False)}
    for size in range(2, len(words) + 1):
        for start in range(len(words) - size + 1):
            run = words[start:start + size]
            if not set(run) & TYPE_WORDS:
                continue
            forms.add((" ".join(run), org_word not in run))
    for city in (w for w in words if w in cities):
        for word in words:
            if word in TYPE_WORDS and word not in ("will-call",):
                forms.add((f"{city} {word}", False))
    if len(words) == 4:
        forms.add((" ".join(words[:2] + words[3:]), False))
    last = next((w for w in reversed(words) if w in TYPE_WORDS and w not in cities), "")
    forms = {f for f in forms if f[0] not in _TRADE_PLACES}
    if last and last not in ("warehouse", "shop", "counter", "room", "center"):
        forms.add((f"the {last}", True))
    if "will-call" in words:
        forms.add((f"{org_word} will call", False))
    for word in (w for w in words if w != org_word and (w not in TYPE_WORDS or w in _QUALIFIERS) and w not in cities
                 and len(w) >= 4):
        for before in ("to", "from", "into", "at"):  # "move 4 to main": our Main Warehouse
            forms.add((f"{before} {word}", True))
    if words[0] == org_word:  # "rival's warehouse", "metros yard"
        for word in (w for w in words[1:] if w in TYPE_WORDS and w != "counter"):  # "keystone's counter" is an offer
            forms |= {(f"{org_word}'s {word}", False), (f"{org_word}s {word}", False)}
    for form, own in forms:
        for spelling in _spelling_variants(form):
            yield spelling, own


def vehicle_forms(tables: LookupTables) -> Iterator[tuple[str, str]]:
    """"derek's truck", "dereks truck", "derek truck" → the truck assigned to Derek."""
    firsts: dict[str, list[str]] = {}
    for location in tables.locations:
        if location.assigned_to:
            first = location.assigned_to.split()[0].lower()
            firsts.setdefault(first, []).append(location.name)
    for first, names in firsts.items():
        if len(names) != 1:
            continue
        for spelling in {first, first.translate(str.maketrans("áéíóúñ", "aeioun"))}:
            for vehicle in VEHICLES:
                for form in (f"{spelling}'s {vehicle}", f"{spelling}’s {vehicle}", f"{spelling}s {vehicle}",
                             f"{spelling} {vehicle}"):
                    yield form, names[0]


def wordlike_person(lowered: str, start: int, end: int, original: str, tables: LookupTables) -> str | None:
    """A first name that is also a word ("mark", "ray") counts when capitalised, possessive, or where a name
    fits ("give ray 3 stars", "see if ray will take 250"), never as a verb ("mark it shipped")."""
    word = lowered[start:end]
    if word not in WORDLIKE:
        return None
    names = [p.name for p in tables.people if p.name.split()[0].lower() == word]
    if len(names) != 1:
        return None
    capitalised = original[start:end][:1].isupper() and start > 0
    before, after = lowered[max(0, start - 20):start], lowered[end:end + 20]
    if word == "mark" and re.match(r"\s*(?:it|them|this|that|the|as|order|\d|#|one|all|shipped|delivered|"
                                   r"received|sold|done|down|up)\b", after):
        return None
    if lowered[start - 1:start] in ("-", "/"):
        return None
    fits = bool(_BEFORE_NAME.search(before) or _AFTER_NAME.match(after))
    return names[0] if capitalised or after.startswith(("'s", "’s")) or fits else None
