"""`partpilot eval nlu`: intent accuracy and slot F1 on the held-out test set (data/test, never trained on),
with the confidences that went with them."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from agent.planners.local.nlu import NLU, THRESHOLD
from agent.planners.local.nlu.examples import Example, load_examples, training_examples
from knowledge.partnumbers import normalize_part_number


def _norm(entity: str, value: str) -> str:
    if entity == "part_number":
        return normalize_part_number(value)
    return " ".join(value.lower().replace("’", "'").split())


def evaluate(nlu: NLU, examples: list[Example], organization: str | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    correct = 0
    confusions: Counter[tuple[str, str]] = Counter()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    per_intent: dict[str, list[int]] = {}
    confident_right = confident_total = 0
    misses: list[dict[str, Any]] = []
    slot_misses: list[dict[str, Any]] = []
    for example in examples:
        parse = nlu.parse(example.text, organization)
        right = parse.intent == example.intent
        correct += right
        stats = per_intent.setdefault(example.intent, [0, 0])
        stats[0] += right
        stats[1] += 1
        if parse.confidence >= THRESHOLD:
            confident_total += 1
            confident_right += right
        if not right:
            confusions[(example.intent, parse.intent)] += 1
            misses.append({"text": example.text, "expected": example.intent, "got": parse.intent,
                           "confidence": round(parse.confidence, 3)})
        gold = Counter((a.entity, _norm(a.entity, a.value)) for a in example.entities)
        found = Counter((e.entity, _norm(e.entity, e.value)) for e in parse.entities)
        for key in set(gold) | set(found):
            hit = min(gold[key], found[key])
            tp[key[0]] += hit
            fp[key[0]] += found[key] - hit
            fn[key[0]] += gold[key] - hit
        if gold != found:
            slot_misses.append({"text": example.text, "missing": sorted(map(list, (gold - found).elements())),
                                "extra": sorted(map(list, (found - gold).elements()))})
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision = total_tp / max(1, total_tp + total_fp)
    recall = total_tp / max(1, total_tp + total_fn)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    by_entity = {}
    for name in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[name] / max(1, tp[name] + fp[name])
        r = tp[name] / max(1, tp[name] + fn[name])
        by_entity[name] = {"f1": round(2 * p * r / max(1e-9, p + r), 3), "support": tp[name] + fn[name]}
    elapsed = time.perf_counter() - started
    return {
        "examples": len(examples),
        "intent_accuracy": round(correct / max(1, len(examples)), 4),
        "slot_precision": round(precision, 4), "slot_recall": round(recall, 4), "slot_f1": round(f1, 4),
        "threshold": THRESHOLD,
        "confident_share": round(confident_total / max(1, len(examples)), 4),
        "confident_accuracy": round(confident_right / max(1, confident_total), 4),
        "by_intent": {k: round(v[0] / v[1], 3) for k, v in sorted(per_intent.items())},
        "by_entity": by_entity,
        "top_confusions": [{"expected": a, "got": b, "count": n} for (a, b), n in confusions.most_common(12)],
        "intent_errors": misses,
        "slot_errors": slot_misses,
        "ms_per_utterance": round(elapsed * 1000 / max(1, len(examples)), 2),
    }


def run(nlu: NLU, split: str = "test", organization: str | None = "Summit Vertical & Mechanical") -> dict[str, Any]:
    examples = load_examples(split)
    train = training_examples()
    report = evaluate(nlu, examples, organization)
    report["split"] = split
    report["train_examples"] = len(train)
    report["held_out_share"] = round(len(examples) / max(1, len(examples) + len(train)), 4) if split == "test" \
        else None
    overlap = {e.text.lower() for e in examples} & {e.text.lower() for e in train}
    report["overlap_with_train"] = len(overlap) if split == "test" else None
    return report
