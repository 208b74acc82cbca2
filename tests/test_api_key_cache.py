"""API keys resolve from a short in-process cache: repeat lookups skip the database, a revoke here is refused at
once, and an expired entry is read again (so a revoke in another process lands within the TTL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event, text

from knowledge import api_keys
from tests.tool_helpers import MARIA
from tools import context
from tools.context import ApiKeyCallers, caller_for_api_key, create_api_key, revoke_api_key


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(context, "api_key_callers", ApiKeyCallers(clock=fake))
    return fake


@contextmanager
def counted_queries(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_repeat_lookup_asks_the_database_nothing(engine: Engine, clock: FakeClock) -> None:
    key = create_api_key(engine, MARIA, label="cache")
    with counted_queries(engine) as first:
        caller = caller_for_api_key(engine, key)
    with counted_queries(engine) as again:
        for _ in range(20):
            assert caller_for_api_key(engine, f" {key} ") == caller
    assert caller is not None and caller.email == MARIA
    assert len(first) >= 2 and again == []


def test_a_revoke_in_this_process_is_refused_at_once(engine: Engine, clock: FakeClock) -> None:
    key = create_api_key(engine, MARIA)
    assert caller_for_api_key(engine, key) is not None
    assert revoke_api_key(engine, key) and not revoke_api_key(engine, key)
    assert caller_for_api_key(engine, key) is None


def test_an_expired_entry_is_read_again(engine: Engine, clock: FakeClock) -> None:
    key = create_api_key(engine, MARIA)
    assert caller_for_api_key(engine, key) is not None
    api_keys.revoke_api_key(engine, key)  # as another process does: this one's cache is not told
    clock.now += 29
    assert caller_for_api_key(engine, key) is not None  # within the TTL, the cached caller
    clock.now += 2
    with counted_queries(engine) as queries:
        assert caller_for_api_key(engine, key) is None
    assert queries


def test_a_lookup_racing_a_revoke_does_not_cache_the_old_answer(engine: Engine, clock: FakeClock) -> None:
    key = create_api_key(engine, MARIA)
    cache = context.api_key_callers
    began = cache.revocations
    caller = context.caller_by_email(engine, MARIA, channel="api")
    revoke_api_key(engine, key)  # lands after the lookup read the key as active
    cache.put(engine, key, caller, 30, began)
    assert caller_for_api_key(engine, key) is None


def test_no_cache_when_the_ttl_is_zero(engine: Engine, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context.get_settings(), "api_key_cache_seconds", 0.0)
    key = create_api_key(engine, MARIA)
    assert caller_for_api_key(engine, key) is not None
    with engine.begin() as conn:
        conn.execute(text("UPDATE api_keys SET revoked_at = now() WHERE key_hash = :h"),
                     {"h": api_keys.hash_api_key(key)})
    assert caller_for_api_key(engine, key) is None
