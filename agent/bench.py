"""`partpilot bench agent`: the local planner's own time per turn (understanding, dialogue state, policies —
tools and the database excluded) over multi-turn conversations, and whole-turn latency beside it."""

from __future__ import annotations

import json
import statistics
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from agent.planners.local import LocalPlanner
from agent.runner import AgentRunner
from knowledge.embeddings import _embed_query_cached, _embed_sentence_cached
from tools.context import caller_by_email

TECHNICIAN = "maria.gonzalez@summitvm.example"
SELLER = "linda.park@summitvm.example"
# (who, turns): technicians sourcing and buying, a parts manager selling and answering offers.
CONVERSATIONS: list[tuple[str, list[str]]] = [
    (TECHNICIAN, ["need a door operator for an Otis Gen2", "how much is it?", "any closer?"]),
    (TECHNICIAN, ["GAA24350BH1", "is it compatible with the Gen2?", "where can I get it today?"]),
    (TECHNICIAN, ["4 ton scroll compressor 410a copeland", "the second one", "is that price fair?"]),
    (TECHNICIAN, ["spo2 sensor for intellivue", "where is the nearest one?", "how far is that"]),
    (TECHNICIAN, ["40 amp contactor 120v coil square d", "any in stock nearby?"]),
    (TECHNICIAN, ["what's the going price for a used KM713160G01?", "and a refurb one?"]),
    (TECHNICIAN, ["gaa 26800 lc1", "what replaced it?", "got one in the van?"]),
    (TECHNICIAN, ["I need a VFD for a KONE MonoSpace 500", "emergency, the car is down"]),
    (TECHNICIAN, ["car won't hold at the floor on the endura, what part", "number 2"]),
    (TECHNICIAN, ["who's selling a GAA26800LC1", "offer 4000 on the first one", "nah"]),
    (TECHNICIAN, ["what do i have on hold", "whats running low"]),
    (SELLER, ["any offers on our listings?", "what did we sell lately"]),
    (SELLER, ["want to sell a spare GBA21230F1", "refurb", "2", "1200 each", "both", "skip", "no"]),
]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_agent_bench(engine: Engine, out: Path, rounds: int = 3) -> dict[str, Any]:
    planner = LocalPlanner()
    runner = AgentRunner(engine, planner)
    callers = {email: caller_by_email(engine, email, channel="web") for email in (TECHNICIAN, SELLER)}
    runner.send(f"bench-warmup-{uuid.uuid4()}", callers[TECHNICIAN], CONVERSATIONS[0][1][0])  # models, caches
    planner_ms: list[float] = []
    turn_ms: list[float] = []
    for _ in range(rounds):
        _embed_query_cached.cache_clear()  # people don't repeat themselves word for word: no cached embeddings
        _embed_sentence_cached.cache_clear()
        for email, script in CONVERSATIONS:
            thread = f"bench-{uuid.uuid4()}"
            for message in script:
                before = len(planner.spent_ms())
                turn = runner.send(thread, callers[email], message)
                planner_ms.append(sum(planner.spent_ms()[before:]))
                turn_ms.append(turn.latency_ms)
    report = {
        "planner": "local",
        "turns": len(turn_ms),
        "planner_p50_ms": round(statistics.median(planner_ms), 1),
        "planner_p95_ms": round(_percentile(planner_ms, 0.95), 1),
        "planner_max_ms": round(max(planner_ms), 1),
        "turn_p50_ms": round(statistics.median(turn_ms), 1),
        "turn_p95_ms": round(_percentile(turn_ms, 0.95), 1),
        "note": "planner_*: the local planner's own steps per turn (NLU, dialogue state, policies); turn_*: "
                "the whole turn including tools and the database.",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    return report
