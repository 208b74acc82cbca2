"""Equipment models and manufacturers in a message, from the catalog's vocabulary: "schindler 3300" is the
maker and the model, "the sigma" is the Sigma Spectrum (a model's distinctive first word), and in "the dash 3000
or the 4000" the bare 4000 is the Dash 4000 (a sibling of a model already named)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.partnumbers import normalize_part_number
from knowledge.search.vocabulary import EquipmentRef, Vocabulary

_WORD = re.compile(r"[a-z0-9]+(?:[-/.][a-z0-9]+)*")
# Model first words that are everyday words: never a model on their own.
_EVERYDAY_FIRST = {"model", "prime", "spot", "power", "series", "freedom", "vivid", "choice", "root", "type", "home",
                   "motion", "passport", "central", "galaxy", "infinity", "evolution", "precedent", "synergy"}


@dataclass(frozen=True)
class Mention:
    entity: str  # manufacturer | equipment_model
    value: str
    start: int
    end: int
    manufacturer: str = ""


class ModelSpotter:
    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        spellings = sorted(vocab.manufacturers, key=len, reverse=True)
        self.makers = re.compile(rf"(?<![a-z0-9])(?:{'|'.join(re.escape(s) for s in spellings)})(?![a-z0-9])")
        self.first_words = _first_words(vocab)

    def find(self, lowered: str) -> list[Mention]:
        out = [Mention("manufacturer", self.vocab.manufacturers[m.group(0)], m.start(), m.end())
               for m in self.makers.finditer(lowered)]
        makers = {m.value.lower() for m in out}
        words = list(_WORD.finditer(lowered))
        used: list[tuple[int, int]] = []
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                start, end = words[i].start(), words[i + size - 1].end()
                if any(s < end and start < e for s, e in used):
                    continue
                raw = "".join(w.group(0) for w in words[i:i + size])
                key = normalize_part_number(raw)
                refs = self.vocab.equipment.get(key, []) if len(key) >= 2 else []
                if not refs and len(raw) > 3 and raw.endswith("s"):  # "the gen2s", "one of the xr14s"
                    refs = self.vocab.equipment.get(normalize_part_number(raw[:-1]), [])
                if not refs and size == 1 and raw in self.first_words:
                    refs = [self.first_words[raw]]
                if not refs or (raw.isdigit() and not _maker_before(lowered, start, refs)):
                    continue
                first = words[i].group(0)
                ref = sorted(refs, key=lambda r: r.manufacturer.lower() not in makers)[0]
                if size > 1 and first in self.vocab.manufacturers and not ref.model.lower().startswith(first):
                    start = words[i + 1].start()  # "schindler 3300": the maker, then the model
                out.append(Mention("equipment_model", ref.model, start, end, ref.manufacturer))
                used.append((words[i].start(), end))
        out += self._siblings(lowered, [m for m in out if m.entity == "equipment_model"], used)
        return out

    def _siblings(self, lowered: str, found: list[Mention], used: list[tuple[int, int]]) -> list[Mention]:
        """"the dash 3000 or just the 4000": a bare number completing the family of a model named before it."""
        out: list[Mention] = []
        families = {m.value.split()[0].lower() for m in found if re.fullmatch(r"\S+ \d+\w*", m.value)}
        for family in families:
            for m in re.finditer(r"(?<![\w$.,/-])\d{3,4}\w?(?![\w/-])", lowered):
                if any(s < m.end() and m.start() < e for s, e in used):
                    continue
                refs = self.vocab.equipment.get(normalize_part_number(family + m.group(0)), [])
                if refs:
                    out.append(Mention("equipment_model", refs[0].model, m.start(), m.end(), refs[0].manufacturer))
        return out


def _first_words(vocab: Vocabulary) -> dict[str, EquipmentRef]:
    """A model's first word when it names that model alone ("sigma" → Sigma Spectrum)."""
    seen: dict[str, list[EquipmentRef]] = {}
    for refs in vocab.equipment.values():
        for ref in refs:
            words = ref.model.lower().split()
            if len(words) >= 2 and words[0].isalpha() and len(words[0]) >= 5:
                group = seen.setdefault(words[0], [])
                if all(r.model != ref.model for r in group):
                    group.append(ref)
    def taken(word: str) -> bool:
        return word in vocab.manufacturers or normalize_part_number(word) in vocab.equipment

    return {w: refs[0] for w, refs in seen.items() if len(refs) == 1 and w not in _EVERYDAY_FIRST and not taken(w)}


def _maker_before(lowered: str, start: int, refs: list[EquipmentRef]) -> bool:
    before = lowered[max(0, start - 25):start]
    return any(ref.manufacturer.lower() in before for ref in refs)
