"""`partpilot bench api`: the chat API under load, over real HTTP against `partpilot serve`.

* time to first token: a fresh conversation's first message, sequentially, from sending the request to the
  first `text-delta` frame (the local planner; model loading excluded by a warm-up turn);
* concurrency: N chat sessions at once (the burst), each a short scripted conversation; an error is any non-200,
  a frame that is not a known chunk, an `error` chunk, or a stream without `finish` and `[DONE]`. The burst's
  turns per second, its time to first token, and the server's CPU per turn: user + system time of the server
  process and its children (`serve --workers N`'s processes) from /proc before and after, over the turns.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from agent.bench import CONVERSATIONS
from api.server import free_port
from channels.web.stream import is_known_chunk
from partpilot.bench.latency import latency_stats, wait_for_http
from partpilot.bench.proc import serving_rss_mb, tree_cpu_seconds
from tools.context import create_api_key

TARGET_TTFT_P95_MS = 300.0
# issue 20 on this 2-core machine, with `serve --workers 2` and a burst of 100 sessions
TARGET_TURNS_PER_S, TARGET_BURST_TTFT_P95_MS, TARGET_CPU_MS_PER_TURN = 100.0, 1000.0, 10.0
TARGET_IDLE_RSS_MB = 250.0  # each API process, started and answering /health, before its first chat turn
BENCH_EMAIL = "maria.gonzalez@summitvm.example"
_WARM_ROUNDS, _WARM_TTFT_MS = 6, 1500.0


def _stats(values: list[float]) -> dict[str, float]:
    summary = latency_stats(values)
    return {key: summary.get(key, 0.0) for key in ("p50_ms", "p95_ms", "max_ms")}


@dataclass(frozen=True)
class Served:
    """A server under test: its address and, when this run started it, its process (for CPU and memory)."""

    base: str
    pid: int | None = None


@contextmanager
def running_server(timeout: float = 180.0, workers: int = 1) -> Iterator[Served]:
    """`partpilot serve [--workers N]` in a child process on a free loopback port (same environment and
    database)."""
    port = free_port()
    env = {**os.environ, "PARTPILOT_LOG_LEVEL": os.environ.get("PARTPILOT_LOG_LEVEL", "WARNING")}
    child = subprocess.Popen([sys.executable, "-m", "partpilot.cli", "serve", "--host", "127.0.0.1",
                              "--port", str(port), "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/health", lambda: child.poll() is None, timeout, "partpilot serve")
        yield Served(base, child.pid)
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()


class TurnCheck:
    """Reads one streamed turn: time to the first text delta and whether the stream is well-formed."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.ttft_ms: float | None = None
        self.finished = self.done = False
        self.problem: str | None = None

    def frame(self, payload: str) -> None:
        if payload == "[DONE]":
            self.done = True
            return
        chunk = json.loads(payload)
        if not isinstance(chunk, dict) or not is_known_chunk(chunk):
            self.problem = f"unknown chunk {payload[:80]}"
        elif chunk["type"] == "error":
            self.problem = f"error chunk: {chunk.get('errorText')}"
        elif chunk["type"] == "text-delta" and self.ttft_ms is None:
            self.ttft_ms = (time.perf_counter() - self.started) * 1000
        elif chunk["type"] == "finish":
            self.finished = True

    def line(self, line: str) -> None:
        if line.startswith("data:"):
            try:
                self.frame(line[5:].strip())
            except ValueError:
                self.problem = f"not JSON: {line[:80]}"

    def verdict(self, status: int) -> str | None:
        if status != 200:
            return f"HTTP {status}"
        if self.problem:
            return self.problem
        return None if self.finished and self.done else "stream ended without finish/[DONE]"


def _ttft_samples(base: str, headers: dict[str, str], samples: int) -> tuple[list[float], list[float], list[str]]:
    ttfts, totals, errors = [], [], []
    openers = [script[0] for _, script in CONVERSATIONS]
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        for i in range(samples):
            check = TurnCheck()
            with client.stream("POST", f"/api/v1/chat/bench-{uuid.uuid4()}",
                               json={"message": openers[i % len(openers)]}) as response:
                for line in response.iter_lines():
                    check.line(line)
            totals.append((time.perf_counter() - check.started) * 1000)
            if (problem := check.verdict(response.status_code)) is not None:
                errors.append(problem)
            elif check.ttft_ms is not None:
                ttfts.append(check.ttft_ms)
    return ttfts, totals, errors


async def _session(client: httpx.AsyncClient, script: list[str], ttfts: list[float], errors: list[str]) -> int:
    thread, turns = f"bench-{uuid.uuid4()}", 0
    for message in script:
        check = TurnCheck()
        try:
            async with client.stream("POST", f"/api/v1/chat/{thread}", json={"message": message}) as response:
                async for line in response.aiter_lines():
                    check.line(line)
            problem = check.verdict(response.status_code)
        except httpx.HTTPError as exc:
            problem = f"{type(exc).__name__}: {exc}"
        turns += 1
        if problem is not None:
            errors.append(problem)
            return turns
        if check.ttft_ms is not None:
            ttfts.append(check.ttft_ms)
    return turns


async def _concurrent(served: Served, headers: dict[str, str], sessions: int, turns: int) -> dict[str, Any]:
    ttfts: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=sessions + 10, max_keepalive_connections=sessions + 10)
    cpu_before = tree_cpu_seconds(served.pid) if served.pid else None
    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=served.base, headers=headers, timeout=300, limits=limits) as client:
        done = await asyncio.gather(*(_session(client, CONVERSATIONS[i % len(CONVERSATIONS)][1][:turns], ttfts, errors)
                                      for i in range(sessions)))
    wall = time.perf_counter() - start
    cpu = tree_cpu_seconds(served.pid) - cpu_before if served.pid and cpu_before is not None else None
    return {"sessions": sessions, "turns": sum(done), "errors": len(errors), "error_samples": errors[:10],
            "wall_s": round(wall, 2), "ttft_under_load": _stats(ttfts),
            "turns_per_s": round(sum(done) / wall, 1),
            "server_cpu_s": None if cpu is None else round(cpu, 2),
            "cpu_ms_per_turn": None if cpu is None else round(cpu * 1000 / max(sum(done), 1), 1)}


def _warm(served: Served, headers: dict[str, str], workers: int) -> list[str]:
    """A first turn loads the planner and warms caches. Which worker process takes a connection is the kernel's
    choice, so with several, rounds of concurrent turns go on until none meets a cold worker (seconds to load)."""
    _, _, errors = _ttft_samples(served.base, headers, 1)
    for _ in range(_WARM_ROUNDS if workers > 1 else 0):
        round_ = asyncio.run(_concurrent(served, headers, 4 * workers, 1))
        errors += round_["error_samples"]
        if round_["ttft_under_load"]["max_ms"] < _WARM_TTFT_MS:
            break
    return errors


def run_api_bench(engine: Engine, out: Path, *, sessions: int = 100, samples: int = 50, turns: int = 2,
                  url: str | None = None, workers: int = 1) -> dict[str, Any]:
    """Measure and write the JSON report (see the module docstring). `workers` are `serve --workers N`'s
    processes (ignored with `url`: that server is benched as it runs, without its CPU)."""
    headers = {"Authorization": f"Bearer {create_api_key(engine, BENCH_EMAIL, label='bench api')}"}
    load_before = os.getloadavg()[0]
    with running_server(workers=workers) if url is None else _given(url) as served:
        idle_rss = _idle_rss(served.pid, workers) if served.pid else []
        warm_errors = _warm(served, headers, workers)
        ttfts, totals, errors = _ttft_samples(served.base, headers, samples)
        load = asyncio.run(_concurrent(served, headers, sessions, turns))
        burst_rss = serving_rss_mb(served.pid) if served.pid else []
    ttft = {"samples": len(ttfts), **_stats(ttfts), "errors": len(errors) + len(warm_errors)}
    burst = {"sessions": sessions, "turns": load["turns"], "turns_per_s": load["turns_per_s"],
             "ttft_p50_ms": load["ttft_under_load"]["p50_ms"], "ttft_p95_ms": load["ttft_under_load"]["p95_ms"],
             "cpu_ms_per_turn": load["cpu_ms_per_turn"]}
    report = {
        "planner": "local",
        "server": f"partpilot serve (uvicorn, {workers} process{'es' if workers > 1 else ''})" if url is None else url,
        "workers": workers if url is None else None,
        "host": {"cpus": os.cpu_count(), "load_avg_1m_before": round(load_before, 2),
                 "load_avg_1m_after": round(os.getloadavg()[0], 2)},
        "ttft": ttft,
        "turn_total": _stats(totals),
        "concurrency": load,
        "burst": burst,
        "memory": {"idle_rss_mb": idle_rss, "rss_after_burst_mb": burst_rss},
        "targets": {"ttft_p95_ms": TARGET_TTFT_P95_MS, "errors": 0, "turns_per_s": TARGET_TURNS_PER_S,
                    "burst_ttft_p95_ms": TARGET_BURST_TTFT_P95_MS, "cpu_ms_per_turn": TARGET_CPU_MS_PER_TURN,
                    "idle_rss_mb": TARGET_IDLE_RSS_MB, "workers": 2},
        "passed": _passed(ttft, load) and all(mb <= TARGET_IDLE_RSS_MB for mb in idle_rss),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    return report


def _idle_rss(pid: int, workers: int, seconds: float = 60.0) -> list[float]:
    """Each API process's resident MB once all `workers` have started and stopped growing (only one of them
    answered the /health that said the server is up)."""
    deadline, last = time.monotonic() + seconds, serving_rss_mb(pid)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = serving_rss_mb(pid)
        steady = len(now) == len(last) and all(abs(a - b) < 1.0 for a, b in zip(now, last, strict=True))
        if len(now) == workers and steady:
            return now
        last = now
    return last


def _passed(ttft: dict[str, Any], load: dict[str, Any]) -> bool:
    cpu = load["cpu_ms_per_turn"]
    return (ttft["p95_ms"] <= TARGET_TTFT_P95_MS and load["errors"] == 0 and ttft["errors"] == 0
            and load["turns_per_s"] >= TARGET_TURNS_PER_S
            and load["ttft_under_load"]["p95_ms"] <= TARGET_BURST_TTFT_P95_MS
            and (cpu is None or cpu <= TARGET_CPU_MS_PER_TURN))  # None: a --url server, its CPU unseen


@contextmanager
def _given(url: str) -> Iterator[Served]:
    yield Served(url.rstrip("/"))
