"""GSM-7, the alphabet an SMS can use without falling back to UCS-2 (70 instead of 160 characters per
segment): lookalike replacements for typographic characters, and segment counting."""

from __future__ import annotations

import math
import re
import unicodedata

BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
EXTENSION = set("^{}\\[~]|€\f")  # two septets each (escape + character)

_REPLACEMENTS = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "‐": "-", "‑": "-",
    "…": "...", "×": "x", "•": "-", "·": "-", "→": "->", "←": "<-", "≤": "<=", "≥": ">=", "≈": "~",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\t": " ",
    "™": "(TM)", "®": "(R)", "©": "(C)", "✓": "OK", "✔": "OK", "✅": "OK", "❌": "X", "°": " deg",
}
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")


def is_gsm(text: str) -> bool:
    return all(ch in BASIC or ch in EXTENSION for ch in text)


def to_gsm(text: str) -> str:
    """Replace typographic characters with GSM-7 lookalikes and drop emoji; characters with no lookalike
    (a name in another script) are kept, because then UCS-2 is needed."""
    text = _EMOJI.sub("", "".join(_REPLACEMENTS.get(ch, ch) for ch in text))
    out = []
    for ch in text:
        if ch in BASIC or ch in EXTENSION:
            out.append(ch)
            continue
        plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(plain if plain and is_gsm(plain) else ch)
    return "".join(out)


def segments(text: str) -> int:
    """How many SMS segments the carrier bills for `text` (GSM-7: 160, or 153 per part when concatenated;
    UCS-2: 70, or 67 per part)."""
    if is_gsm(text):
        septets = sum(2 if ch in EXTENSION else 1 for ch in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)
