"""A message of several sentences or clauses, as tables without a database: which parts are the asks, what each
is about, and which offers a clause turns away — and which words only tell the story."""

from __future__ import annotations

import pytest

from agent.planners.local.dialogue.asks import context_then_command, entity_dicts, several_changes, split_asks
from agent.planners.local.dialogue.interpret import interpret
from agent.planners.local.dialogue.item_words import codes_fit
from agent.planners.local.dialogue.refs import make_ref, match, match_besides_spurned, names_other_kind, resolve
from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import DialogueState, Listed
from agent.planners.local.dialogue.terms import only_terms
from agent.planners.local.nlu import NLU
from agent.planners.local.policy import Env
from tests.test_nlu_table import SUMMIT


def test_telling_sentences_then_two_changes(nlu: NLU, env: Env) -> None:
    text = "got 2 offers on the eaton transformer. tell luis no thanks. dana can have it for 145"
    asks = context_then_command(nlu.parse(text, SUMMIT), env)
    assert asks is not None
    assert [a.intent for a in asks] == ["reject_offer", "counter_offer"]
    assert asks[1].value("price") == "145" and asks[0].value("price") is None  # a change keeps its own terms
    assert "transformer" in asks[0].text and "luis" not in asks[1].text  # told what, not who the other is


def test_a_message_that_ends_in_a_question_is_that_question(nlu: NLU, env: Env) -> None:
    text = "cond fan motor seized on one of the xr14s. 1/3hp i think. part #?"
    assert context_then_command(nlu.parse(text, SUMMIT), env) is None


def test_a_change_that_points_back_is_about_what_was_named(nlu: NLU, env: Env) -> None:
    text = "rival has a refurb floor board listed right? offer him 550, ill pick it up"
    _, second = split_asks(nlu.parse(text, SUMMIT), env)
    assert second.intent == "make_offer"
    assert second.value("organization") == "Rival Lift & Climate" and second.value("condition") == "refurbished"
    assert second.value("price") == "550"


def test_three_asks_in_one_message(nlu: NLU, env: Env) -> None:
    text = "did somebody outbid me on the pvt auction from metro? bump me to 700 and watch it"
    assert [p.intent for p in split_asks(nlu.parse(text, SUMMIT), env)] == \
        ["auction_status", "place_bid", "watch_listing"]


_RIVAL = make_ref("offer", {"id": "o1", "buyer_organization": "Rival Lift & Climate", "offered_price": "700",
                            "status": "pending"})
_APEX = make_ref("offer", {"id": "o2", "buyer_organization": "Apex Elevator Services", "offered_price": "650",
                           "status": "pending"})


@pytest.mark.parametrize(("text", "meant"), [
    ("counter em at 745 for both. apex can wait", ["o1"]),   # a clause of its own turns apex away
    ("tell rival no thanks", ["o1"]),                         # the refusal is the change itself, not a spurn
    ("keep an eye on apex's, counter it at 700", ["o2"]),     # "keep" in the clause that names the change
])
def test_offers_turned_away_or_meant(nlu: NLU, text: str, meant: list[str]) -> None:
    said = Said(text, entity_dicts(nlu.parse(text, SUMMIT)))
    assert [r.id for r in match_besides_spurned([_RIVAL, _APEX], said)] == meant


@pytest.mark.parametrize(("text", "entity", "value"), [
    ("ok send them an offer, 225 for 1", "quantity", "1"),
    ("start it at 1500, reserve 2500, let it run 5 days. auction", "price", "2500"),
    ("the MERV 11 filters came in, 12 of em", "quantity", "12"),
    ("fedex 7712 3344 9081, mark it shipped", "tracking_number", "771233449081"),
    ("wanna sell a pvt, pulled off a 411 that got modded. used good, $650, just the 1", "quantity", "1"),
    ("used 2 of the 440 ones on the carrier rtu, knock em off", "quantity", "2"),
])
def test_numbers_by_the_slot_they_fill(nlu: NLU, text: str, entity: str, value: str) -> None:
    assert value in nlu.parse(text, SUMMIT).values(entity)
    if entity == "quantity":
        assert len(nlu.parse(text, SUMMIT).values("quantity")) == 1


def test_a_price_said_with_its_sign_is_the_only_price(nlu: NLU) -> None:
    parse = nlu.parse("wanna sell a pvt, pulled off a 411 that got modded. used good, $650, just the 1", SUMMIT)
    assert parse.values("price") == ["650"]  # not the machine it came off, not the count


def test_a_clause_that_puts_one_off_never_names_the_target(nlu: NLU) -> None:
    text = "reject the 700 one, thats a lowball. leave apex's for now i'll think about it"
    low = make_ref("offer", {"id": "low", "buyer_organization": "Summit Vertical & Mechanical", "offered_price": "700",
                             "status": "pending"})
    apex = make_ref("offer", {"id": "apex", "buyer_organization": "Apex Elevator Services", "offered_price": "1150",
                              "status": "pending"})
    state = DialogueState(listed=Listed(kind="offer", items=[low, apex]))
    target, _ = resolve(state, Said(text, entity_dicts(nlu.parse(text, SUMMIT))), "offer")
    assert target is not None and target.id == "low"


def test_each_sentence_that_clearly_changes_an_offer_is_done(nlu: NLU, env: Env) -> None:
    asks = several_changes(nlu.parse("reject the rival one, lowball. take apex's", SUMMIT), env, "offer")
    assert asks is not None and asks[0].intent == "reject_offer" and asks[1].intent.startswith("accept")
    # a sentence that only tells what was offered is no counter
    assert several_changes(nlu.parse("lol metro at 150. reject that one", SUMMIT), env, "offer") is None


@pytest.mark.parametrize(("name", "text", "fits"), [
    ("Damper actuator, spring return 24V", "put a watch on metros used AT400 door op", False),
    ("Door operator, AT400 complete", "put a watch on metros used AT400 door op", True),
    ("Control transformer", "the eaton 1000va one, 40a fuse too", True),  # measurements are no codes
])
def test_a_named_item_must_carry_the_codes_said(name: str, text: str, fits: bool) -> None:
    listing = make_ref("listing", {"id": "l1", "name": name, "part_number": "X-1", "seller_organization": "Metro"})
    assert codes_fit(listing, Said(text, [])) is fits


@pytest.mark.parametrize(("name", "text", "other"), [
    ("Rail clip set, 15 lb guide rail", "used 2 of the run caps on the carrier job this morning", True),
    ("Dual run capacitor 40/5 MFD 440 VAC", "used 2 of the run caps this morning", False),
    ("Door operator, AT400 complete", "that door motor, knock 50 off it", False),  # techs call it a door motor
    ("IEC contactor 3P 9A 24V coil", "pulled one for the rtu this morning", False),  # names no kind at all
    ("Primary velocity transducer, 1024 ppr", "and drop my curtain hold, wrong job", True),
    ("Door light curtain, PANACHROME+ 154-beam", "and drop my curtain hold, wrong job", False),
])
def test_a_kind_of_part_said_must_be_the_objects(name: str, text: str, other: bool) -> None:
    item = make_ref("stock", {"id": "s1", "name": name, "part_number": "X-1", "location_name": "Truck 2"})
    assert names_other_kind(item, Said(text, [])) is other


def test_saying_no_on_a_thing_points_at_it() -> None:
    clutch = make_ref("offer", {"id": "c", "listing_name": "Door clutch, side opening", "status": "countered"})
    fuse = make_ref("offer", {"id": "f", "listing_name": "Fuse, class J 20A", "status": "countered"})
    assert [r.id for r in match([clutch, fuse], Said("tell metro no on the door clutch", []))] == ["c"]
    assert [r.id for r in match([clutch, fuse], Said("not the door clutch, the other", []))] == ["f"]


def test_a_word_after_an_offer_amount_is_not_what_it_counts(nlu: NLU) -> None:
    parse = nlu.parse("2nd one. offer 75 see if they bite", SUMMIT)
    assert parse.value("price") == "75" and parse.value("quantity") is None


def test_an_amount_said_wins_over_meeting_in_the_middle(nlu: NLU) -> None:
    parse = nlu.parse("go back at 270, meet her in the middle", SUMMIT)
    prices = [e for e in parse.entities if e.entity == "price"]
    assert [e.value for e in prices] == ["270"] and not any(k == "relative" for e in prices for k, _ in e.extra)
    assert any(k == "relative" for e in nlu.parse("just meet them in the middle", SUMMIT).entities for k, _ in e.extra)


def test_a_used_grade_said_is_that_grade(nlu: NLU) -> None:
    good = make_ref("listing", {"id": "g", "condition": "used_good", "price": 893, "seller_organization": "Metro"})
    fair = make_ref("listing", {"id": "f", "condition": "used_fair", "price": 1065, "seller_organization": "Metro"})
    new = make_ref("listing", {"id": "n", "condition": "new", "price": 2000, "seller_organization": "Metro"})

    def picked(text: str) -> list[str]:
        parse = nlu.parse(text, SUMMIT)
        return [r.id or "" for r in match([good, fair, new], Said(parse.text, entity_dicts(parse)))]

    assert picked("is the used fair one a good price?") == ["f"]
    assert sorted(picked("any used ones")) == ["f", "g"]  # "used" is any used grade


def test_a_clause_of_terms_is_no_ask_of_its_own(nlu: NLU) -> None:
    assert only_terms(nlu.parse("used good, $650, just the 1", SUMMIT))
    assert not only_terms(nlu.parse("used 2 of the 440 ones", SUMMIT))


def test_a_count_no_list_has_as_a_number_is_the_item_with_that_many() -> None:
    five = make_ref("stock", {"id": "five", "name": "Dual run capacitor 40/5", "quantity_available": 5})
    six = make_ref("stock", {"id": "six", "name": "Dual run capacitor 40/5", "quantity_available": 6})
    said = Said("the one with 6", [{"entity": "choice", "value": "6", "start": 13, "text": "6"}])
    assert [r.id for r in match([five, six], said)] == ["six"]


@pytest.mark.parametrize(("text", "intent"), [
    ("at400 door operators, buy it now only (no auctions), cheapest first", "search_market"),
    ("ok buy it now", "buy_now"),
])
def test_buy_it_now_as_a_kind_of_listing_buys_nothing(nlu: NLU, env: Env, text: str, intent: str) -> None:
    assert [a.intent for a in interpret(text, [], DialogueState(), env, None, 0)] == [intent]



def test_two_answers_to_two_parties_in_one_clause_pair(nlu: NLU, env: Env) -> None:
    asks = split_asks(nlu.parse("take apex's 3k, tell rival no thx", SUMMIT), env)
    assert [(a.intent, a.value("organization")) for a in asks] == \
        [("accept_offer", "Apex Elevator Services"), ("reject_offer", "Rival Lift & Climate")]


@pytest.mark.parametrize(("text", "slot", "value"), [
    ("burned both 20mfd genteq caps off my truck, take em off", "quantity", "2"),
    ("throw 4 in my cart", "quantity", "4"),
    ("need 2 new or refurb, max 500 ea. no rush", "urgency", "standard"),
    ("need it asap", "urgency", "urgent"),
    ("auction it. start 2500, 100 bumps, 5 days", "increment", "100"),
    ("auction it, start at 300 in increments of 25", "increment", "25"),
])
def test_a_number_or_a_phrase_fills_the_slot_it_names(nlu: NLU, text: str, slot: str, value: str) -> None:
    assert nlu.parse(text, SUMMIT).value(slot) == value


def test_no_rush_is_not_a_hurry(nlu: NLU) -> None:
    said = Said("no rush", entity_dicts(nlu.parse("need 2 of them, no rush", SUMMIT)))
    assert not said.in_a_hurry()
    assert Said("asap", entity_dicts(nlu.parse("need 2 of them asap", SUMMIT))).in_a_hurry()

