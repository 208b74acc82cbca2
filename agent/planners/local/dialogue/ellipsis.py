"""Elided clauses filled in from the clause before: "we got any? if not who does" asks "who got any?"."""

from __future__ import annotations

import re

# A clause that is only a subject and an auxiliary ("who does", "anyone else have?"): its verb phrase is elided.
_ELIDED = re.compile(r"^(?P<who>who(?: else)?|any ?(?:one|body)(?: else)?|some ?(?:one|body)(?: else)?)\s+"
                     r"(?:does|do|did|has|have|is|are|can|could|will|would)\W*$", re.IGNORECASE)
# The subject of the clause before, and an auxiliary put in front of it to ask ("do we have any in stock?").
_SUBJECT = re.compile(r"^\s*(?:(?:do|does|did|have|has|are|is|can|could)\s+)?"
                      r"(?:we|i|you|u|ya|they|y'?all)\s+(?=\S)", re.IGNORECASE)


def fill_elided(before: str, clause: str) -> str:
    """`clause` with its elided verb phrase taken from `before`, or `clause` as it is."""
    elided = _ELIDED.match(clause.strip())
    if elided is None:
        return clause
    predicate = _SUBJECT.sub("", before, count=1).strip()
    if predicate == before.strip():  # no subject to swap for theirs: nothing can be filled in safely
        return clause
    return f"{elided.group('who')} {predicate}"


# "pull my dte 24 auction … whats the iso 68 one sittin at": "the … one" is another of the kind named before
_THE_ONE = re.compile(r"\b(?:the|that|this|my|our|your)\s+(?:[\w/.-]+\s+){0,3}?(one)\b", re.IGNORECASE)
_KINDS = re.compile(r"\b(auction|listing|offer|hold|order|wanted post|post)s?\b", re.IGNORECASE)


def fill_one(before: str, clause: str) -> str:
    """`clause` with its "the … one" said as the kind of thing `before` names last, or `clause` as it is."""
    kinds, one = _KINDS.findall(before), _THE_ONE.search(clause)
    if not kinds or one is None:
        return clause
    return f"{clause[:one.start(1)]}{kinds[-1].lower()}{clause[one.end(1):]}"
