"""How a tool family (`tools/<family>/`) shows its public schemas: its `__init__` imports them under
`TYPE_CHECKING` (so type checkers and readers see them) and each is imported from its module on first use.
Families import each other's modules (a listing's detail counts open offers; an offer carries a listing's
money type), so a family package that imported all its modules when first touched would import in circles."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _declared(init_file: str) -> dict[str, str]:
    """Name → module of the `from tools.<family>.<module> import …` lines under `if TYPE_CHECKING:`."""
    homes: dict[str, str] = {}
    for node in ast.parse(Path(init_file).read_text()).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    homes.update({alias.name: statement.module for alias in statement.names})
    return homes


def public_schemas(package: str, init_file: str) -> tuple[Callable[[str], Any], list[str]]:
    """The `__getattr__` and `__all__` of a family package, from what its `__init__` declares."""
    homes = _declared(init_file)

    def attribute(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(home), name)

    return attribute, sorted(homes)
