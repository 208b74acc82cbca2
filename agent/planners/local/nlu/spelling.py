"""Slips of the thumb put right before a message is understood: "shaep" → "shape", "needds" → "needs",
"reseve" → "reserve", "cmoe grab em" → "come grab em". A word is changed only when it is not a word at all
(not in the planner's own vocabulary, the names from the database, the catalog's terms, or the English words
of the sentence encoder) and exactly one slip — a letter missed, doubled, swapped with its neighbour or hit
next to it — away from a word the planner knows; of several such words the one its examples use most wins.
Words with digits or symbols (part numbers, prices, e-mail addresses) are never touched.

The vocabulary is data: the words of the training examples and entity patterns (nlu/data, patterns.yml),
and the names in the lookup tables. Adding an example teaches the speller its words too."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"(?<![\w$@#/.'’-])[A-Za-z]{4,}(?![\w@/-]|\.\w)")
_LETTERS = re.compile(r"[a-z]+")


class Speller:
    def __init__(self, domain: Counter[str], known: frozenset[str], stems: frozenset[str] = frozenset()) -> None:
        self.domain, self.known, self.stems = domain, known | frozenset(domain), stems
        self._by_deletion = _deletion_index(domain)
        self._english = _english_index(known)

    def correct(self, text: str) -> str:
        return _WORD.sub(lambda m: self._word(m.group(0)), text)

    def is_word(self, lowered: str) -> bool:
        if lowered in self.known or _stem_known(lowered, self.stems):
            return True
        # "uaed" is no inflection of "uae": a stem of fewer than four letters says little
        return any(lowered.endswith(suffix) and len(stem := lowered[:-len(suffix)] + restore) >= 4
                   and stem in self.known for suffix, restore in _INFLECTIONS)

    def _word(self, typed: str) -> str:
        lowered = typed.lower()
        if self.is_word(lowered):
            return typed
        fixed = self._nearest(lowered)
        if fixed is None and lowered.endswith("s"):  # "pickuups": the plural of a slip
            stem = self._nearest(lowered[:-1])
            fixed = stem + "s" if stem else None
        if fixed is None:
            return typed
        return fixed.capitalize() if typed[0].isupper() else fixed

    def _nearest(self, lowered: str) -> str | None:
        variants = {lowered, *_deletions(lowered)}
        candidates = {w for v in variants for w in self._by_deletion.get(v, ()) if _one_slip(lowered, w)}
        if candidates:  # a slip of the first letter is the rarer one ("bwat" is "beat" before it is "what")
            return max(sorted(candidates), key=lambda w: (w[0] == lowered[0], self.domain[w]))
        # a slip of a plain English word the examples never used ("circut"): only when one word fits
        english = {w for v in variants for w in self._english.get(v, ()) if _one_slip(lowered, w)}
        return english.pop() if len(english) == 1 else None


def _deletion_index(words: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for word in words:
        for variant in {word, *_deletions(word)}:
            index.setdefault(variant, []).append(word)
    return index


@lru_cache(maxsize=4)
def _english_index(words: frozenset[str]) -> dict[str, list[str]]:
    return _deletion_index(w for w in words if len(w) >= 4)


_INFLECTIONS = (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


def _stem_known(lowered: str, stems: frozenset[str]) -> bool:
    """Whether the catalog's search lexemes (stemmed: "instal", "verifi", "safeti") hold this word: the word, or
    the word without an ending the stemmer drops."""
    if not stems:
        return False
    form = lowered[:-1] + "i" if lowered.endswith("y") else lowered
    return any(form.endswith(ending) and form[:len(form) - len(ending)] in stems for ending in _ENDINGS)


_ENDINGS = ("", "s", "e", "es", "ed", "ing", "ion", "ions", "ation", "ations", "ment", "ments", "ly",
            "al", "ive", "ity", "ies", "ness")


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))]


def _one_slip(typed: str, word: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours (optimal string alignment distance 1)."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) == len(word):
        diff = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == word[diff[1]] \
            and typed[diff[1]] == word[diff[0]]
    longer, shorter = (typed, word) if len(typed) > len(word) else (word, typed)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def words_of(texts: Iterable[str]) -> Counter[str]:
    return Counter(w for text in texts for w in _LETTERS.findall(text.lower()) if len(w) >= 3)


@lru_cache(maxsize=1)
def encoder_words() -> frozenset[str]:
    """The whole English words of the sentence encoder's vocabulary (shipped with the model, no download)."""
    from knowledge.embeddings import model_directory

    vocab = Path(model_directory()) / "vocab.txt"
    if not vocab.exists():
        return frozenset()
    return frozenset(w for w in vocab.read_text().split() if w.isalpha() and w.islower()) | CONTRACTIONS


# Contractions typed without the apostrophe are words, not slips ("theyre" is not "there").
CONTRACTIONS = frozenset(
    f"{head}{tail}" for heads, tails in (
        (("they", "you", "we", "who", "what"), ("re", "ve", "ll", "d")),
        (("i",), ("m", "ve", "ll", "d")),
        (("he", "she", "it", "that", "there", "here", "where", "how", "what", "who", "lets"), ("s", "ll", "d")),
        (("is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "could", "would", "should",
          "ca", "wo", "ai", "must", "need"), ("nt",)),
    ) for head in heads for tail in tails)
