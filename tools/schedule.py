"""Work the marketplace's clock asks for, whoever is online: holds past their time give their stock back,
offers past their expiry close. Each is a function of (engine, now) that acts only on rows still due, so running
it twice, or on two workers at once, changes nothing more; it is registered here with how often it runs, found
like tools are (load_all_tools), and the job workers run it periodically (partpilot/jobs.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

ScheduledFn = Callable[[Engine, datetime], int]


@dataclass(frozen=True)
class ScheduledWork:
    """`run(engine, now)` returns how many rows it changed; `cron` in procrastinate's form (5 or 6 fields)."""

    name: str
    cron: str
    run: ScheduledFn


_SCHEDULED: dict[str, ScheduledWork] = {}


def scheduled(name: str, cron: str = "* * * * *") -> Callable[[ScheduledFn], ScheduledFn]:
    def register(fn: ScheduledFn) -> ScheduledFn:
        _SCHEDULED[name] = ScheduledWork(name, cron, fn)
        return fn

    return register


def all_scheduled() -> list[ScheduledWork]:
    from tools.registry import load_all_tools

    load_all_tools()
    return sorted(_SCHEDULED.values(), key=lambda work: work.name)
