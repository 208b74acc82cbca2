"""Forms from the tools: a WRITE tool's pydantic input model says which arguments exist, their types and
allowed values; forms.yml says which are asked, in what order and how. Answers fill any slot in any order
and several at once, a later answer corrects an earlier one, and an answered question is never asked again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from agent.planners.local.dialogue import answers, relative
from agent.planners.local.dialogue.bare_numbers import days_from_now, place_bare_number
from agent.planners.local.dialogue.dates import span_in_days
from agent.planners.local.dialogue.field_cues import cued_values
from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import FormState
from agent.planners.local.nlu.cues import CORRECTION
from tools.registry import get_tool

FORMS_FILE = Path(__file__).resolve().parent / "forms.yml"
# What a field's name says it holds, when forms.yml does not say.
_BY_NAME = {"price": "price", "offered_price": "price", "counter_price": "price", "max_bid": "price",
            "max_price": "price", "starting_bid": "price", "bid_increment": "increment", "reserve_price": "price",
            "price_alert_threshold": "price", "quantity": "quantity", "quantity_needed": "quantity",
            "counter_quantity": "quantity", "hold_hours": "hours", "rating": "rating", "condition": "condition",
            "acceptable_conditions": "condition", "fulfillment_options": "fulfillment",
            "fulfillment_preference": "fulfillment", "listing_type": "listing_type", "visibility": "visibility",
            "urgency": "urgency", "part_number": "part_number", "manufacturer": "manufacturer",
            "tracking_number": "tracking_number", "carrier": "carrier", "needed_by_date": "date",
            "equipment_model": "equipment_model"}


@dataclass(frozen=True)
class Slot:
    field: str
    question: str = ""
    optional: bool = False
    suggest: bool = False
    when: dict[str, Any] = dc_field(default_factory=dict)
    none: re.Pattern[str] | None = None  # words that decline an optional slot in any message ("no reserve")


@dataclass
class FormSpec:
    name: str
    tool: str
    ask: list[Slot]
    auction: list[Slot]
    entities: dict[str, str]
    target_arg: str | None
    target_kind: str | None
    schema: dict[str, Any] = dc_field(default_factory=dict)
    only_when: dict[str, dict[str, Any]] = dc_field(default_factory=dict)

    def applies(self, name: str, values: dict[str, Any]) -> bool:
        """Does this field go with the form as it stands (a counter price only with action counter)?"""
        return all(values.get(k) == v for k, v in self.only_when.get(name, {}).items())

    def minor(self, slot: Slot) -> bool:
        """Asked only while drafting step by step: optional, or with a default in the tool's model."""
        return slot.optional or (self.schema.get(slot.field) or {}).get("default") is not None

    def entity_of(self, name: str) -> str | None:
        return self.entities.get(name) or _BY_NAME.get(name)

    def many(self, name: str) -> bool:
        return (self.schema.get(name) or {}).get("type") == "array" or ("anyOf" in (self.schema.get(name) or {}) and \
            any(o.get("type") == "array" for o in self.schema[name]["anyOf"]))

    def slots_for(self, values: dict[str, Any]) -> list[Slot]:
        slots = list(self.ask)
        if values.get("listing_type") == "auction":  # the auction's terms are asked where the price would be
            at = next((i for i, s in enumerate(slots) if s.field == "price"), len(slots))
            slots = [*slots[:at], *self.auction, *slots[at + 1:]]
        return [s for s in slots if not s.when or all(values.get(k) == v for k, v in s.when.items())]


@lru_cache(maxsize=1)
def _specs() -> dict[str, FormSpec]:
    data = yaml.safe_load(FORMS_FILE.read_text())
    specs: dict[str, FormSpec] = {}
    for name, raw in data.items():
        target = raw.get("target") or {}
        entities = dict(raw.get("entities") or {})
        for slot in [*(raw.get("ask") or []), *(raw.get("auction") or [])]:
            if slot.get("entity"):
                entities[slot["field"]] = slot["entity"]
        specs[name] = FormSpec(
            name=name, tool=raw["tool"], ask=[_slot(s) for s in raw.get("ask") or []],
            auction=[_slot(s) for s in raw.get("auction") or []], entities=entities,
            target_arg=target.get("arg"), target_kind=target.get("kind"), only_when=dict(raw.get("only_when") or {}))
    return specs


def _slot(raw: dict[str, Any]) -> Slot:
    none = re.compile(raw["none"], re.IGNORECASE) if raw.get("none") else None
    return Slot(raw["field"], raw.get("question", ""), bool(raw.get("optional")), bool(raw.get("suggest")),
                dict(raw.get("when") or {}), none)


def slot_of(name: str, field: str) -> Slot | None:
    s = spec(name)
    return next((slot for slot in [*s.ask, *s.auction] if slot.field == field), None)


def form_names() -> list[str]:
    return list(_specs())


def spec(name: str) -> FormSpec:
    form = _specs()[name]
    if not form.schema:
        try:
            form.schema = dict(get_tool(form.tool).json_schema().get("properties") or {})
        except KeyError:  # a tool not (yet) registered: the form works from forms.yml alone
            form.schema = {}
    return form


def new_form(name: str, **values: Any) -> FormState:
    return FormState(name=name, tool=spec(name).tool, values={k: v for k, v in values.items() if v is not None})


def fill(form: FormState, said: Said, photo_ids: list[str] | None = None) -> list[str]:
    """Put what the message says into the form; returns the fields it set or changed."""
    s = spec(form.name)
    changed: list[str] = []
    kind = said.value("listing_type")
    if kind and "listing_type" in s.schema and form.values.get("listing_type") != kind:
        form.values["listing_type"] = kind  # first: an auction asks for other amounts than a sale
        changed.append("listing_type")
    if not kind and said.value("urgency") == "emergency" and "emergency" in _choices(s, "listing_type") and \
            form.values.get("listing_type") in (None, "sale"):
        form.values["listing_type"] = "emergency"  # "emergency same day pickup only": an emergency listing
        changed.append("listing_type")
    said = relative.resolved(said, form.target)
    cued, said = cued_values(said, [name for name in s.schema if s.entity_of(name)], s.entity_of)
    for name, raw in cued.items():
        if not s.applies(name, form.values):
            continue
        cued_value = _coerce(name, s.entity_of(name), raw)
        if cued_value is not None and form.values.get(name) != cued_value:
            form.values[name] = cued_value
            changed.append(name)
    for name in [n for n in _fillable(form, s) if s.applies(n, form.values) and n not in cued]:
        entity = s.entity_of(name)
        values = said.values(entity) if entity else []
        if not values and entity == "days" and name == form.asked:
            values = span_in_days(said.text)
        if not values:
            continue
        # "40 ea, no wait make it 42", "wait make it 42, 45 is high for these": the value the correction gives
        single = (said.value(entity) if entity and CORRECTION.search(said.text) else None) or values[-1]
        value: Any = sorted(set(values), key=values.index) if s.many(name) else single
        value = _coerce(name, entity, value)
        if value is not None and form.values.get(name) != value:
            form.values[name] = value
            changed.append(name)
    if photo_ids and "photo_ids" in s.schema:
        form.values["photo_ids"] = [*form.values.get("photo_ids", []), *photo_ids]
        changed.append("photo_ids")
    changed += place_bare_number(form, s, said, changed)
    changed += _free_answer(form, s, said, changed)
    changed += answers.declined(form, s.slots_for(form.values), said, changed)
    changed += answers.accepted(form, said, changed)
    if form.asked is not None:
        form.said_more = any(name != form.asked for name in changed)
    return changed


def _free_answer(form: FormState, s: FormSpec, said: Said, changed: list[str]) -> list[str]:
    """A field asked in words of the user's own (`entity: text`, e.g. where to ship): the answer itself, when it
    filled nothing else ("the brown palace job", "my truck")."""
    asked = form.asked
    if asked is None or s.entity_of(asked) != "text" or changed or "?" in said.text:
        return []  # a question back ("how many are left?") answers nothing
    answer = re.sub(r"(?i)^\s*(?:(?:ship|send|deliver|drop)(?: it| them| em)? to|to)\s+", "", said.text).strip(" .!")
    answer = re.sub(r"(?i)^(?:the|that|our|my)\s+(.+?)(?:\s+one)?$", r"\1", answer)  # "the regency one": regency
    if not answer or re.fullmatch(r"(?i)(skip|none|no|nah|nope|cancel|never ?mind|y|yes|yep|yeah|ok|okay|sure)",
                                  answer):
        return []
    form.values[asked] = answer[:200]
    return [asked]


def _choices(s: FormSpec, name: str) -> set[str]:
    prop = s.schema.get(name) or {}
    return {str(x) for option in [prop, *prop.get("anyOf", [])] for x in option.get("enum") or []}


def _fillable(form: FormState, s: FormSpec) -> list[str]:
    """The fields a message may fill: for each entity type, the field asked for if it takes that entity,
    else the first field taking it in asking order ("$1,200" is the price, not also the reserve)."""
    asking = [slot.field for slot in s.slots_for(form.values)]
    others = sorted((set(s.schema) | set(s.entities)) - set(asking))
    chosen: dict[str, str] = {}
    if form.asked and s.entity_of(form.asked):
        chosen[str(s.entity_of(form.asked))] = form.asked
    for name in [*asking, *others]:
        entity = s.entity_of(name)
        if entity is None or name == s.target_arg or (s.schema and name not in s.schema):
            continue
        chosen.setdefault(entity, name)
    return list(chosen.values())


def _coerce(name: str, entity: str | None, value: Any) -> Any:
    if name == "auction_end":
        return days_from_now(str(value))
    if entity == "date":
        from agent.planners.local.dialogue.dates import resolve_day

        return resolve_day(str(value))
    return value


def missing(form: FormState) -> Slot | None:
    """The next slot to ask for: a required one that is empty; a minor one (optional, or with a default in the
    tool's model) only while drafting step by step — not of one who said it all in one message (a value asked
    again because it was refused or not found does not count: "auctions run up to 30 days"), or in the one
    answer that said more than it was asked and left nothing required ("which part?" … "S1-02544303000, new,
    10 of em, 35 each") — or when the conversation holds a value to offer for it, never twice."""
    s = spec(form.name)
    slots = s.slots_for(form.values)
    required_filled = all(t.field in form.values for t in slots if not s.minor(t))
    said_all = len(form.asked_before) == 1 and form.said_more and required_filled
    drafting = any(name not in form.corrected for name in form.asked_before) and not said_all
    for slot in slots:
        if slot.field in form.values or slot.field in form.declined:
            continue
        if s.minor(slot) and (slot.field in form.asked_before or not (drafting or slot.field in answers.offers(form))):
            continue
        return slot
    return None


def args(form: FormState, target_id: str | None = None) -> dict[str, Any]:
    """The tool arguments: the form's values, typed as the input model wants them."""
    s = spec(form.name)
    out: dict[str, Any] = {}
    for name, value in form.values.items():
        if name.startswith("_") or (s.schema and name not in s.schema) or not s.applies(name, form.values):
            continue
        entity = s.entity_of(name)
        if entity == "quantity" or name in ("rating", "hold_hours"):
            value = int(value)
        elif entity == "price" and value is not None:
            value = str(value)
        out[name] = value
    for slot in s.slots_for(form.values):  # what the confirmation states ("1 ×") is said in the call too
        default = (s.schema.get(slot.field) or {}).get("default")
        if slot.field not in out and not slot.optional and slot.field not in form.declined and \
                isinstance(default, int | float | str) and not isinstance(default, bool):
            out[slot.field] = default
    if s.target_arg and target_id:
        out[s.target_arg] = target_id
    return out
