"""Every tool of the registry as an MCP tool, found by discovery (no list is kept here).

The input schema is the tool's pydantic input model (WRITE tools add `confirm` and `idempotency_key`), the
structured output is its output model. Arguments are validated by the registry exactly as for REST, and every call
goes through `tools.registry.invoke` as the caller, so visibility and roles are the REST ones.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import anyio.to_thread
from mcp.server.mcpserver import (
    AcceptedElicitation,
    Context,
    Elicit,
    ElicitationResult,
    Resolve,
)
from mcp.server.mcpserver.resolve import build_resolver_plans, find_resolved_parameters
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine

from api.mcp.confirmation import (
    CONFIRM_PROPERTIES,
    Confirmation,
    ConfirmationBook,
    NeedsConfirmation,
    split_arguments,
    supports_elicitation,
    write_key,
)
from tools.context import Caller
from tools.registry import REGISTRY, ToolKind, ToolSpec, invoke, load_all_tools, parse_args, summarize_call
from tools.results import ToolFailure

log = logging.getLogger(__name__)

CallerSource = Callable[[Context[Any, Any]], Caller]
"""The caller of the request in flight (stdio: the `--as` user; HTTP: the bearer key's user). Raises
`mcp.server.mcpserver.exceptions.ToolError` when there is none."""


@dataclass(frozen=True)
class Backend:
    """What the MCP tools run against: the store, who is calling, and the calls awaiting `confirm: true`."""

    engine: Callable[[], Engine]
    caller: CallerSource
    book: ConfirmationBook

    async def caller_of(self, ctx: Context[Any, Any]) -> Caller:
        return await anyio.to_thread.run_sync(self.caller, ctx)

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A blocking store call, off the event loop."""
        return await anyio.to_thread.run_sync(functools.partial(fn, self.engine(), *args, **kwargs))


class _RawArguments(ArgModelBase):
    """Hands the client's arguments through untouched: the registry validates them, as it does for REST."""

    model_config = ConfigDict(extra="allow", arbitrary_types_allowed=True)

    def model_dump_one_level(self) -> dict[str, Any]:
        return {"arguments": dict(self.model_extra or {})}


class Unasked:
    """The confirmation resolver's answer when the client cannot be asked (no elicitation)."""


@functools.cache  # pydantic builds a schema in milliseconds; there are many tools and many apps in tests
def input_schema(spec: ToolSpec) -> dict[str, Any]:
    schema = spec.input_model.model_json_schema()
    if spec.kind is ToolKind.WRITE:
        schema = {**schema, "properties": {**schema.get("properties", {}), **CONFIRM_PROPERTIES}}
    return schema


@functools.cache
def output_schema(spec: ToolSpec) -> dict[str, Any]:
    schema = spec.output_model.model_json_schema(mode="serialization")
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):  # MCP wants an object at the root
        schema = {**schema["$defs"][ref.removeprefix("#/$defs/")], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def tool_result(output: BaseModel) -> CallToolResult:
    """The tool's output model as structured content (and as JSON text for clients that read only text);
    an expected failure is an error result the model can act on, with the REST error body."""
    data = output.model_dump(mode="json")
    if isinstance(output, ToolFailure | NeedsConfirmation):
        text = output.message + (f" {output.hint}" if isinstance(output, ToolFailure) and output.hint else "")
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data, is_error=True)
    return CallToolResult(content=[TextContent(type="text", text=json.dumps(data))], structured_content=data)


def _declined(name: str) -> CallToolResult:
    return tool_result(ToolFailure(error="rejected_input", message=f"Not done: the user did not confirm {name}."))


def _read_runner(spec: ToolSpec, backend: Backend) -> Callable[..., Any]:
    async def run_read_tool(arguments: dict[str, Any], ctx: Context[Any, Any]) -> CallToolResult:
        caller = await backend.caller_of(ctx)
        return tool_result(await backend.run(invoke, caller, spec.name, arguments))

    return run_read_tool


def _write_runner(spec: ToolSpec, backend: Backend) -> Callable[..., Any]:
    async def ask_user(arguments: dict[str, Any], ctx: Context[Any, Any]) -> Elicit[Confirmation] | Unasked:
        own, _, _ = split_arguments(arguments)
        if not supports_elicitation(ctx) or isinstance(parse_args(spec, own), ToolFailure):
            return Unasked()
        summary = await backend.run(summarize_call, await backend.caller_of(ctx), spec.name, own)
        return Elicit(summary, Confirmation)

    async def run_write_tool(arguments: dict[str, Any], ctx: Context[Any, Any], answer: Any) -> CallToolResult:
        own, confirm, client_key = split_arguments(arguments)
        parsed = parse_args(spec, own)
        if isinstance(parsed, ToolFailure):
            return tool_result(parsed)
        caller = await backend.caller_of(ctx)
        key = write_key(caller, spec.name, parsed.model_dump(mode="json"), client_key)
        if not isinstance(answer, AcceptedElicitation):
            return _declined(spec.name)
        if isinstance(answer.data, Confirmation):
            if not answer.data.confirm:
                return _declined(spec.name)
        elif not (confirm and backend.book.may_act(key)):
            summary = await backend.run(summarize_call, caller, spec.name, own)
            backend.book.remember(key)
            return tool_result(NeedsConfirmation(summary=summary, message=(
                f"Not done yet. Show the user: “{summary}” If they agree, call {spec.name} again with the same "
                "arguments and confirm: true.")))
        log.info("mcp write %s by %s (%s)", spec.name, caller.email, caller.channel)
        return tool_result(await backend.run(invoke, caller, spec.name, parsed, idempotency_key=key))

    # The SDK reads the resolver from the annotation; set as an object, since a string could not name a local.
    run_write_tool.__annotations__["answer"] = Annotated[ElicitationResult[Confirmation], Resolve(ask_user)]
    return run_write_tool


def mcp_tool(spec: ToolSpec, backend: Backend) -> Tool:
    write = spec.kind is ToolKind.WRITE
    fn = _write_runner(spec, backend) if write else _read_runner(spec, backend)
    resolved = find_resolved_parameters(fn)
    title = spec.name.replace("_", " ").capitalize()
    return Tool(
        fn=fn, name=spec.name, title=title, description=spec.description, parameters=input_schema(spec),
        fn_metadata=FuncMetadata(arg_model=_RawArguments, output_schema=output_schema(spec)),
        is_async=True, context_kwarg="ctx", resolved_params=dict(resolved),
        resolver_plans=build_resolver_plans(resolved, {"arguments"}),
        annotations=ToolAnnotations(title=title, read_only_hint=not write, destructive_hint=write,
                                    idempotent_hint=True, open_world_hint=False),
    )


def registry_tools(backend: Backend) -> list[Tool]:
    """Every registered tool, by name."""
    load_all_tools()
    return [mcp_tool(spec, backend) for spec in sorted(REGISTRY.values(), key=lambda s: s.name)]
