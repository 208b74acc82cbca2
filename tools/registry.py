"""The one registry of tools, each tagged READ or WRITE, with pydantic input/output models.

REST routes, the agent and the CLI all call `invoke`; nothing else runs a tool.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, get_type_hints

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.results import ToolFailed, ToolFailure
from tools.telemetry import traced_tool

log = logging.getLogger(__name__)


class ToolKind(StrEnum):
    READ = "READ"
    WRITE = "WRITE"


@dataclass
class ToolContext:
    """What a tool gets besides its arguments: the caller, a session, and for WRITE tools the key."""

    caller: Caller
    session: Session
    engine: Engine
    idempotency_key: str | None = None


ToolFn = Callable[[ToolContext, Any], BaseModel]
Summarizer = Callable[[Caller, Any, Session], str]
# A WRITE tool's refusals that need no write, run before its confirmation: raises ToolFailed like the tool would.
Precheck = Callable[[ToolContext, Any], object]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    kind: ToolKind
    fn: ToolFn
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    summarize: Summarizer | None
    precheck: Precheck | None = None

    @property
    def description(self) -> str:
        return inspect.getdoc(self.fn) or self.name

    def json_schema(self) -> dict[str, Any]:
        return self.input_model.model_json_schema()


REGISTRY: dict[str, ToolSpec] = {}


def tool(kind: ToolKind, summarize: Summarizer | None = None,
         precheck: Precheck | None = None) -> Callable[[ToolFn], ToolFn]:
    """Register a tool function `fn(ctx, args) -> Output`. WRITE tools must say how to summarize a call, and may
    name a `precheck`: the refusals known before any write, so that nobody is asked to confirm a refused call."""

    def register(fn: ToolFn) -> ToolFn:
        hints = get_type_hints(fn)
        params = list(inspect.signature(fn).parameters)
        input_model, output_model = hints[params[1]], hints["return"]
        if kind is ToolKind.WRITE and summarize is None:
            raise TypeError(f"WRITE tool {fn.__name__} needs a summarize function for its confirmation")
        REGISTRY[fn.__name__] = ToolSpec(fn.__name__, kind, fn, input_model, output_model, summarize, precheck)
        return fn

    return register


def get_tool(name: str) -> ToolSpec:
    load_all_tools()
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown tool {name!r}; known: {', '.join(sorted(REGISTRY))}") from None


def validation_failure(exc: ValidationError) -> ToolFailure:
    fields = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
    return ToolFailure(error="invalid", message=f"Invalid arguments: {fields}")


def _has_nul(value: Any) -> bool:
    """Postgres text cannot hold NUL: text carrying one is refused here, for every tool and every caller."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def parse_args(spec: ToolSpec, args: dict[str, Any] | BaseModel) -> BaseModel | ToolFailure:
    raw = args if isinstance(args, dict) else args.model_dump()
    if _has_nul(raw):
        return ToolFailure(error="invalid", message="Invalid arguments: text cannot contain NUL characters.")
    if isinstance(args, spec.input_model):
        return args
    try:
        return spec.input_model.model_validate(raw)
    except ValidationError as exc:
        return validation_failure(exc)


def summarize_call(engine: Engine, caller: Caller, name: str, args: dict[str, Any]) -> str:
    """The plain-language sentence a user confirms before a WRITE tool acts."""
    spec = get_tool(name)
    parsed = parse_args(spec, args)
    if isinstance(parsed, ToolFailure) or spec.summarize is None:
        return f"Run {name}?"
    with Session(engine) as session:
        return spec.summarize(caller, parsed, session)


def precheck_call(engine: Engine, caller: Caller, name: str, args: dict[str, Any]) -> ToolFailure | None:
    """The failure a WRITE call would end in whatever the user answers (None: ask them). Writes nothing."""
    spec = get_tool(name)
    parsed = parse_args(spec, args)
    if isinstance(parsed, ToolFailure) or spec.precheck is None:
        return None
    with Session(engine) as session:
        try:
            spec.precheck(ToolContext(caller, session, engine), parsed)
        except ToolFailed as failed:
            return failed.failure
        finally:
            session.rollback()
    return None


@traced_tool  # a span, a latency sample and an outcome count per call (tools/telemetry.py)
def invoke(
    engine: Engine, caller: Caller, name: str, args: dict[str, Any] | BaseModel, *, idempotency_key: str | None = None
) -> BaseModel:
    """Run one tool as `caller`. Returns its output model or a ToolFailure; bugs raise."""
    from tools.idempotency import run_write

    spec = get_tool(name)
    parsed = parse_args(spec, args)
    if isinstance(parsed, ToolFailure):
        return parsed
    if spec.kind is ToolKind.WRITE:
        if not idempotency_key:
            return ToolFailure(error="invalid", message=f"{name} changes data and needs an idempotency key.")
        return run_write(engine, caller, spec, parsed, idempotency_key)
    with Session(engine) as session:
        try:
            return spec.fn(ToolContext(caller, session, engine), parsed)
        except ToolFailed as failed:
            return failed.failure


@functools.cache
def load_all_tools() -> None:
    """Import every module of the `tools` package so that its tools register, once per process (get_tool calls
    it on every lookup). A new tool needs no list to be kept: a module anywhere under `tools/` with a `@tool`
    function is found."""
    import importlib
    import pkgutil

    import tools

    for info in pkgutil.walk_packages(tools.__path__, prefix="tools."):
        importlib.import_module(info.name)
