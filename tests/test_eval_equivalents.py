"""At scale, a generated build of a labeled part answers a describing query as well as the part itself; a
query by part number still wants its number, and a labeled maker must match."""

from __future__ import annotations

from types import SimpleNamespace

from evals.retrieval.equivalents import equivalent_builds
from evals.retrieval.metrics import credited

NAMES = {"CNT16003": ("Trane", "Dual run capacitor 45/5 MFD 440 VAC"),
         "KM315521H47": ("KONE", "Door operator motor, AMD 1")}


def hit(number: str, maker: str, name: str, superseded_by: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(part_number=number, manufacturer=maker, name=name, superseded_by=superseded_by)


def test_any_makers_build_answers_a_query_that_names_no_maker() -> None:
    item = {"kind": "spec", "manufacturer": "", "expected": ["CNT16003"]}
    equivalent = equivalent_builds(item, NAMES)
    assert equivalent is not None
    build = hit("LB-842739X", "Lennox", "Dual run capacitor 45/5 MFD 440 VAC, 460 VAC, rev S8")
    other_size = hit("LB-1", "Lennox", "Dual run capacitor 45/5 MFD 370 VAC, 460 VAC, rev S8")
    not_a_build = hit("X-1", "Lennox", "Dual run capacitor 45/5 MFD 440 VAC, 460 VAC")
    assert credited([build], {"CNT16003"}) == [0]
    assert credited([build, other_size, not_a_build], {"CNT16003"}, equivalent) == [1, 0, 0]


def test_a_labeled_maker_must_match() -> None:
    item = {"kind": "description", "manufacturer": "KONE", "expected": ["KM315521H47"]}
    equivalent = equivalent_builds(item, NAMES)
    assert equivalent is not None
    assert equivalent(hit("KM1", "KONE", "Door operator motor, AMD 1, left hand, rev K3"))
    assert not equivalent(hit("GA1", "Otis", "Door operator motor, AMD 1, left hand, rev K3"))
    assert not equivalent(hit("KM2", "KONE", "Door operator motor, AMD 10, left hand, rev K3"))


def test_a_query_by_number_wants_that_number() -> None:
    for kind in ("exact_number", "typo_number", "superseded_number", "ocr_number", "spaced_number"):
        assert equivalent_builds({"kind": kind, "manufacturer": "KONE", "expected": ["KM315521H47"]}, NAMES) is None
