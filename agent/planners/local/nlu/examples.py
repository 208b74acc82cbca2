"""NLU examples in Rasa's YAML format: intents with example lists whose entities are annotated inline as
`[text](entity)` or `[text]{"entity": "name", "value": "canonical"}`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

NLU_DIR = Path(__file__).resolve().parent
DATA_DIR = NLU_DIR / "data"
_ANNOTATION = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\((?P<short>[^()]+)\)|(?P<json>\{[^{}]*\}))")


@dataclass(frozen=True)
class Annotated:
    """One annotated entity of an example: its name, its canonical value and where it sits in the text."""

    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[Annotated, ...] = field(default_factory=tuple)


def parse_example(raw: str, intent: str) -> Example:
    """An example line with its annotations removed from the text and kept as entities."""
    out, entities, pos = [], [], 0
    for match in _ANNOTATION.finditer(raw):
        out.append(raw[pos:match.start()])
        start = sum(len(piece) for piece in out)
        shown = match.group("text")
        if match.group("json"):
            spec: dict[str, Any] = json.loads(match.group("json"))
            name, value = str(spec["entity"]), str(spec.get("value", shown))
        else:
            name, _, value = match.group("short").partition(":")
            value = value or shown
        out.append(shown)
        entities.append(Annotated(name.strip(), value.strip(), start, start + len(shown)))
        pos = match.end()
    out.append(raw[pos:])
    return Example("".join(out).strip(), intent, tuple(entities))


def load_file(path: Path) -> list[Example]:
    data = yaml.safe_load(path.read_text()) or {}
    examples: list[Example] = []
    for block in data.get("nlu") or []:
        intent = block.get("intent")
        if not intent:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append(parse_example(line[2:].strip(), str(intent)))
    return examples


def load_examples(split: str) -> list[Example]:
    """Every example of the split ("train" or "test"), in file order."""
    return [e for path in sorted((DATA_DIR / split).glob("*.yml")) for e in load_file(path)]


def training_examples() -> list[Example]:
    """The training split without any utterance that also appears in the test split: the held-out set is
    written separately, and an identical line there must never be trained on."""
    held_out = {_key(e.text) for e in load_examples("test")}
    return [e for e in load_examples("train") if _key(e.text) not in held_out]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


@lru_cache(maxsize=1)
def load_domain() -> dict[str, Any]:
    return dict(yaml.safe_load((NLU_DIR / "domain.yml").read_text()))


def intent_names() -> list[str]:
    return list(load_domain()["intents"])


def gloss(intent: str) -> str:
    """How the intent completes "Do you want me to …?"."""
    spec = load_domain()["intents"].get(intent) or {}
    return str(spec.get("gloss") or intent.replace("_", " "))


def family(intent: str) -> str:
    spec = load_domain()["intents"].get(intent) or {}
    return str(spec.get("family") or "general")


def acts_on(intent: str) -> list[str]:
    """The kinds of object an intent acts on (domain.yml), for reading "the one in denver" in context."""
    spec = load_domain()["intents"].get(intent) or {}
    return list(spec.get("acts_on") or [])
