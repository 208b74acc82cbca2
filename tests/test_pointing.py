"""How a message points at what it means, as tables without a database: a correction inside the message,
amounts relative to the object talked about, superlatives and refusals among listed items, and a clause that
runs one of them down."""

from __future__ import annotations

import pytest

from agent.planners.local.dialogue import forms, relative
from agent.planners.local.dialogue.asks import entity_dicts
from agent.planners.local.dialogue.refs import make_ref, match, set_apart_spurned
from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import Ref
from agent.planners.local.nlu import NLU
from agent.planners.local.nlu.numbers import joined_ratings
from tests.test_nlu_table import SUMMIT


def _said(nlu: NLU, text: str) -> Said:
    return Said(text, entity_dicts(nlu.parse(text, SUMMIT)))


@pytest.mark.parametrize(("text", "entity", "value"), [
    ("used 2 at the dollar tree job no wait 3", "quantity", "3"),
    ("list 4 of em at 295 each, no wait only 3 are sealed", "quantity", "3"),
    ("offer 400, actually 380", "price", "380"),
    ("used 2 at the mall job", "quantity", "2"),
])
def test_a_correction_inside_a_message_wins(nlu: NLU, text: str, entity: str, value: str) -> None:
    assert _said(nlu, text).value(entity) == value


_AUCTION = make_ref("listing", {"id": "a1", "part_number": "PPX-1", "listing_type": "auction", "current_bid": "310",
                                "seller_organization": "Metro Salvage & Surplus"})
_SALE = make_ref("listing", {"id": "s1", "part_number": "PPX-2", "listing_type": "sale", "price": "240"})
_COUNTERED = make_ref("offer", {"id": "o1", "part_number": "PPX-3", "offered_price": "500",
                                "counter_offer": {"price": "600"}})


@pytest.mark.parametrize(("text", "target", "amount"), [
    ("go 50 over where its at", _AUCTION, "360"),
    ("bump my bid 25", _AUCTION, "335"),
    ("offer em 20 under asking", _SALE, "220"),
    ("knock 40 bucks off", _SALE, "200"),
    ("take 30 off the price", _SALE, "210"),
    ("split the difference", _COUNTERED, "550"),
    ("meet them halfway", _COUNTERED, "550"),
    ("knock it down to 39", _SALE, "39"),  # an amount "to" is the amount itself
    ("go 50 over where its at", None, None),  # nothing to be relative to: asked, never taken as 50
])
def test_relative_amounts_resolve_against_the_object(nlu: NLU, text: str, target: Ref | None,
                                                      amount: str | None) -> None:
    assert relative.resolved(_said(nlu, text), target).value("price") == amount


def _listing(ident: str, org: str, condition: str, price: str, name: str = "Pump battery") -> Ref:
    return make_ref("listing", {"id": ident, "part_number": "PPX-9", "seller_organization": org,
                                "condition": condition, "price": price, "name": name})


_BATTERIES = [_listing("metro", "Metro Salvage & Surplus", "used_good", "118"),
              _listing("keystone", "Keystone Parts Supply", "new", "165")]
_THREE = [_listing("metro", "Metro Salvage & Surplus", "used_fair", "210"),
          _listing("keystone", "Keystone Parts Supply", "used_good", "240"),
          _listing("northline", "Northline Mechanical", "used_good", "265")]


@pytest.mark.parametrize(("text", "items", "picked"), [
    ("watch the pricier one", _BATTERIES, ["keystone"]),
    ("the cheaper one", _BATTERIES, ["metro"]),
    ("watch it, not buying used batts", _BATTERIES, ["keystone"]),
    ("the metro one", _THREE, ["metro"]),
    ("watch one of em", _THREE, []),  # nothing singles one out: asked, not guessed
])
def test_listed_items_picked_by_superlative_name_or_refusal(nlu: NLU, text: str, items: list[Ref],
                                                             picked: list[str]) -> None:
    assert [r.id for r in match(items, _said(nlu, text))] == picked


@pytest.mark.parametrize(("text", "left", "picked"), [
    ("send keystone 220. metros is beat up", ["keystone", "northline"], ["keystone"]),
    ("used fair is sketchy. take the northline one", ["keystone", "northline"], ["northline"]),
    ("keystones is too high, send them 220", ["metro", "keystone", "northline"], ["keystone"]),  # a price gripe
])
def test_a_clause_that_runs_one_down_sets_it_apart(nlu: NLU, text: str, left: list[str], picked: list[str]) -> None:
    pool, rest = set_apart_spurned(_THREE, _said(nlu, text))
    assert [r.id for r in pool] == left
    assert [r.id for r in match(pool, rest)] == picked


def test_ratings_compare_as_words() -> None:
    assert joined_ratings("the 40 amp one") == "the 40a one"
    assert joined_ratings("2p 40a contactor, 24 volt coil") == "2p 40a contactor, 24v coil"
    assert joined_ratings("4.5 ton") == "4.5 ton"


def test_a_clause_that_keeps_one_sets_it_apart(nlu: NLU) -> None:
    holds = [make_ref("hold", {"id": "d", "part_number": "H3CR-S6", "held_by": "Derek Olson"}),
             make_ref("hold", {"id": "t", "part_number": "H3CR-S6", "held_by": "Priya Raman"})]
    pool, rest = set_apart_spurned(holds, _said(nlu, "kill derek's, priya still needs hers"))
    assert [r.id for r in pool] == ["d"] and [r.id for r in match(pool, rest)] == ["d"]
    both = _said(nlu, "kill derek's or priya's")  # two names of one kind: either, never neither
    assert [r.id for r in match(holds, both)] == ["d", "t"]


@pytest.mark.parametrize(("form", "text", "values"), [
    ("place_bid", "bump my max to 400. no wait make it 375, thats all", {"max_bid": "375"}),
    # a correction about something else leaves the amounts said with their fields alone
    ("create_listing", "auction it, start it at 250 w/ a 400 reserve, actually make it 5 days",
     {"starting_bid": "250", "reserve_price": "400"}),
    ("create_wanted_post", "395 is too rich. put a wanted out for 2, max 300 ea", {"max_price": "300"}),
])
def test_amounts_named_by_their_field_and_corrected(nlu: NLU, form: str, text: str, values: dict[str, str]) -> None:
    filled = forms.new_form(form)
    forms.fill(filled, _said(nlu, text))
    assert {k: filled.values.get(k) for k in values} == values


def test_an_auction_listed_without_bids_shows_its_opening_bid() -> None:
    """A listing kept in the conversation (slimmed to its fields) still says where an auction opens."""
    from agent.planners.local.render import listing_price

    shown = make_ref("listing", {"id": "l1", "part_number": "HW-210-GV", "listing_type": "auction", "status": "active",
                                 "price": None, "starting_bid": "900.00", "current_bid": None})
    assert listing_price(shown.data) == "auction opening at $900"
