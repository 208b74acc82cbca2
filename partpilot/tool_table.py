"""README's tool table, generated from the registry and the REST API (`partpilot tool --list --markdown`), so
it can never fall behind: a test checks that README.md holds exactly this table."""

from __future__ import annotations

import re

from tools.registry import REGISTRY, load_all_tools

BEGIN, END = "<!-- tool-table:begin (partpilot tool --list --markdown) -->", "<!-- tool-table:end -->"


def _routes() -> dict[str, list[str]]:
    from partpilot.wiring import create_app

    routes: dict[str, list[str]] = {}
    for path, operations in create_app().openapi()["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and operation.get("x-tool"):
                routes.setdefault(operation["x-tool"], []).append(f"`{method.upper()} {path}`")
    return routes


def _first_sentence(text: str) -> str:
    line = " ".join(text.split("\n\n")[0].split())
    return re.split(r"(?<!e\.g)(?<!i\.e)\. ", line)[0].rstrip(".") + "."


def markdown() -> str:
    """The table: one row per tool, by module then name: READ/WRITE, what it does, its REST routes."""
    load_all_tools()
    routes = _routes()
    rows = ["| Tool | Kind | What it does | REST |", "| --- | --- | --- | --- |"]
    for spec in sorted(REGISTRY.values(), key=lambda s: (s.fn.__module__, s.name)):
        rows.append(f"| `{spec.name}` | {spec.kind.value} | {_first_sentence(spec.description)} | "
                    f"{'<br>'.join(routes.get(spec.name, [])) or '—'} |")
    return "\n".join(rows)


def readme_block() -> str:
    return f"{BEGIN}\n{markdown()}\n{END}"
