"""The offline planner's NLU over the demo world's names, without a database, and a parts manager's
environment for it: fixtures of the table tests (tests/test_nlu_table.py, test_sentences*.py, …)."""

from __future__ import annotations

import pytest

from agent.planners.local.nlu import NLU, make_nlu
from agent.planners.local.policy import Env
from tests.test_nlu_table import SUMMIT, demo_tables, demo_vocabulary


@pytest.fixture(scope="session")
def nlu() -> NLU:
    return make_nlu(demo_tables(), demo_vocabulary())


@pytest.fixture(scope="session")
def env(nlu: NLU) -> Env:
    return Env(role="manager", organization=SUMMIT, name="Maria Gonzalez", channel="cli", can_sell=True,
               can_buy=True, tools=frozenset(), nlu=nlu)
