"""Part-number normalisation shared by the database (generated column) and query text.

Technicians type part numbers with spaces, dashes and dots, and OCR confuses look-alike glyphs. Both sides
are folded to one canonical form: upper-case, letters and digits only, O→0, I→1, L→1, S→5, B→8, Z→2.
This must stay identical to `PART_NUMBER_NORM_SQL` in knowledge.models.catalog (a test checks it).
"""

from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^A-Za-z0-9]")
_FOLD = str.maketrans("OILSBZ", "011582")
# A token "looks like" a part number when it mixes digits with letters or is a long digit run.
_PART_TOKEN = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9.\-/]{2,24}$")


def normalize_part_number(text: str) -> str:
    """Canonical, OCR-folded form of a part number (`"gaa-268.00 lc1"` → `"GAA26800LC1"` folded)."""
    return _NON_ALNUM.sub("", text).upper().translate(_FOLD)


def looks_like_part_number(token: str) -> bool:
    """True for tokens such as `GAA26800LC1`, `3RT2026-1AK60` or `59313150`; false for words and `4`."""
    if not _PART_TOKEN.match(token):
        return False
    digits = sum(ch.isdigit() for ch in token)
    letters = sum(ch.isalpha() for ch in token)
    return digits >= 3 or (digits >= 1 and letters >= 1 and len(token) >= 4)


def part_number_candidates(query: str) -> list[str]:
    """Normalised candidates found in free text: each token that looks like a part number, plus the
    whole query squashed when it is short (for "gaa 26800 lc1")."""
    tokens = [t.strip(",;:()[]\"'") for t in query.split()]
    found = [normalize_part_number(t) for t in tokens if looks_like_part_number(t)]
    squashed = normalize_part_number(query)
    if 4 <= len(squashed) <= 24 and len(tokens) <= 4 and any(ch.isdigit() for ch in squashed):
        found.append(squashed)
    seen: dict[str, None] = {}
    for cand in found:
        seen.setdefault(cand, None)
    return list(seen)
