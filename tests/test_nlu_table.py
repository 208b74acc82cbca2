"""The local planner's NLU as tables: utterance → intent and slots, read with lookup tables built from a small
fixture of the demo world's names (no database). The classifier is the cached model trained on data/train."""

from __future__ import annotations

import uuid
from dataclasses import fields
from typing import Any

import numpy as np
import pytest
from sklearn.model_selection import StratifiedKFold

from agent.planners.local.nlu import NLU, THRESHOLD, classify_assent, features
from agent.planners.local.nlu.classifier import IntentModel, embed_examples
from agent.planners.local.nlu.examples import _key, load_examples, training_examples
from knowledge.lookups import Location, LookupTables, Person
from knowledge.partnumbers import normalize_part_number
from knowledge.search.vocabulary import EquipmentRef, Vocabulary

SUMMIT = "Summit Vertical & Mechanical"
_PEOPLE = {"Apex Elevator Services": ["Ben Carter", "Ana Silva"], "Metro Salvage & Surplus": ["Ray Kowalski"],
           "Keystone Parts Supply": ["Mark Delaney", "Tina Alvarez"], "Rival Lift & Climate": ["Kurt Mason"],
           SUMMIT: ["Maria Gonzalez", "Derek Olson", "Priya Raman", "Kayla Brooks", "Sam Whitfield"]}
_LOCATIONS = [("Summit Main Warehouse", SUMMIT, "warehouse", None),
              ("Summit North Satellite", SUMMIT, "warehouse", None),
              ("Summit Office Stockroom", SUMMIT, "office", None),
              ("Denver Health Site Cage", SUMMIT, "site", None),
              ("Truck 01 (Maria)", SUMMIT, "truck", "Maria Gonzalez"),
              ("Truck 02 (Derek)", SUMMIT, "truck", "Derek Olson"),
              ("Truck 03 (Priya)", SUMMIT, "truck", "Priya Raman"),
              ("Truck 05 (Kayla)", SUMMIT, "truck", "Kayla Brooks"),
              ("Apex Van 1 (Ben)", "Apex Elevator Services", "truck", "Ben Carter"),
              ("Apex Warehouse", "Apex Elevator Services", "warehouse", None),
              ("Rival Warehouse", "Rival Lift & Climate", "warehouse", None),
              ("Keystone Will-Call Counter Englewood", "Keystone Parts Supply", "warehouse", None)]
_MODELS = [("Otis", "Gen2", ["gen 2"]), ("Otis", "Gen2 Comfort", []), ("KONE", "MonoSpace 500", ["ms500"]),
           ("Schindler", "3300", ["schindler 3300"]), ("Baxter", "Sigma Spectrum", ["spectrum"]),
           ("Philips", "IntelliVue MX450", ["mx450"]), ("Carrier", "48TC", ["weathermaker 48tc"]),
           ("Trane", "XR16", []), ("GE Healthcare", "Dash 3000", []), ("GE Healthcare", "Dash 4000", [])]


def _location(name: str, organization: str, kind: str, assigned: str | None) -> Location:
    values: dict[str, Any] = {"id": str(uuid.uuid5(uuid.NAMESPACE_DNS, name)), "name": name,
                              "organization": organization, "location_type": kind, "assigned_to": assigned}
    return Location(**{f.name: values[f.name] for f in fields(Location)})


def demo_tables() -> LookupTables:
    return LookupTables(
        sites=("Brown Palace Hotel", "Republic Plaza", "Swedish Medical Center", "Denver Health Medical Center",
               "Four Seasons Denver", "Gaylord Rockies Resort", "Denver Union Station", "Lakewood Civic Center",
               "Rose Medical Center", "Denver Tech Center Tower II"),
        organizations=(*_PEOPLE, "Northline Mechanical", "Front Range Health Biomedical Engineering"),
        organization_types=(("Metro Salvage & Surplus", "salvage"),
                            ("Front Range Health Biomedical Engineering", "hospital"),
                            ("Apex Elevator Services", "contractor"), ("Rival Lift & Climate", "contractor")),
        people=tuple(Person(name, org) for org, names in _PEOPLE.items() for name in names),
        locations=tuple(_location(*row) for row in _LOCATIONS),
        cities=("Denver", "Aurora", "Lakewood", "Englewood", "Boulder", "Salt Lake City"),
        part_numbers=frozenset(normalize_part_number(p) for p in ("GAA26800LC1", "KM713160G01", "59313150")))


def demo_vocabulary() -> Vocabulary:
    equipment: dict[str, list[EquipmentRef]] = {}
    for maker, model, aliases in _MODELS:
        ref = EquipmentRef(uuid.uuid5(uuid.NAMESPACE_DNS, model), maker, model)
        for spelling in [model, *aliases]:
            equipment.setdefault(normalize_part_number(spelling), []).append(ref)
    makers = {"otis": "Otis", "kone": "KONE", "schindler": "Schindler", "baxter": "Baxter", "philips": "Philips",
              "carrier": "Carrier", "trane": "Trane", "copeland": "Copeland", "ge": "GE Healthcare"}
    return Vocabulary(makers, equipment)


def _said(nlu: NLU, text: str) -> tuple[str, set[tuple[str, str]]]:
    parse = nlu.parse(text, SUMMIT)
    return parse.intent, {(e.entity, e.value) for e in parse.entities}


ROWS = [
    # general: greetings, assent, refusal and deferral, choices
    ("hey there", "greet", set()),
    ("thx, that's all i needed", "thanks", set()),
    ("what can you do for me", "help", set()),
    ("sure, go ahead", "affirm", set()),
    ("yep do it", "affirm", set()),
    ("keep it as a draft for now", "deny", set()),
    ("no need to reserve it", "deny", set()),
    ("hold off till monday", "deny", {("date", "monday")}),
    ("nah leave it", "deny", set()),
    ("not that one", "deny", set()),
    ("take the 2nd", "choose", {("choice", "2")}),
    ("number 3 pls", "choose", {("choice", "3")}),
    ("the apex one", "choose", {("organization", "Apex Elevator Services")}),
    ("dont publish yet", "deny", set()),
    ("what's the forecast for saturday", "out_of_scope", {("date", "saturday")}),
    # parts
    ("need the part number for a door operator on a gen2", "find_part", {("equipment_model", "Gen2")}),
    ("car won't hold at the floor", "diagnose", set()),
    ("compressor won't start on the xr16 at swedish", "diagnose",
     {("equipment_model", "XR16"), ("site", "Swedish Medical Center")}),
    ("the sigma keeps alarming occlusion", "diagnose", {("equipment_model", "Sigma Spectrum")}),
    ("rtu keeps tripping when it tries to hold temp", "diagnose", set()),
    ("door won't close on the monospace 500 at rose medical", "diagnose",
     {("equipment_model", "MonoSpace 500"), ("site", "Rose Medical Center")}),
    ("whats the coil voltage on that one", "details", set()),
    ("does it fit a schindler 3300", "check_fit", {("manufacturer", "Schindler"), ("equipment_model", "3300")}),
    ("what equipment is at the brown palace", "site_equipment", {("site", "Brown Palace Hotel")}),
    # sourcing
    ("car's down at union station, who has a gaa26800lc1", "find_stock",
     {("urgency", "emergency"), ("site", "Denver Union Station"), ("part_number", "GAA26800LC1")}),
    ("anything in aurora?", "find_stock", {("city", "Aurora")}),
    ("got one on my truck?", "own_stock", {("location", "my_truck")}),
    ("do i have one on me", "own_stock", {("location", "my_truck")}),
    ("how many are at summit main", "own_stock", {("location", "Summit Main Warehouse")}),
    ("anything closer to lakewood", "closer", {("city", "Lakewood")}),
    ("how far is the englewood counter", "how_far", {("location", "Keystone Will-Call Counter Englewood")}),
    ("hold 2 for pickup", "hold", {("quantity", "2"), ("fulfillment", "local_pickup")}),
    ("hold one for me till friday", "hold", {("quantity", "1"), ("date", "friday")}),
    ("what have i got on hold", "my_holds", set()),
    ("release my hold, found one on derek's truck", "cancel_hold", {("location", "Truck 02 (Derek)")}),
    # pricing
    ("how much is the refurb one", "price_info", {("condition", "refurbished")}),
    ("is 900 fair for a used lcb", "price_check", {("price", "900"), ("condition", "used_good")}),
    ("what should i ask for it", "suggest_price", set()),
    ("are prices on the mx450 going up", "market_trends", {("equipment_model", "IntelliVue MX450")}),
    # selling
    ("two of them, refurbished, $1,200 apiece, we can ship", "create_listing",
     {("quantity", "2"), ("condition", "refurbished"), ("price", "1200"), ("fulfillment", "shipping")}),
    ("list the spare km713160g01 for 1.1k, partners only", "create_listing",
     {("part_number", "KM713160G01"), ("price", "1100"), ("visibility", "network")}),
    ("publish the draft now", "publish_listing", set()),
    ("drop the price to 850", "update_listing", {("price", "850")}),
    ("take my listing down, it sold", "cancel_listing", set()),
    ("what do i have listed", "my_listings", set()),
    # market and offers
    ("any gen2 door operators on the marketplace", "search_market", {("equipment_model", "Gen2")}),
    ("offer 400 on it", "make_offer", {("price", "400")}),
    ("any offers on my listings", "list_offers", {("direction", "received")}),
    ("accept the offer from metro", "accept_offer", {("organization", "Metro Salvage & Surplus")}),
    ("reject it, way too low", "reject_offer", set()),
    ("counter at 1,050", "counter_offer", {("price", "1050")}),
    ("withdraw my offer on the copeland", "withdraw_offer", {("manufacturer", "Copeland")}),
    # auctions
    ("bid 650 on the auction", "place_bid", {("price", "650"), ("listing_type", "auction")}),
    ("am i still the high bidder", "auction_status", set()),
    ("watch that listing for me", "watch_listing", set()),
    ("stop watching the lcb", "unwatch_listing", set()),
    ("show my watchlist", "my_watchlist", set()),
    # wanted posts
    ("post an iso for 2 door operators, need them by friday", "create_wanted",
     {("quantity", "2"), ("date", "friday")}),
    ("anyone looking for kone parts", "browse_wanted", {("manufacturer", "KONE")}),
    ("reply to their wanted post, we have one at summit main", "respond_wanted",
     {("location", "Summit Main Warehouse")}),
    ("any responses to my iso", "wanted_responses", set()),
    ("accept apex's response", "accept_response", {("organization", "Apex Elevator Services")}),
    # inventory
    ("used 2 on the job at republic plaza", "adjust_stock",
     {("adjust_reason", "used_on_job"), ("quantity", "2"), ("site", "Republic Plaza")}),
    ("one got damaged, take it off", "adjust_stock", {("quantity", "1"), ("adjust_reason", "damaged")}),
    ("move 3 from summit main to kayla's truck", "transfer_stock",
     {("quantity", "3"), ("location", "Summit Main Warehouse"), ("location", "Truck 05 (Kayla)")}),
    ("what's running low", "low_stock", set()),
    # deals
    ("what did we buy this month", "my_orders", set()),
    ("it shipped, ups 1Z999AA10123456784", "mark_shipped",
     {("carrier", "UPS"), ("tracking_number", "1Z999AA10123456784")}),
    ("dropped it off at fedex, 771234567890", "mark_shipped",
     {("carrier", "FedEx"), ("tracking_number", "771234567890")}),
    ("it arrived today", "confirm_delivered", {("date", "today")}),
    ("give ray 4 stars", "rate_seller", {("person", "Ray Kowalski"), ("rating", "4")}),
    ("rate them four stars", "rate_seller", {("rating", "4")}),
    ("⭐⭐⭐⭐⭐", "rate_seller", {("rating", "5")}),
    # numbers by role, tracking numbers and carriers
    ("mark order #2 shipped, dhl JD014600006543219870", "mark_shipped",
     {("choice", "2"), ("carrier", "DHL"), ("tracking_number", "JD014600006543219870")}),
    ("metro was great, 4/5", "rate_seller", {("organization", "Metro Salvage & Surplus"), ("rating", "4")}),
    ("whats the top bid on lot 2", "auction_status", {("choice", "2")}),
    ("received 2 of the 3, rest comes next week", "confirm_delivered",
     {("quantity", "2"), ("quantity", "3"), ("date", "next week")}),
    ("we're short one on priya's truck, count is off", "adjust_stock",
     {("quantity", "1"), ("location", "Truck 03 (Priya)"), ("adjust_reason", "cycle_count")}),
    # a company by its kind, when the network has one of that kind (two contractors: "the contractor's" is none)
    ("reject the hospital one, way too low", "reject_offer",
     {("organization", "Front Range Health Biomedical Engineering")}),
    ("the yard's is cheaper, take that", "accept_offer", {("organization", "Metro Salvage & Surplus")}),
    ("list 3 of the carrier 40/5 dual caps, new, 36 ea", "create_listing",  # 40/5 is microfarads, no rating
     {("quantity", "3"), ("manufacturer", "Carrier"), ("condition", "new"), ("price", "36")}),
    ("burned thru 2 of the caps this am", "adjust_stock", {("quantity", "2"), ("adjust_reason", "used_on_job")}),
    ("sent ray his part via ups", "mark_shipped", {("person", "Ray Kowalski"), ("carrier", "UPS")}),
    ("review rival, four stars", "rate_seller", {("organization", "Rival Lift & Climate"), ("rating", "4")}),
]


@pytest.mark.parametrize(("text", "intent", "slots"), ROWS, ids=[row[0] for row in ROWS])
def test_reads_intent_and_slots(nlu: NLU, text: str, intent: str, slots: set[tuple[str, str]]) -> None:
    assert _said(nlu, text) == (intent, slots)


ASSENT = [("sure, go ahead", "yes"), ("yep do it", "yes"), ("ok 👍", "yes"), ("sounds good", "yes"),
          ("go for it", "yes"), ("yes", "yes"), ("nah leave it", "no"), ("not yet", "no"), ("no thanks", "no"),
          ("nope, not now", "no"), ("hold off till monday", "no"), ("yes but make it 2", "other"),
          ("yes, 3 of them", "other"), ("make it 900 instead", "other")]


@pytest.mark.parametrize(("text", "reading"), ASSENT, ids=[row[0] for row in ASSENT])
def test_classify_assent(nlu: NLU, text: str, reading: str) -> None:
    assert classify_assent(text) == reading


def test_held_out_split_is_a_fifth_and_never_trained_on() -> None:
    held_out, trained = load_examples("test"), training_examples()
    assert len(held_out) / (len(held_out) + len(trained)) >= 0.2
    assert not {_key(e.text) for e in held_out} & {_key(e.text) for e in trained}


def test_confidence_is_meaningful_on_a_held_out_fold(nlu: NLU) -> None:
    """Trained on four fifths of train: the predictions it is confident about are right more often."""
    examples = training_examples()
    masked = [features.masked(e.text, e.entities) for e in examples]
    vectors = embed_examples([features.spoken(m) for m in masked])
    intents = np.asarray([e.intent for e in examples])
    train, held = next(StratifiedKFold(n_splits=5, shuffle=True, random_state=3).split(masked, intents))
    model = IntentModel().fit([masked[i] for i in train], vectors[train], intents[train],
                              temperature=nlu.model.temperature)
    confident: list[bool] = []
    unsure: list[bool] = []
    for i in held:
        best = model.rank(masked[i], vectors[i])[0]
        (confident if best.confidence >= THRESHOLD else unsure).append(best.intent == intents[i])
    assert len(unsure) >= 10
    assert np.mean(confident) > np.mean(unsure) + 0.2


def test_ranking_one_message_scores_as_the_fitted_model_does(nlu: NLU) -> None:
    """`rank` computes the linear model's scores without sklearn's per-call checks: the same numbers."""
    model = nlu.model
    examples = load_examples("test")[:200]
    masked = [features.masked(e.text, e.entities) for e in examples] + ["", "zzqx unseen-words-only 42"]
    vectors = embed_examples([features.spoken(m) or "x" for m in masked])
    for text, vector in zip(masked, vectors, strict=True):
        fitted = model.model.decision_function(model._matrix([text], vector[None, :]))[0]
        assert np.allclose(model._logits(text, vector), fitted, rtol=0, atol=1e-9), text
