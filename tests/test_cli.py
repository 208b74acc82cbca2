"""The `partpilot` CLI contract: command names, flags and JSON fields."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

pytestmark = pytest.mark.long_module(30)  # seconds, all its tests (tests/conftest.py orders by it)

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "partpilot.cli", *args], capture_output=True, text=True,
                          env=full_env, cwd=REPO, input=stdin, timeout=600)


def test_db_url_and_stats(engine: Engine) -> None:
    url = run_cli("db", "url")
    assert url.returncode == 0 and url.stdout.startswith("postgresql+psycopg://")
    assert "partpilot_test" in url.stdout
    stats = run_cli("stats", "--json")
    counts = json.loads(stats.stdout)
    assert counts["parts_catalog"] >= 2000 and "marketplace_listings" in counts


def test_users_json_fields(engine: Engine) -> None:
    users = json.loads(run_cli("users", "--json").stdout)
    assert users
    assert set(users[0]) >= {"email", "name", "role", "organization", "phone", "slack_user_id"}
    roles = {u["role"] for u in users}
    assert {"technician", "parts_manager", "seller", "buyer"} <= roles


def test_search_json_and_batch(engine: Engine, tmp_path: Path) -> None:
    with engine.connect() as conn:
        number = conn.execute(text("SELECT part_number FROM parts_catalog ORDER BY part_number LIMIT 1")).scalar_one()
    single = run_cli("search", number, "--limit", "3", "--json")
    assert single.returncode == 0, single.stderr
    hits = json.loads(single.stdout)
    assert hits[0]["part_number"] == number
    assert {"part_number", "manufacturer", "name", "score", "matched_by", "superseded_by"} <= set(hits[0])
    batch = tmp_path / "queries.txt"
    batch.write_text(f"{number}\ndoor operator\n\n")
    out = run_cli("search", "--batch", str(batch), "--json")
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 3
    assert json.loads(lines[0])[0]["part_number"] == number
    assert json.loads(lines[2]) == []


def test_search_bad_input_is_a_clear_error(engine: Engine) -> None:
    huge = run_cli("search", "x" * 10_000, "--json")
    assert huge.returncode == 2
    assert "limit" in json.loads(huge.stdout)["error"]
    assert "Traceback" not in huge.stderr
    emoji = run_cli("search", "🔧🔩", "--json")
    assert emoji.returncode == 0 and json.loads(emoji.stdout) == []
