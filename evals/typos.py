"""A careless typist for the scripted user (`partpilot eval --user typos`): the task's own words, typed the way
a technician thumbs them out between jobs — sometimes all lower case, apostrophes and final punctuation dropped,
and now and then a slipped key, a missed or doubled letter, two letters swapped. The slips are drawn from a seed
(task, trial, message), so a run is repeatable and each trial of pass^k sees different slips.

Words with digits or symbols (part numbers, prices, tracking numbers, e-mail addresses) are typed as given:
the score should measure whether the words around them are understood, not whether a mistyped part number
can still be found (the number suites measure that)."""

from __future__ import annotations

import random
import re

_NEIGHBOURS = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij", "i": "uok", "o": "ipl",
    "p": "ol", "a": "qsz", "s": "adw", "d": "sfe", "f": "dgr", "g": "fht", "h": "gjy", "j": "hku", "k": "jli",
    "l": "ko", "z": "xa", "x": "zc", "c": "xv", "v": "cb", "b": "vn", "n": "bm", "m": "n",
}
_WORD = re.compile(r"(?<![\w$@#./-])[A-Za-z]{4,}(?![\w@./-])")
SLIP_RATE = 0.12


def careless(text: str, seed: str, rate: float = SLIP_RATE) -> str:
    """`text` as typed in a hurry; the same (text, seed) always gives the same result."""
    rng = random.Random(seed)
    typed = _WORD.sub(lambda m: _slip(m.group(0), rng) if rng.random() < rate else m.group(0), text)
    if rng.random() < 0.5:
        typed = typed.lower()
    if rng.random() < 0.5:
        typed = re.sub(r"(?<=[A-Za-z])['’](?=[a-z])", "", typed)
    if rng.random() < 0.3:
        typed = re.sub(r"[.?!]+\s*$", "", typed)
    return typed


def _slip(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)  # the first letter is rarely the one that slips
    kind = rng.choice(("swap", "drop", "double", "neighbour"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    near = _NEIGHBOURS.get(word[i].lower(), word[i])
    return word[:i] + rng.choice(near) + word[i + 1:]
