"""`partpilot bench agent`: local-planner turn latency over scripted conversations (model load excluded)."""

from __future__ import annotations

import json
import statistics
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from agent.runner import AgentRunner
from tools.context import caller_by_email

CONVERSATIONS: list[list[str]] = [
    ["need a door operator for an Otis Gen2", "how much is it?", "any closer?"],
    ["GAA24350BH1", "is it compatible with the Gen2?", "where can I get it today?"],
    ["4 ton scroll compressor 410a copeland", "the second one", "is that price fair?"],
    ["spo2 sensor for intellivue", "where is the nearest one?"],
    ["40 amp contactor 120v coil square d", "any in stock nearby?"],
    ["what's the going price for a used KM713160G01?"],
    ["gaa 26800 lc1", "what replaced it?"],
    ["I need a VFD for a KONE MonoSpace 500", "emergency, the car is down"],
]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_agent_bench(engine: Engine, out: Path, email: str = "maria.gonzalez@summitvm.example",
                    rounds: int = 3) -> dict[str, Any]:
    runner = AgentRunner(engine, "local")
    caller = caller_by_email(engine, email, channel="web")
    runner.send(f"bench-warmup-{uuid.uuid4()}", caller, CONVERSATIONS[0][0])  # loads models and caches
    latencies: list[float] = []
    for _ in range(rounds):
        for script in CONVERSATIONS:
            thread = f"bench-{uuid.uuid4()}"
            for message in script:
                latencies.append(runner.send(thread, caller, message).latency_ms)
    report = {
        "planner": "local",
        "turns": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "max_ms": round(max(latencies), 1),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    return report
