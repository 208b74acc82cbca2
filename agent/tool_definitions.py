"""The registry's tools as the model sees them: name, docstring, JSON schema of the input model."""

from __future__ import annotations

from typing import Any

from tools.registry import REGISTRY, ToolKind, load_all_tools


def tool_definitions() -> list[dict[str, Any]]:
    """Anthropic-format tool definitions for every registered tool (planners bind these)."""
    load_all_tools()
    return [
        {"name": spec.name, "description": _describe(spec.description, spec.kind), "input_schema": spec.json_schema()}
        for spec in sorted(REGISTRY.values(), key=lambda s: s.name)
    ]


def _describe(doc: str, kind: ToolKind) -> str:
    if kind is ToolKind.WRITE:
        return doc + "\n\nThis changes data: the user is asked to confirm before it runs."
    return doc
