"""What the whole-app benchmarks share: latency percentiles, and waiting for a server process to answer."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import httpx


def latency_stats(values: list[float]) -> dict[str, float]:
    """n, p50, p95, p99, max and mean of millisecond samples (nearest-rank percentiles), {"n": 0} for none."""
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def pct(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"n": len(ordered), "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "max_ms": round(ordered[-1], 1), "mean_ms": round(statistics.fmean(ordered), 1)}


def wait_for_http(url: str, alive: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `url` until it answers 200; RuntimeError when `alive()` turns false (the process exited) or after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if not alive():
            raise RuntimeError(f"{what} exited")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer {url} within {timeout:.0f} s")
        time.sleep(0.2)
