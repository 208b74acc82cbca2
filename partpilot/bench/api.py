"""`partpilot bench api`: the chat API under load, over real HTTP against `partpilot serve`.

* time to first token: a fresh conversation's first message, sequentially, from sending the request to the
  first `text-delta` frame (the local planner; model loading excluded by a warm-up turn);
* concurrency: N chat sessions at once, each a short scripted conversation; an error is any non-200, a
  frame that is not a known chunk, an `error` chunk, or a stream without `finish` and `[DONE]`.
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
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from agent.bench import CONVERSATIONS
from api.server import free_port
from channels.web.stream import is_known_chunk
from partpilot.bench.latency import latency_stats, wait_for_http
from tools.context import create_api_key

TARGET_TTFT_P95_MS = 300.0
BENCH_EMAIL = "maria.gonzalez@summitvm.example"


def _stats(values: list[float]) -> dict[str, float]:
    summary = latency_stats(values)
    return {key: summary.get(key, 0.0) for key in ("p50_ms", "p95_ms", "max_ms")}


@contextmanager
def running_server(timeout: float = 180.0) -> Iterator[str]:
    """`partpilot serve` in a child process on a free loopback port (same environment and database)."""
    port = free_port()
    env = {**os.environ, "PARTPILOT_LOG_LEVEL": os.environ.get("PARTPILOT_LOG_LEVEL", "WARNING")}
    child = subprocess.Popen([sys.executable, "-m", "partpilot.cli", "serve", "--host", "127.0.0.1",
                              "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/health", lambda: child.poll() is None, timeout, "partpilot serve")
        yield base
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


async def _concurrent(base: str, headers: dict[str, str], sessions: int, turns: int) -> dict[str, Any]:
    ttfts: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=sessions + 10, max_keepalive_connections=sessions + 10)
    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=300, limits=limits) as client:
        done = await asyncio.gather(*(_session(client, CONVERSATIONS[i % len(CONVERSATIONS)][1][:turns], ttfts, errors)
                                      for i in range(sessions)))
    return {"sessions": sessions, "turns": sum(done), "errors": len(errors), "error_samples": errors[:10],
            "wall_s": round(time.perf_counter() - start, 2), "ttft_under_load": _stats(ttfts)}


def run_api_bench(engine: Engine, out: Path, *, sessions: int = 100, samples: int = 50, turns: int = 2,
                  url: str | None = None) -> dict[str, Any]:
    """Measure and write the JSON report (see the module docstring)."""
    headers = {"Authorization": f"Bearer {create_api_key(engine, BENCH_EMAIL, label='bench api')}"}
    load_before = os.getloadavg()[0]
    with running_server() if url is None else _given(url) as base:
        _, _, warm_errors = _ttft_samples(base, headers, 1)  # loads the planner and warms caches
        ttfts, totals, errors = _ttft_samples(base, headers, samples)
        load = asyncio.run(_concurrent(base, headers, sessions, turns))
    ttft = {"samples": len(ttfts), **_stats(ttfts), "errors": len(errors) + len(warm_errors)}
    report = {
        "planner": "local",
        "server": "partpilot serve (uvicorn, 1 process)" if url is None else url,
        "host": {"cpus": os.cpu_count(), "load_avg_1m_before": round(load_before, 2),
                 "load_avg_1m_after": round(os.getloadavg()[0], 2)},
        "ttft": ttft,
        "turn_total": _stats(totals),
        "concurrency": load,
        "targets": {"ttft_p95_ms": TARGET_TTFT_P95_MS, "errors": 0},
        "passed": ttft["p95_ms"] <= TARGET_TTFT_P95_MS and load["errors"] == 0 and ttft["errors"] == 0,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    return report


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url.rstrip("/")
