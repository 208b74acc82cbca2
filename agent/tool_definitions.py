"""The registry's tools as the model sees them: name, docstring, JSON schema of the input model."""

from __future__ import annotations

import copy
from typing import Any

from tools.registry import REGISTRY, ToolKind, load_all_tools

# Building every input model's JSON schema was most of what compiling a graph cost (an eval compiles one per
# task run); the registry only grows, so its size says whether the cached list is still whole.
_cached: tuple[int, list[dict[str, Any]]] = (0, [])


def tool_definitions() -> list[dict[str, Any]]:
    """Anthropic-format tool definitions for every registered tool (planners bind these); the caller's own copy."""
    global _cached
    load_all_tools()
    if _cached[0] != len(REGISTRY):
        _cached = (len(REGISTRY), [
            {"name": spec.name, "description": _describe(spec.description, spec.kind),
             "input_schema": spec.json_schema()}
            for spec in sorted(REGISTRY.values(), key=lambda s: s.name)
        ])
    return copy.deepcopy(_cached[1])


def _describe(doc: str, kind: ToolKind) -> str:
    if kind is ToolKind.WRITE:
        return doc + "\n\nThis changes data: the user is asked to confirm before it runs."
    return doc
