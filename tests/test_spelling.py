"""Slips of the thumb put right before the NLU reads a message (nlu/spelling.py), and the careless typist the
evals use to measure how much they cost (evals/typos.py). No database: the demo world's lookup tables."""

from __future__ import annotations

import pytest

from agent.planners.local.nlu import NLU
from evals.typos import careless


@pytest.mark.parametrize(("typed", "meant"), [
    ("what shaep is it in", "what shape is it in"),
    ("tomas still needds his", "tomas still needs his"),
    ("start at 250 w/ a 400 reseve", "start at 250 w/ a 400 reserve"),
    ("they can cmoe grab em", "they can come grab em"),
    ("ship only, no pickuups", "ship only, no pickups"),
    ("suure", "sure"),
    ("Refrub one", "Refurb one"),
    ("offer 120 to nortline", "offer 120 to northline"),
])
def test_slips_are_put_right(nlu: NLU, typed: str, meant: str) -> None:
    assert nlu.speller.correct(typed) == meant


@pytest.mark.parametrize("text", [
    "hold 2 gaa21750ak3 at $1,200 for derek",    # part numbers, prices, names with digits or symbols
    "mail ray.kowalski@metrosalvage.example",    # an address
    "dereks truck, summits offer",              # possessives typed without the apostrophe
    "the wet leg of the circut",                # a real word, and a slip that could be two words: left alone
    "installed, verifying, shipped, pickups",   # inflections of known words
    "if theyre under 2600 just take it, thats fine",  # contractions typed without the apostrophe
])
def test_words_and_symbols_are_left_alone(nlu: NLU, text: str) -> None:
    assert nlu.speller.correct(text) == text


def test_the_parse_reads_the_corrected_message(nlu: NLU) -> None:
    parse = nlu.parse("its used, excelent shpae")
    assert parse.text == "its used, excellent shape"
    assert "used_excellent" in parse.values("condition")


def test_careless_typist_is_repeatable_and_keeps_numbers() -> None:
    said = "Apex's went out FedEx today, tracking 774912340056. What's the refurb one cost at $4,200?"
    typed = [careless(said, f"task:{trial}", rate=0.5) for trial in range(6)]
    assert typed == [careless(said, f"task:{trial}", rate=0.5) for trial in range(6)]
    assert len(set(typed)) > 1 and any(t != said for t in typed)
    for t in typed:
        assert "774912340056" in t and "$4,200" in t
