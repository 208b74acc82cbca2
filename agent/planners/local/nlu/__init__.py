"""Understanding one message: the ranked intents with a calibrated confidence, and the entities.

    nlu = get_nlu(engine)             # lookup tables from the database, the cached classifier
    parse = nlu.parse("offer 400 on the refurb one")
    parse.intent, parse.confidence     # "make_offer", 0.93
    parse.value("price")               # "400"
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from agent.planners.local.nlu import features
from agent.planners.local.nlu.classifier import IntentModel, Ranked, cached_model, train
from agent.planners.local.nlu.entities import Entity, EntityExtractor
from agent.planners.local.nlu.examples import training_examples
from agent.planners.local.nlu.spelling import Speller, encoder_words, words_of
from knowledge.lookups import LookupTables

log = logging.getLogger(__name__)
THRESHOLD = 0.5  # below: ask which of the two likeliest readings was meant
# Entities that fill a form's slots: an answer carrying one is more than a bare yes / no.
SLOT_ENTITIES = frozenset({"part_number", "price", "quantity", "condition", "fulfillment", "listing_type",
                           "visibility", "number", "hours", "days", "date", "rating", "tracking_number", "carrier",
                           "equipment_model", "choice", "po_number", "order_number", "shipping_method"})
_BARE_YES = re.compile(r"^\s*(y|yes|yep|yeah|yup|ok|okay|sure|confirm(ed)?|do it|go ahead|yes please)\s*[.!]*\s*$",
                       re.IGNORECASE)
LEADING_YES = re.compile(r"^\s*(yes|yep|yeah|yup|ok|okay|sure|alright|y)\b[\s,.!]*", re.IGNORECASE)
_BARE_NO = re.compile(r"^\s*(n|no|nope|nah|cancel|no thanks)\s*[.!]*\s*$", re.IGNORECASE)
# "yes, the apex one", "yeah summit's", "ok the other one": a yes to a different item than the one proposed
_PICKS_ANOTHER = re.compile(r"\bthe\s+(?:\S+\s+){1,2}?ones?\b|\b\w+'s\b|\b(?:other|instead|rather|different)\b",
                            re.IGNORECASE)


@dataclass
class Parse:
    text: str
    intents: list[Ranked]
    entities: list[Entity]
    masked: str = ""
    clauses: list[Parse] = field(default_factory=list)

    @property
    def intent(self) -> str:
        return self.intents[0].intent if self.intents else "out_of_scope"

    @property
    def confidence(self) -> float:
        return self.intents[0].confidence if self.intents else 0.0

    @property
    def confident(self) -> bool:
        return self.confidence >= THRESHOLD

    def score(self, intent: str) -> float:
        return next((r.confidence for r in self.intents if r.intent == intent), 0.0)

    def all(self, entity: str) -> list[Entity]:
        return [e for e in self.entities if e.entity == entity]

    def get(self, entity: str) -> Entity | None:
        found = self.all(entity)
        return found[0] if found else None

    def value(self, entity: str) -> str | None:
        found = self.get(entity)
        return found.value if found else None

    def values(self, entity: str) -> list[str]:
        return [e.value for e in self.all(entity)]

    def has_slots(self) -> bool:
        return any(e.entity in SLOT_ENTITIES for e in self.entities)


class NLU:
    def __init__(self, model: IntentModel, extractor: EntityExtractor, speller: Speller) -> None:
        self.model, self.extractor, self.speller = model, extractor, speller

    def parse(self, text: str, organization: str | None = None) -> Parse:
        text = self.speller.correct(text)
        entities = self.extractor.extract(text, organization)
        masked = features.masked(text, entities)
        if not masked.strip():
            return Parse(text, [Ranked("out_of_scope", 0.0)], entities, masked)
        from knowledge.embeddings import embed_sentence

        embedding = np.asarray(embed_sentence(features.spoken(masked)), dtype=np.float32)
        return Parse(text, self.model.rank(masked, embedding), entities, masked)


def intent_model() -> IntentModel:
    from knowledge.settings import get_settings

    def build() -> IntentModel:
        # Masked by the annotations, not by an extractor: the model learns from what each example says, and does
        # not depend on which database's names the extractor knows.
        examples = training_examples()
        return train(examples, [features.masked(e.text, e.entities) for e in examples])

    return _model_once(str(get_settings().home / "cache"), build)


_model_lock = threading.Lock()
_models: dict[str, IntentModel] = {}


def _model_once(cache_dir: str, build: object) -> IntentModel:
    from pathlib import Path

    with _model_lock:
        if cache_dir not in _models:
            _models[cache_dir] = cached_model(Path(cache_dir), build)
        return _models[cache_dir]


def make_nlu(tables: LookupTables | None, vocab: object | None) -> NLU:
    extractor = EntityExtractor(tables, vocab)  # type: ignore[arg-type]
    return NLU(intent_model(), extractor, make_speller(extractor, tables))


def make_speller(extractor: EntityExtractor, tables: LookupTables | None) -> Speller:
    """The planner's words (examples, entity patterns, the names the lexicon knows) as what slips are put right
    to; the encoder's English words and the catalog's terms as words that are no slip."""
    names = [spelling for table in extractor.lexicon.phrases.values() for spelling in table]
    stems = tables.catalog_terms if tables is not None else frozenset()
    return Speller(_example_words() + words_of(names + _vocabulary_words(extractor)), encoder_words(), stems)


@lru_cache(maxsize=1)
def _example_words() -> Counter[str]:
    """The training examples' words: read once, not each time the lookup tables are refreshed."""
    return words_of(e.text for e in training_examples())


def _vocabulary_words(extractor: EntityExtractor) -> list[str]:
    vocab = extractor.vocab
    if vocab is None:
        return []
    return list(vocab.manufacturers) + [ref.model for refs in vocab.equipment.values() for ref in refs]


def get_nlu(engine: object | None) -> NLU:
    """The NLU for this database (lookup tables refreshed every few minutes), or a table-less one."""
    if engine is None:
        return _tableless()
    from knowledge.lookups import load_lookups
    from knowledge.search.vocabulary import load_vocabulary

    tables, vocab = load_lookups(engine), load_vocabulary(engine)  # type: ignore[arg-type]
    key = (id(tables), id(vocab))
    with _model_lock:
        nlu = _by_tables.get(key)
    if nlu is None:  # the lookups were (re)loaded: rebuild the phrase tables, keep the trained model
        nlu = make_nlu(tables, vocab)
        with _model_lock:
            while len(_by_tables) >= 4:  # a few databases at once (an eval's two workers): none rebuilt each turn
                del _by_tables[next(iter(_by_tables))]
            _by_tables[key] = nlu
    return nlu


_by_tables: dict[tuple[int, int], NLU] = {}


@lru_cache(maxsize=1)
def _tableless() -> NLU:
    return make_nlu(None, None)


def classify_assent(text: str) -> str:
    """How an answer to "…? (yes/no)" reads: "yes", "no", or "other" (it says something more — a change,
    a new request — which the planner must hear). Assent and refusal in any wording ("sure, go ahead",
    "nah leave it", "ok 👍") are intents of the classifier like any other."""
    if _BARE_YES.match(text):
        return "yes"
    if _BARE_NO.match(text):
        return "no"
    lead = LEADING_YES.match(text)
    if lead and not re.search(r"\b(but|and|also|instead|except|only|not)\b", text[lead.end():], re.IGNORECASE) \
            and not _PICKS_ANOTHER.search(text[lead.end():]) \
            and len(text[lead.end():].split()) <= 3 and not _tableless().parse(text[lead.end():]).has_slots():
        return "yes"  # "yes pull it", "ok do it": the answer, then the action it agrees to
    parse = _tableless().parse(text)
    if not parse.confident:
        return "other"
    deferred = parse.intent == "deny" and all(e.entity == "date" for e in parse.entities)  # "hold off till monday"
    if parse.has_slots() and not deferred:
        return "other"
    return {"affirm": "yes", "deny": "no"}.get(parse.intent, "other")
