"""`internals_in`: what users must never read in a reply (tool names, ids, stack words, raw JSON) is found,
and ordinary replies (part numbers, prices, "no match", "None of those") are left alone."""

from __future__ import annotations

import pytest

from agent.reply_draft import internals_in
from tests.draft_helpers import NO_MATCH, PICKED, SELLERS


@pytest.mark.parametrize("text,found", [
    ("I can't tell. call search_parts with a description", ["search_parts"]),
    ("Listing 5b0c1f8e-0d1b-4c55-9a53-1d2f3e4a5b6c is sold.", ["5b0c1f8e-0d1b-4c55-9a53-1d2f3e4a5b6c"]),
    ("Traceback (most recent call last):\n  File \"agent/graph.py\", line 55, in call_planner",
     ["Traceback", 'File "agent/graph.py", line 55']),
    ("KeyError: 'part_number'", ["KeyError"]),
    ("Error: the planner broke off", ["Error:"]),
    ("RuntimeException while searching", ["RuntimeException"]),
    ("Price: None", ["None"]),
    ("The best option is None", ["None"]),
    ("manufacturer null", ["null"]),
    ("{'part_number': 'GAA26800LC1'}", ["{'"]),
    ('{"ok": false, "error": "not_found"}', ['{"ok":']),
    ('Result "ok": false', ['"ok": false']),
    ('[{"id": 1}]', ['[{']),
    ("Use find_inventory or assess_price on 5b0c1f8e-0d1b-4c55-9a53-1d2f3e4a5b6c",
     ["find_inventory", "assess_price", "5b0c1f8e-0d1b-4c55-9a53-1d2f3e4a5b6c"]),
])
def test_internals_are_found(text: str, found: list[str]) -> None:
    assert internals_in(text) == found


@pytest.mark.parametrize("text", [
    "GAA26800LC1 is in stock at Truck 01 (2 units), $4,650.00 each.",
    "No match for “blue door widget”. None of those fit a Gen2?",
    "None of the three sellers ships today.",
    "Found none.",
    "Reply 1, 2 or 3.",
    "Door operator AT400 – superseded by GAA24350BH2 (order that one today).",
    "Part 591882, search parts by photo: send a picture of the nameplate.",
    "Errors happen; I could not read the label. Try a sharper photo?",
    "That's a fair price: market $4,700 (12 data points), 1 × refurbished.",
])
def test_ordinary_replies_are_clean(text: str) -> None:
    assert internals_in(text) == []


@pytest.mark.parametrize("draft", [SELLERS, NO_MATCH, PICKED], ids=["sellers", "no-match", "picked"])
def test_the_sample_drafts_are_clean(draft) -> None:  # type: ignore[no-untyped-def]
    assert internals_in(draft.plain_text()) == []
