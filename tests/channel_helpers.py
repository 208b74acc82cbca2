"""What the Slack and SMS tests share: the real app (create_app) under uvicorn with the channel keys set,
its channel hub, fresh conversations, and demo users with phones and Slack ids."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, text

from channels.fakes.app_server import AppServer
from channels.hub import ChannelHub
from evals.nameplates import NameplateSpec, render_nameplate
from partpilot.jobs import BackgroundWorker, wait_for_turns, worker_app
from partpilot.wiring import forget_configuration, get_hub


@dataclass
class RunningApp:
    url: str
    hub: ChannelHub
    engine: Engine

    def settle(self, timeout: float = 120) -> None:
        """Wait until every queued agent turn has run and its reply was sent."""
        assert wait_for_turns(self.engine, timeout), "queued turns did not finish"

    def clear_pending(self, channel: str, sender: str) -> None:
        """No confirmation left pending in this person's conversation (the test database may be reused between
        runs; the thread itself is kept, because the planner's call ids — and so the idempotency keys of
        its writes — restart with a deleted thread)."""
        conversations = self.hub.conversations
        caller = conversations.caller_for(channel, sender)
        key = f"{channel}:{sender}"
        if caller is not None and conversations.runner.pending(key, caller) is not None:
            conversations.runner.resume(key, caller, {"decision": "no"})


@contextmanager
def job_worker(hub: ChannelHub, engine: Engine, concurrency: int = 2) -> Iterator[BackgroundWorker]:
    """A job worker for `hub` in this process, stopped once the queue is empty."""
    worker = BackgroundWorker(worker_app(hub, engine, concurrency, clock=False), name="tests").start()
    try:
        yield worker
        wait_for_turns(engine, 120)
    finally:
        worker.stop()


@contextmanager
def served(app: Any, hub: ChannelHub, engine: Engine) -> Iterator[RunningApp]:
    """`app` under uvicorn with a job worker running `hub`'s jobs."""
    with job_worker(hub, engine), AppServer(app) as server:
        yield RunningApp(server.url, hub, engine)


@contextmanager
def running_app(env: dict[str, str]) -> Iterator[RunningApp]:
    from knowledge.db import get_engine
    from partpilot.wiring import create_app

    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        forget_configuration()
        try:
            with served(create_app(), get_hub(), get_engine()) as running:
                yield running
        finally:
            forget_configuration()


def user_with(engine: Engine, column: str, email: str) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text(f"SELECT {column} FROM users WHERE email = :e"), {"e": email}).scalar_one())


def count(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def nameplate(number: str, maker: str, name: str) -> bytes:
    return render_nameplate(NameplateSpec(manufacturer=maker, part_number=number, name=name), seed=7, rotation=0,
                            blur=0.3, noise=2, glare=False, barcode=True)
