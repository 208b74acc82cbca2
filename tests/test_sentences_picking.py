"""Which listed thing a message means and what it counts, as tables without a database: a count that tells
lines apart, the part said to be broken, conditions said together, a correction followed by another change, the
count said right before a part number, a listing's price said as "make it"."""

from __future__ import annotations

import pytest

from agent.planners.local.dialogue.asks import context_then_command, entity_dicts
from agent.planners.local.dialogue.refs import make_ref, match
from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import DialogueState, Listed
from agent.planners.local.nlu import NLU
from agent.planners.local.policy import Env
from tests.test_nlu_table import SUMMIT


@pytest.mark.parametrize(("text", "picked"), [
    ("the one with 6", "s2"),
    ("the one that has 5", "s1"),
    ("bump the reorder point on those to 3", None),  # a value to set, not a count that tells them apart
    ("the one with 9", None),
])
def test_a_count_said_picks_the_line_holding_it(nlu: NLU, text: str, picked: str | None) -> None:
    lines = [make_ref("stock", {"id": sid, "name": "Dual run capacitor 40/5 MFD", "part_number": "P291-4053RS",
                                "quantity_on_hand": held, "reorder_point": 3}) for sid, held in (("s1", 5), ("s2", 6))]
    parse = nlu.parse(text, SUMMIT)
    hits = match(lines, Said(text, entity_dicts(parse)))
    assert [h.id for h in hits if len(hits) == 1] == ([picked] if picked else [])


def test_drop_words_on_the_watchlist_stop_watching_the_one_named(nlu: NLU, env: Env) -> None:
    from agent.planners.local.dialogue.picking import pick

    watched = [make_ref("listing", {"id": lid, "part_number": pn, "manufacturer": maker, "name": name,
                                    "seller_organization": "Metro Salvage & Surplus"})
               for lid, pn, maker, name in (("l1", "HK38EA021", "Carrier", "Defrost timer"),
                                            ("l2", "CNT05096", "Trane", "Heat pump defrost control board"))]

    def goal(text: str, dropping: str | None) -> tuple[str | None, str | None]:
        state = DialogueState(listed=Listed(kind="listing", items=watched, dropping=dropping))
        parse = nlu.parse(text, SUMMIT)
        ask = pick(parse, Said(text, entity_dicts(parse)), state, env)
        return (ask.intent, ask.target.id if ask.target else None) if ask else (None, None)

    assert goal("drop the trane defrost board, got one from supply house", "unwatch_listing") == \
        ("unwatch_listing", "l2")
    assert goal("pls take the trane one off", "unwatch_listing") == ("unwatch_listing", "l2")
    # a list that is no watchlist: dropping one of it means nothing of the kind
    assert goal("drop the trane defrost board, got one from supply house", None)[0] != "unwatch_listing"


def test_the_part_said_to_be_broken_is_the_one_meant() -> None:
    from agent.planners.local.policies.parts import named_among
    from knowledge.search.kinds import part_nouns_in

    parts = [{"part_number": "MOT71672", "manufacturer": "Trane", "name": "Dual run capacitor 55/5 MFD 440 VAC"},
             {"part_number": "CNT34534", "manufacturer": "Trane", "name": "Condenser fan motor 1 hp 1100 rpm 460V"},
             {"part_number": "HC57DX440", "manufacturer": "Carrier", "name": "Condenser fan motor 1 hp 1100 rpm 460V"}]
    text = "trane rtu condenser fan wont spin, motor's cooked & seized. 1hp 1100rpm 460v. need to order one"
    assert named_among(parts, text, "Trane")["part_number"] == "CNT34534"  # type: ignore[index]
    assert named_among(parts, text) is None  # two motors, no maker said: not a guess
    assert named_among(parts, "condenser fan wont spin, unit is dead") is None  # the unit is no part
    assert part_nouns_in("2 batts, a new xfmr and a disco") == {"battery", "transformer", "disconnect"}


def test_the_question_before_an_ask_leads_into_it() -> None:
    from agent.planners.local.dialogue.state import AskState, TurnState

    asks = [AskState(intent="diagnose", text="xr16 iced solid. coil sensor ohms out fine. board?"),
            AskState(intent="own_stock", text="we got any")]
    assert TurnState(asks=asks, index=1).lead_in() == "board?"
    assert TurnState(asks=asks, index=0).lead_in() == ""


def test_two_conditions_said_narrow_to_either(nlu: NLU) -> None:
    answers = [make_ref("response", {"id": rid, "part_number": "RH3B-UAC240V", "organization_name": org,
                                     "condition": condition})
               for rid, org, condition in (("r1", "Metro Salvage & Surplus", "refurbished"),
                                           ("r2", "Keystone Parts Supply", "new"))]
    text = "keystone's. new beats refurb. will call"
    parse = nlu.parse(text, SUMMIT)
    assert [r.id for r in match(answers, Said(text, entity_dicts(parse)))] == ["r2"]
    only_refurb = "the refurb one"
    assert [r.id for r in match(answers, Said(only_refurb, entity_dicts(nlu.parse(only_refurb, SUMMIT))))] == ["r1"]


def test_a_correction_keeps_the_change_of_another_kind_after_it(nlu: NLU, env: Env) -> None:
    text = "shoot i meant 30 of em not 3. and make it 37. then publish"
    asks = context_then_command(nlu.parse(text, SUMMIT), env)
    assert asks is not None and [a.intent for a in asks] == ["update_listing", "publish_listing"]
    corrected = context_then_command(nlu.parse("bump my max to 400. no wait make it 375", SUMMIT), env)
    assert corrected is None or len(corrected) == 1  # one change, corrected: never two


@pytest.mark.parametrize(("text", "count"), [
    ("burned 2 of the 45/5 caps and a SEN77288 stat on the job, take em off my truck", 1),
    ("used 2 x GAA26800LC1 today", 2),
    ("used the GAA26800LC1, 2 of em", None),  # no count right before it: the message's count stands
])
def test_the_count_right_before_a_part_number_is_its_own(text: str, count: int | None) -> None:
    number = next(w for w in text.split() if any(c.isdigit() for c in w) and len(w) > 5)
    said = Said(text, [{"entity": "part_number", "value": number, "text": number, "start": text.index(number)}])
    assert said.count_before("part_number") == count


def test_of_two_counts_for_a_listing_the_one_made_its_price_is_the_price() -> None:
    from agent.planners.local.policies.selling import _set_as_price

    said = "shoot i meant 30 of em not 3. and make it 37. then publish"
    assert _set_as_price(["30", "37"], said, "36.00") == "37"
    assert _set_as_price(["30", "37"], "30 of em, 37 total", "36.00") is None  # no "make it": asked, not guessed
    assert _set_as_price(["30", "370"], "30 of em. make it 370", "36.00") is None  # far from the price
