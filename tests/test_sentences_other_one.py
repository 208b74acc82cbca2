"""Table tests, no database: "the … one" after a change is another thing of the kind it names, a rating typed
otherwise ("iso 68") is not the object in focus (ISO 32 oil), and a request's word leading a name's ("draft
switch") tells listed items apart."""

from __future__ import annotations

import pytest

from agent.planners.local.dialogue.ellipsis import fill_one
from agent.planners.local.dialogue.item_words import by_words, rated_otherwise
from agent.planners.local.dialogue.refs import make_ref
from agent.planners.local.dialogue.said import Said

_OIL_32 = make_ref("listing", {"id": "a", "part_number": "DTE24-5G", "name": "Hydraulic oil ISO 32, 5 gal",
                               "listing_type": "auction"})
_DRAFT = make_ref("listing", {"id": "d", "part_number": "HK53LS506", "name": "Draft pressure switch, -0.65 in wc"})
_LIMIT = make_ref("listing", {"id": "l", "part_number": "800FP-D87", "name": "Limit switch, top plunger"})


@pytest.mark.parametrize(("before", "clause", "read"), [
    ("pull my dte 24 5gal auction, sold it over the counter", "whats the iso 68 one sittin at",
     "whats the iso 68 auction sittin at"),
    ("reject the rival offer", "hows the apex one look", "hows the apex offer look"),
    ("kill my hold on the caps", "any left at the shop", "any left at the shop"),  # no "the … one"
    ("whats it at", "what about the other one", "what about the other one"),  # nothing named before
])
def test_the_one_after_a_change_is_of_its_kind(before: str, clause: str, read: str) -> None:
    assert fill_one(before, clause) == read


@pytest.mark.parametrize(("text", "otherwise"), [
    ("whats the iso 68 auction sittin at", True),
    ("whats the iso 32 one at", False),
    ("is the 5 gal one still up", False),  # a number, no rating word the oil gives
    ("cancel it", False),
])
def test_a_rating_typed_otherwise_is_not_that_object(text: str, otherwise: bool) -> None:
    assert rated_otherwise(_OIL_32, Said(text)) is otherwise


def test_a_request_word_in_front_of_a_name_is_the_names() -> None:
    assert by_words([_LIMIT, _DRAFT], Said("metro's draft switch")) == [_DRAFT]
    assert by_words([_LIMIT, _DRAFT], Said("keep the switch a draft for now")) == []
