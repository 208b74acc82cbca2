"""Follow-ups that lean on the clause or the list before, as tables without a database: an elided clause filled
in from the one before ("we got any? if not who does"), a condition lifted ("any condition") kept with its ask,
the best of everything asked for rather than of the few shown, a listing's shipping terms and a stock line's
units on order said in words."""

from __future__ import annotations

import pytest

from agent.planners.local.dialogue.asks import entity_dicts, split_asks
from agent.planners.local.dialogue.ellipsis import fill_elided
from agent.planners.local.dialogue.refs import make_ref
from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import DialogueState, Listed
from agent.planners.local.dialogue.terms import only_terms
from agent.planners.local.nlu import NLU
from agent.planners.local.policy import Env
from tests.test_nlu_table import SUMMIT


@pytest.mark.parametrize(("before", "clause", "filled"), [
    ("we got any?", "who does", "who got any?"),
    ("do we have any in stock", "anyone else have?", "anyone else have any in stock"),
    ("you got the lcb", "who else does", "who else got the lcb"),
    ("the keystone one is cheaper", "who does", "who does"),  # no subject of ours to swap: left as it is
    ("we got any?", "who has the cheapest", "who has the cheapest"),  # nothing elided
])
def test_an_elided_clause_is_filled_in_from_the_one_before(before: str, clause: str, filled: str) -> None:
    assert fill_elided(before, clause) == filled


def test_we_got_any_if_not_who_does_asks_our_stock_then_who_has_it(nlu: NLU, env: Env) -> None:
    asks = split_asks(nlu.parse("we got any? if not who does", SUMMIT), env)
    assert [a.intent for a in asks] == ["own_stock", "find_stock"]


@pytest.mark.parametrize(("text", "terms"), [
    ("any condition", True),
    ("dont care what condition its in", True),
    ("new or used", True),
    ("any in stock", False),
    ("who has one", False),
])
def test_lifting_the_condition_is_a_term_not_an_ask(nlu: NLU, text: str, terms: bool) -> None:
    assert only_terms(nlu.parse(text, SUMMIT)) is terms


@pytest.mark.parametrize(("text", "picks"), [
    ("whats the cheapest one", True),
    ("whats the cheapest one period, any condition", False),
    ("cheapest one out there?", False),
    ("cheapest overall", False),
])
def test_the_best_of_everything_is_not_a_pick_from_the_few_shown(nlu: NLU, env: Env, text: str,
                                                                 picks: bool) -> None:
    from agent.planners.local.dialogue.picking import pick

    shown = [make_ref("listing", {"id": "l1", "part_number": "PPX-932501", "condition": "refurbished", "price": 350,
                                  "seller_organization": "Metro Salvage & Surplus"})]
    parse = nlu.parse(text, SUMMIT)
    ask = pick(parse, Said(text, entity_dicts(parse)), DialogueState(listed=Listed(kind="listing", items=shown)), env)
    assert (ask is not None and ask.target is not None and ask.target.id == "l1") is picks


def test_shipping_terms_and_units_on_order_are_said() -> None:
    from agent.planners.local.policies.stock import stock_line
    from agent.planners.local.render import fulfillment_terms

    listing = {"fulfillment_options": ["shipping", "will_call"], "shipping_cost": "18.00", "estimated_shipping_days": 2}
    assert fulfillment_terms(listing) == "shipping ($18, ~2 days), will call"
    assert fulfillment_terms({"fulfillment_options": ["local_pickup"]}) == "local pickup"
    assert fulfillment_terms({}) == "n/a"
    line = {"quantity_available": 1, "name": "Scroll compressor 4 ton", "part_number": "ZP49K5E-PFV-800",
            "location_name": "Northline Shop", "below_reorder_point": True, "quantity_on_order": 4}
    assert stock_line(line) == ("1 × Scroll compressor 4 ton, ZP49K5E-PFV-800 at Northline Shop (below reorder "
                                "point); 4 on order")
    assert "on order" not in stock_line({**line, "quantity_on_order": 0})


def test_what_a_later_change_points_back_at_is_its_lead_in_not_a_change(nlu: NLU, env: Env) -> None:
    from agent.planners.local.dialogue.asks import read_sentences

    text = ("got 2 of those otis AT300 operators ABA54953L7 sitting in main warehouse, used good. "
            "list both at 1800 ea, network only")
    asks = read_sentences(nlu.parse(text, SUMMIT), env)
    assert [a.intent for a in asks] == ["create_listing"]
    said = asks[0].get("part_number"), asks[0].get("condition")
    assert [e.value if e else None for e in said] == ["ABA54953L7", "used_good"]  # told what it is
    made = read_sentences(nlu.parse("wanna auction off the used LCB II we pulled, GAA26800LB1. start it at 1500, "
                                    "reserve 2500, let it run 5 days. post it once its set up", SUMMIT), env)
    assert made and made[0].intent == "create_listing"  # what is made is no lead-in to changing it


def test_a_story_that_names_the_part_then_asks_where_we_have_it(nlu: NLU, env: Env) -> None:
    text = ("carrier rtu compressor hums wont start, 40/5 dual cap (P291-4053RS) is bulged. do i have one on the "
            "truck and how many at the shop?")
    asks = split_asks(nlu.parse(text, SUMMIT), env)
    assert [a.intent for a in asks] == ["own_stock"]
    assert asks[0].get("part_number") is not None and {e.value for e in asks[0].entities
                                                        if e.entity == "location"} == {"my_truck", "warehouse"}


def test_a_stock_line_tells_conditions_apart() -> None:
    from agent.planners.local.policies.stock import stock_line

    line = {"quantity_available": 6, "part_number": "P291-4053RS", "location_name": "Northline Truck 2 (Dana)"}
    assert stock_line({**line, "condition": "refurbished"}) == \
        "6 × P291-4053RS (refurbished) at Northline Truck 2 (Dana)"
    assert stock_line({**line, "condition": "new"}) == "6 × P291-4053RS at Northline Truck 2 (Dana)"


def test_one_answer_that_leaves_nothing_required_is_not_drafting_step_by_step() -> None:
    from agent.planners.local.dialogue import forms

    def asked_next(values: dict[str, object], asked_before: list[str], said_more: bool = True) -> str | None:
        form = forms.new_form("create_listing")
        form.values.update(values)
        form.asked_before, form.said_more = asked_before, said_more
        slot = forms.missing(form)
        return slot.field if slot else None

    every = {"listing_type": "sale", "part_number": "S1-02544303000", "condition": "new", "quantity": 10, "price": "35"}
    assert asked_next(every, ["part_number"]) is None  # "which part?" … "S1-…, new, 10 of em, 35 each": propose
    assert asked_next(every, ["condition", "price"]) == "fulfillment_options"  # step by step: the optional too
    # the one answer gave only what was asked ("condition?" … "used"): still step by step, the count is asked
    assert asked_next({k: v for k, v in every.items() if k != "quantity"}, ["condition"], said_more=False) == "quantity"
    # one question answered, but the price still to come: the count (a default of 1) is asked on the way
    assert asked_next({k: v for k, v in every.items() if k not in ("quantity", "price")}, ["condition"]) == "quantity"


def test_a_clause_that_points_back_makes_nothing_new(nlu: NLU, env: Env) -> None:
    asks = split_asks(nlu.parse("knock it down to 160 and open it up to public", SUMMIT), env)
    assert [a.intent for a in asks] == ["update_listing"]
    two = split_asks(nlu.parse("drop the lcb to 4200 and list the GAA24350BH1 door op at 300", SUMMIT), env)
    assert "create_listing" in [a.intent for a in two]  # a thing of its own named: a listing of its own


def test_an_ask_pointing_back_waits_on_the_pick_asked_before_it() -> None:
    from agent.planners.local.dialogue.picking import carried_on, waits_on_the_pick
    from agent.planners.local.dialogue.state import AskState, Listed, Ref

    # "the furnace board i drafted, bump it to 220 and push it live" … "which listing?" … "the carrier one"
    listings = Listed(kind="listing", goal="update_listing", items=[Ref(kind="listing", id=i) for i in "ab"])
    publish = AskState(intent="publish_listing", text="push it live")
    assert waits_on_the_pick(publish, listings)
    # "which part?" … the stock change after it is about stock, and the part in focus says which
    assert not waits_on_the_pick(AskState(intent="adjust_stock", text="take it off my truck stock"),
                                 Listed(kind="part", goal="own_stock"))
    named = AskState(intent="publish_listing", text="push it live, the trane one",
                     entities=[{"entity": "manufacturer", "value": "Trane"}])
    assert not waits_on_the_pick(named, listings)
    listings.then = [publish.model_dump(mode="json")]
    picked = AskState(intent="update_listing", text="the carrier one", target=listings.items[0])
    assert [(a.intent, a.target.id if a.target else None) for a in carried_on(listings, picked)] == \
        [("publish_listing", "a")]
    assert carried_on(listings, AskState(intent="details", text="the carrier one", target=listings.items[1])) == []
