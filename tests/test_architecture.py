"""The house: every tool is reachable over REST and measured by an eval task, README's tool table is the
registry's, and the layers are what pyproject.toml's import-linter contracts say (run here as well as by
`make lint`, so a broken layer fails the suite too)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from evals.model import load_tasks
from partpilot.tool_table import BEGIN, END, readme_block
from partpilot.wiring import create_app
from tools.registry import REGISTRY, load_all_tools

ROOT = Path(__file__).resolve().parents[1]


def _tools() -> set[str]:
    load_all_tools()
    return set(REGISTRY)


def test_every_tool_has_a_rest_route_and_every_route_names_a_real_tool() -> None:
    spec = create_app().openapi()
    served = {op["x-tool"] for ops in spec["paths"].values() for op in ops.values()
              if isinstance(op, dict) and "x-tool" in op}
    tools = _tools()
    assert len(tools) >= 40
    assert tools - served == set(), "tools without a REST route"
    assert served - tools == set(), "routes that name no registered tool"


def test_every_tool_is_measured_by_an_eval_task() -> None:
    measured: set[str] = set()
    for task in load_tasks():
        measured |= {a.tool for a in task.evaluation.reference_actions}
        measured |= {a.tool for a in task.evaluation.required_actions}
    assert _tools() - measured == set(), "tools no eval task uses"


def test_readme_tool_table_is_the_registry() -> None:
    readme = (ROOT / "README.md").read_text()
    assert BEGIN in readme and END in readme
    current = readme[readme.index(BEGIN):readme.index(END) + len(END)]
    assert current == readme_block(), "README's tool table is stale: paste `partpilot tool --list --markdown`"
    assert all(f"`{name}`" in current for name in _tools())


def test_layers_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports is not None, "import-linter is a dev dependency"
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Contracts: " in result.stdout and " kept, 0 broken." in result.stdout


def test_every_family_names_public_schemas_that_exist() -> None:
    import importlib
    import pkgutil

    import tools

    families = [info.name for info in pkgutil.iter_modules(tools.__path__) if info.ispkg and info.name != "rules"]
    assert len(families) >= 8
    for family in families:
        package = importlib.import_module(f"tools.{family}")
        assert package.__all__, family
        for name in package.__all__:
            assert getattr(package, name) is not None, f"tools.{family}.{name}"
