"""Faults described in words ("compressor hums but won't start", "car won't hold at the floor") → the
parts that most often cause them, from symptoms.yml: what a search should look for instead of the
symptom's own words."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

SYMPTOMS_FILE = Path(__file__).resolve().parent / "symptoms.yml"


@lru_cache(maxsize=1)
def _rules() -> list[tuple[list[re.Pattern[str]], list[str]]]:
    rules = yaml.safe_load(SYMPTOMS_FILE.read_text())
    return [([re.compile(p, re.IGNORECASE) for p in rule["when"]], list(rule["parts"])) for rule in rules]


def likely_parts(text: str) -> list[str]:
    """The part types a described fault points to, most specific rule first (empty: not a known fault)."""
    found: list[str] = []
    for patterns, parts in _rules():
        if any(p.search(text) for p in patterns):
            found.extend(part for part in parts if part not in found)
    return found
