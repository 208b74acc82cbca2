"""Retrieval evals: search_parts on the labeled queries (recall@1/5, MRR, nDCG@10) and photo identification
top-1 on generated nameplates of catalog parts."""

from __future__ import annotations

import base64
import json
import logging
import math
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from evals.retrieval.equivalents import Equivalent, equivalent_builds, expected_names

log = logging.getLogger(__name__)
QUERIES = Path(__file__).resolve().parent / "search_queries.jsonl"
PHOTO_USER = "maria.gonzalez@summitvm.example"


def labeled_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def credited(hits: list[Any], expected: set[str], equivalent: Equivalent | None = None) -> list[int]:
    """1 where a hit is an expected part (directly, or as a superseded number of one) not yet credited, or, with
    `equivalent`, a part that answers the query as well (evals/retrieval/equivalents.py)."""
    seen: set[str] = set()
    gains = []
    for hit in hits:
        match = hit.part_number if hit.part_number in expected else hit.superseded_by
        if match in expected and match not in seen:
            seen.add(match)
            gains.append(1)
        elif equivalent is not None and hit.part_number not in seen and equivalent(hit):
            seen.add(hit.part_number)
            gains.append(1)
        else:
            gains.append(0)
    return gains


def ranking_metrics(gains_per_query: list[tuple[list[int], int]]) -> dict[str, float]:
    """recall@1, recall@5 (any expected part in the top k), MRR and binary nDCG@10."""
    n = len(gains_per_query) or 1
    r1 = sum(1 for g, _ in gains_per_query if g[:1] == [1]) / n
    r5 = sum(1 for g, _ in gains_per_query if 1 in g[:5]) / n
    mrr = sum(1 / (g.index(1) + 1) if 1 in g[:10] else 0.0 for g, _ in gains_per_query) / n
    ndcg = 0.0
    for gains, n_expected in gains_per_query:
        dcg = sum(rel / math.log2(i + 2) for i, rel in enumerate(gains[:10]))
        ideal = sum(1 / math.log2(i + 2) for i in range(min(n_expected, 10)))
        ndcg += dcg / ideal if ideal else 0.0
    return {"recall@1": round(r1, 4), "recall@5": round(r5, 4), "mrr": round(mrr, 4), "ndcg@10": round(ndcg / n, 4)}


def search_metrics(engine: Engine, path: Path = QUERIES, *, items: list[dict[str, Any]] | None = None,
                   legs: tuple[str, ...] | None = None, with_builds: bool = False) -> dict[str, Any]:
    """Ranking metrics of search_parts on the labeled queries (`items`, else the file's), with every signal or
    only `legs`; a query search refuses counts as a miss. `with_builds` adds the same metrics, prefixed
    `builds_`, counting generated builds of an expected part as answers (a catalog padded to scale)."""
    from knowledge.search import SearchFilters, SearchQueryError, search_parts
    from knowledge.search.legs import LEGS

    started = time.perf_counter()
    chosen = labeled_queries(path) if items is None else items
    names = expected_names(engine, chosen) if with_builds else {}
    rows: list[tuple[list[int], int]] = []
    with_equivalents: list[tuple[list[int], int]] = []
    for item in chosen:
        expected = set(item["expected"])
        try:
            hits = search_parts(engine, item["query"], limit=10, filters=SearchFilters(**item.get("filters", {})),
                                legs=legs or LEGS).results
        except SearchQueryError:
            hits = []
        rows.append((credited(hits, expected), len(expected)))
        if with_builds:
            with_equivalents.append((credited(hits, expected, equivalent_builds(item, names)), len(expected)))
    # nDCG's ideal counts the labeled parts only, so it is left out where builds add answers
    builds = {f"builds_{k}": v for k, v in ranking_metrics(with_equivalents).items()
              if k != "ndcg@10"} if with_builds else {}
    return {"n_queries": len(rows), **ranking_metrics(rows), **builds,
            "seconds": round(time.perf_counter() - started, 1)}


def photo_metrics(engine: Engine, sample: int = 20) -> dict[str, Any]:
    """Top-1 part of identify_part_from_photo on `sample` generated nameplates (a fixed, spread-out sample)."""
    from evals.nameplates import NameplateSpec, render_nameplate
    from tools.context import caller_by_email
    from tools.registry import invoke
    from tools.results import ToolFailure

    started = time.perf_counter()
    with engine.connect() as conn:
        parts = conn.execute(text(
            "SELECT part_number, manufacturer, name, specifications FROM parts_catalog WHERE organization_id IS NULL "
            "ORDER BY md5(part_number) LIMIT :n"), {"n": sample}).all()
    caller = caller_by_email(engine, PHOTO_USER)
    correct, misses = 0, []
    for i, part in enumerate(parts):
        specs = part.specifications or {}
        ratings = {str(k).upper()[:6]: str(v)[:10] for k, v in list(specs.items())[:4]}
        image = render_nameplate(NameplateSpec(manufacturer=part.manufacturer, part_number=part.part_number,
                                               name=part.name[:40], ratings=ratings), seed=i)
        out = invoke(engine, caller, "identify_part_from_photo",
                     {"image_base64": base64.b64encode(image).decode()})
        top = None if isinstance(out, ToolFailure) or not out.candidates else out.candidates[0].part_number  # type: ignore[attr-defined]
        if top == part.part_number:
            correct += 1
        else:
            misses.append(f"{part.part_number}→{top}")
    return {"n_photos": len(parts), "photo_top1": round(correct / len(parts), 4) if parts else 0.0,
            "photo_misses": misses[:10], "seconds": round(time.perf_counter() - started, 1)}
