"""Values read from the store once and kept a few minutes, one per database (several databases live side by
side in tests and evals): catalog vocabulary, lookup tables. Equal values read from different databases (the
eval's per-task clones of one template) are one object, so what is built from them (the planner's phrase tables)
is built once."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import Engine

T = TypeVar("T")
# Rendering an engine's URL costs more than the lookups it keys (read on every planner step and API request).
_store_keys: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
_store_keys_lock = threading.Lock()


def store_key(engine: Engine) -> str:
    """Which database `engine` is, as a cache key (its URL, rendered once per engine)."""
    with _store_keys_lock:
        key = _store_keys.get(engine)
        if key is None:
            key = _store_keys[engine] = str(engine.url)
        return key


_RECENT = 4


class PerStoreCache(Generic[T]):
    def __init__(self, build: Callable[[Engine], T], ttl_seconds: float = 300.0) -> None:
        self._build, self._ttl = build, ttl_seconds
        self._values: dict[str, tuple[float, T]] = {}
        self._recent: list[T] = []  # the last few distinct values, which an equal new one is replaced by
        self._lock = threading.Lock()

    def get(self, engine: Engine) -> T:
        """The value for this database, built again when older than the time to live."""
        key, now = store_key(engine), time.monotonic()
        with self._lock:
            cached = self._values.get(key)
            if cached and now - cached[0] < self._ttl:
                return cached[1]
        value = self._build(engine)
        with self._lock:
            value = next((known for known in self._recent if known == value), value)
            self._recent = [value, *(known for known in self._recent if known is not value)][:_RECENT]
            # a clone dropped after its task leaves its entry behind: forget the stale ones
            self._values = {k: v for k, v in self._values.items() if now - v[0] < self._ttl}
            self._values[key] = (now, value)
        return value

    def clear(self) -> None:
        """Forget every value (after seeding)."""
        with self._lock:
            self._values.clear()
            self._recent.clear()
