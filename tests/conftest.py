"""Test harness: a real PostgreSQL (the embedded server, or DATABASE_URL), a fresh test database per run,
migrated and seeded with the demo world once per session."""

from __future__ import annotations

import hashlib
import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("PARTPILOT_HOME", str(REPO / ".ci-home"))
# One database per pytest session, so parallel runs (developers, CI retries) never drop each other's data.
os.environ["EMBEDDED_DATABASE_NAME"] = os.environ.get("PARTPILOT_TEST_DB", f"partpilot_test_{os.getpid()}")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# the tests' cluster is thrown away: its thousands of eval clones need not wait on the disk (knowledge.settings)
os.environ.setdefault("EMBEDDED_FSYNC", "false")


def _in_memory_cluster_dir() -> str | None:
    """A directory on /dev/shm for the tests' cluster when it has room (the cluster, its WAL and the eval
    clones stay under 2 GB): creating and dropping databases there is ten times faster than on a slow disk."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK) or shutil.disk_usage(shm).free < 4 * 2**30:
        return None
    # one cluster per checkout: two checkouts' test runs never share (or stop) each other's server
    return str(shm / f"partpilot-tests-{hashlib.sha256(str(REPO).encode()).hexdigest()[:10]}" / "pgdata")


if "EMBEDDED_DATA_DIR" not in os.environ and (in_memory := _in_memory_cluster_dir()):
    os.environ["EMBEDDED_DATA_DIR"] = in_memory
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
if os.environ.get("PYTEST_XDIST_WORKER"):  # beside another busy test process one OCR thread reads a plate faster
    os.environ.setdefault("PARTPILOT_OCR_THREADS", "1")
os.environ.pop("ANTHROPIC_API_KEY", None)
os.environ.pop("PLANNER_MODEL", None)  # a developer's own model must not become the tests' planner
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Engine, create_engine, text  # noqa: E402

from knowledge.db import database_url, get_engine  # noqa: E402
from knowledge.migrate import upgrade  # noqa: E402
from tests.api_helpers import api_client, headers_for  # noqa: E402

# the browser; the Slack and Twilio fakes; the supplier tests' fixtures; the demo NLU of the table tests
pytest_plugins = ["tests.browser", "tests.channel_fakes", "tests.supplier_helpers", "tests.demo_nlu",
                  "tests.eval_year_ahead"]
from tests.eval_helpers import EvalRuns  # noqa: E402
from tests.tool_helpers import MARIA, METRO, OUTSIDER, SELLER, member  # noqa: E402
from tools.context import Caller, caller_by_email  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The whole eval runs first (tests/test_evals_runs.py, tests/test_evals_runs_local.py): under pytest-xdist
    each module is one unit of work of about a sixth of the suite's time, so both processes start on them at once
    and then share the rest — the other long modules first, longest first, so that neither process is left
    running one of them at the end while the other has nothing to do."""
    def order(item: pytest.Item) -> tuple[int, float]:
        if item.get_closest_marker("whole_eval_runs"):
            return 0, 0.0
        long = item.get_closest_marker("long_module")
        return (1, -float(long.args[0])) if long else (2, 0.0)

    items.sort(key=order)


def _recreate_database(create: bool = True, template: str | None = None) -> None:
    url = database_url()
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{url.database}"' + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()


def _own_database(config: pytest.Config) -> bool:
    """The pytest-xdist controller of test processes, on the embedded server (not a given database)."""
    return not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", 0)) and \
        not os.environ.get("DATABASE_URL") and not os.environ.get("PARTPILOT_TEST_DB")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under pytest-xdist the controller does once what every test process would do again at the same time:
    train (or load) the NLU model, load the encoder, migrate and seed a database — which each process copies."""
    if not _own_database(session.config):
        return
    from agent.planners.local.nlu import intent_model
    from knowledge.encoders import warm_encoder
    from knowledge.seed.loader import seed_store

    intent_model()
    warm_encoder()
    _recreate_database()
    seeded = get_engine()
    upgrade(seeded)
    seed_store(seeded)
    seeded.dispose()  # a template must have no sessions
    os.environ["PARTPILOT_TEST_TEMPLATE"] = str(database_url().database)  # the processes start after this


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _own_database(session.config) and os.environ.get("PARTPILOT_TEST_TEMPLATE"):
        _recreate_database(create=False)


EVAL_BASE = f"{os.environ['EMBEDDED_DATABASE_NAME']}_evalbase"[:63]
_eval_base_made = False


def _make_eval_base(eng: Engine) -> None:
    """A template copy of the freshly seeded database for the eval suite's per-task clones. Made now, while
    no other session holds the database (a template must have none); the eval runs fall back when absent."""
    global _eval_base_made
    eng.dispose()
    admin = create_engine(database_url().set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{EVAL_BASE}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{EVAL_BASE}" TEMPLATE "{database_url().database}"'))
        _eval_base_made = True
    except Exception as exc:  # no CREATEDB right, or the database is busy: the evals clone later or run in place
        warnings.warn(f"no eval base database: {exc}", stacklevel=1)
    finally:
        admin.dispose()


def _drop_eval_base() -> None:
    if not _eval_base_made:
        return
    admin = create_engine(database_url().set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{EVAL_BASE}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def eval_base(engine: Engine) -> str | None:
    """The template database the eval runs clone per task, or None when it could not be made."""
    return EVAL_BASE if _eval_base_made else None


@pytest.fixture(scope="session")
def eval_runs(engine: Engine, eval_base: str | None, tmp_path_factory: pytest.TempPathFactory) -> EvalRuns:
    """Whole eval runs on the test database, one per planner per process, shared by the tests that read them."""
    root = tmp_path_factory.getbasetemp()
    shared = root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root  # the session's, seen by every process
    return EvalRuns(engine, eval_base, tmp_path_factory.mktemp("evals"), shared)


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """The migrated, seeded test database."""
    from knowledge.seed.loader import seed_store

    # PARTPILOT_TEST_DB names a database to reuse as it is (fast local iteration); otherwise a fresh one — a copy
    # of the one the controller of several test processes seeded (pytest_sessionstart), or seeded here.
    template = os.environ.get("PARTPILOT_TEST_TEMPLATE")
    if not os.environ.get("DATABASE_URL") and not os.environ.get("PARTPILOT_TEST_DB"):
        _recreate_database(template=template)
    eng = get_engine()
    upgrade(eng)
    if not template:
        seed_store(eng)
    _make_eval_base(eng)
    yield eng
    eng.dispose()
    _drop_eval_base()
    if not os.environ.get("DATABASE_URL") and not os.environ.get("PARTPILOT_TEST_DB"):
        _recreate_database(create=False)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="module")
def maria(engine: Engine) -> Caller:
    """The demo technician (Summit Vertical), the usual caller of the tool tests."""
    return caller_by_email(engine, MARIA)


@pytest.fixture(scope="module")
def metro(engine: Engine) -> Caller:
    """A seller at the demo salvage dealer, for marketplace tests."""
    return member(engine, METRO, selling=True)


# ---- the REST API tests' client and credentials (one API key per module and person) ----------------------

@pytest.fixture(scope="module")
def client(engine: Engine) -> TestClient:
    """A client of the real app (create_app), unauthenticated."""
    return api_client()


@pytest.fixture(scope="module")
def signed_in(engine: Engine) -> TestClient:
    """A client of the real app signed in as the demo technician."""
    client = api_client()
    client.headers.update(headers_for(engine, MARIA))
    return client


@pytest.fixture(scope="module")
def tech(engine: Engine) -> dict[str, str]:
    return headers_for(engine, MARIA)


@pytest.fixture(scope="module")
def seller(engine: Engine) -> dict[str, str]:
    return headers_for(engine, SELLER)


@pytest.fixture(scope="module")
def outsider(engine: Engine) -> dict[str, str]:
    return headers_for(engine, OUTSIDER)
