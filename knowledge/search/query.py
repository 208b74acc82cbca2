"""Turning what a technician typed into search inputs: validation, tokens, synonyms, part numbers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from knowledge.partnumbers import part_number_candidates

MAX_QUERY_CHARS = 500
_WORD = re.compile(r"[a-z0-9]+(?:[.\-/][a-z0-9]+)*")
_UNIT_SPLIT = re.compile(r"\d+|[a-z]+")

# Trade vocabulary that embeddings and stemming miss: a phrase a technician types → words the catalog uses.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "door motor": ("door", "operator"),
    "door operator": ("door", "motor", "operator"),
    "operator": ("operator",),
    "vfd": ("drive", "inverter", "vfd"),
    "inverter": ("drive", "vfd"),
    "variable frequency drive": ("drive", "vfd"),
    "txv": ("expansion", "valve", "txv"),
    "expansion valve": ("txv",),
    "starter": ("contactor", "starter"),
    "cap": ("capacitor",),
    "comp": ("compressor",),
    "batt": ("battery",),
    "xfmr": ("transformer",),
    "disco": ("disconnect",),
    "run cap": ("run", "capacitor"),
    "pcb": ("board",),
    "circuit board": ("board",),
    "control board": ("board", "controller"),
    "breaker": ("breaker", "circuit"),
    "stat": ("thermostat",),
    "tstat": ("thermostat",),
    "blower motor": ("blower", "motor", "fan"),
    "fan motor": ("fan", "motor", "blower", "condenser"),
    "pulse ox": ("spo2", "oximetry"),
    "pulse oximeter": ("spo2", "oximetry"),
    "spo2": ("spo2", "oximetry", "pulse"),
    "ekg": ("ecg",),
    "ecg": ("ecg", "ekg"),
    "battery pack": ("battery",),
    "encoder": ("encoder", "tachometer"),
    "pvt": ("primary", "velocity", "transducer"),
    "hall call": ("hall", "button", "fixture"),
    "push button": ("button",),
    "limit switch": ("limit", "switch"),
    "gate switch": ("gate", "switch", "interlock"),
    "interlock": ("interlock", "door", "lock"),
    "rope": ("rope", "cable"),
    "belt": ("belt", "coated", "steel"),
    "transformer": ("transformer",),
    "relay": ("relay",),
    "compressor": ("compressor",),
    "4 ton": ("48000",),
}
# A unit typed apart from its number, as the catalog writes it joined: "30 amp" is "30a", "3 pole" is "3p".
_UNIT_LETTERS = {"amp": "a", "amps": "a", "pole": "p", "poles": "p", "volt": "v", "volts": "v", "phase": "ph"}
_STOP = {
    "a", "an", "the", "for", "of", "on", "in", "to", "need", "needs", "needed", "i", "we", "my", "our",
    "looking", "want", "any", "some", "part", "parts", "replacement", "please", "got", "have", "with", "and",
    "or", "is", "it", "that", "this", "unit", "one", "new", "used", "find", "me", "where", "can", "get",
}


class SearchQueryError(ValueError):
    """The query cannot be searched; the message says why in words a user understands."""


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    text: str
    words: tuple[str, ...]
    part_numbers: tuple[str, ...]
    expansions: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())  # (phrase typed, catalog words)

    @property
    def lexical_terms(self) -> tuple[str, ...]:
        """The words to match, each with its alternatives after "|": a number with the unit typed apart
        ("30 amp" is "30a" in the catalog), a slang word with the catalog's words for it ("comp" or
        "compressor"). Alternatives, because a part need not carry both the slang and the catalog word."""
        terms: list[str] = []
        for i, word in enumerate(self.words):
            if word in _STOP:
                continue
            letter = _UNIT_LETTERS.get(word)
            if letter and i and terms and terms[-1] == self.words[i - 1] and terms[-1].isdigit():
                number = terms.pop()
                terms.append(f"{number}|{number}{letter}|{word}")
            else:
                terms.append(word)
        typed = {term.split("|")[0] for term in terms}
        for phrase, extras in self.expansions:
            at = next((k for k, term in enumerate(terms) if term.split("|")[0] == phrase), None)
            if at is None:  # a phrase's words stay required, and so do the words it adds ("door motor" → operator)
                terms.extend(extras)
            else:  # one slang word: the catalog's words for it are alternatives ("comp" or "compressor")
                terms[at] = "|".join(dict.fromkeys([*terms[at].split("|"), *(w for w in extras if w not in typed)]))
        return tuple(dict.fromkeys(terms))

    @property
    def has_prose(self) -> bool:
        """Whether any word can carry meaning for the embedding: a bare part number ("GAA26800LC1",
        "id 591882") has none, and its vector neighbours are noise the nearest-neighbour index cannot even
        find reliably (such a query lies far from every catalog text)."""
        return not self.part_numbers or any(
            w.isalpha() and len(w) >= 3 and w not in _STOP for w in self.words
        )


def clean_text(raw: str) -> str:
    """Normalise Unicode, drop control characters and symbols such as emoji, collapse whitespace."""
    text = unicodedata.normalize("NFKC", raw)
    kept = [ch if unicodedata.category(ch)[0] in "LNPZ" else " " for ch in text]
    return " ".join("".join(kept).split())


def parse_query(raw: str | None) -> ParsedQuery:
    """Validate and analyse a query. Raises SearchQueryError for empty or oversized input."""
    if raw is None or not raw.strip():
        raise SearchQueryError("The search query is empty: type a part number, a description or a model.")
    if len(raw) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"The search query is {len(raw)} characters long; the limit is {MAX_QUERY_CHARS}. "
            "Send the part number or a short description."
        )
    text = clean_text(raw)
    lowered = text.lower()
    words = tuple(_WORD.findall(lowered))
    expansions = [(phrase, extra) for phrase, extra in SYNONYMS.items()
                  if re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", lowered)]
    return ParsedQuery(
        raw=raw,
        text=text,
        words=words,
        part_numbers=tuple(part_number_candidates(text)),
        expansions=tuple(expansions),
    )


def tsquery_text(terms: tuple[str, ...]) -> str:
    """An OR-query for to_tsquery built only from [a-z0-9] fragments, so no operator can be injected."""
    return " | ".join(dict.fromkeys(form for forms in _fragment_forms(terms) for form in forms))


def lexical_text(terms: tuple[str, ...]) -> str:
    """The terms for the full-text signal: [a-z0-9] fragments separated by spaces, stop words dropped, each
    with its alternative forms after "|" (fulltext.py makes a word's forms alternatives of each other; it reads
    them with to_tsvector, which treats no character as an operator)."""
    return " ".join(dict.fromkeys("|".join(_signed_forms(forms)) for forms in _fragment_forms(terms)))


def _fragment_forms(terms: tuple[str, ...]) -> list[list[str]]:
    """Each [a-z0-9] fragment of the terms with the forms a catalog may write it in: "230v" and "r410a" also
    match specifications stored as "230" or "410a". They are alternatives, not more words a part must carry:
    "404" alone is in few parts' text, but in many part numbers ("4DE3R69ME-TFD-404")."""
    out: list[list[str]] = []
    for term in terms:
        typed, *alternatives = term.split("|")
        groups = []
        for fragment in re.findall(r"[a-z0-9]+", typed):
            if fragment not in _STOP:
                pieces = [p for p in _UNIT_SPLIT.findall(fragment) if len(p) > 1 and p != fragment]
                groups.append([fragment, *pieces])
        others = [f for alternative in alternatives for f in re.findall(r"[a-z0-9]+", alternative) if f not in _STOP]
        if groups:
            groups[-1] += others
        elif others:
            groups.append(others)
        out.extend(list(dict.fromkeys(group)) for group in groups)
    return out


def _signed_forms(forms: list[str]) -> list[str]:
    """Postgres reads "R-22" as the word "r" and the signed number "-22": a typed "r22" is that number too (one
    letter only: "gen2" or "xr16" are model names, written joined)."""
    letter_then_number = re.fullmatch(r"[a-z](\d+)", forms[0])
    return [*forms, f"-{letter_then_number.group(1)}"] if letter_then_number else forms
