"""Values read from the store once and kept a few minutes, one per database (several databases live side by
side in tests and evals): catalog vocabulary, lookup tables."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import Engine

T = TypeVar("T")


class PerStoreCache(Generic[T]):
    def __init__(self, build: Callable[[Engine], T], ttl_seconds: float = 300.0) -> None:
        self._build, self._ttl = build, ttl_seconds
        self._values: dict[str, tuple[float, T]] = {}
        self._lock = threading.Lock()
        # Rendering an engine's URL costs more than the lookup it keys (it is read on every planner step).
        self._keys: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()

    def get(self, engine: Engine) -> T:
        """The value for this database, built again when older than the time to live."""
        now = time.monotonic()
        with self._lock:
            key = self._keys.get(engine)
            if key is None:
                key = self._keys[engine] = str(engine.url)
            cached = self._values.get(key)
            if cached and now - cached[0] < self._ttl:
                return cached[1]
        value = self._build(engine)
        with self._lock:
            self._values[key] = (now, value)
        return value

    def clear(self) -> None:
        """Forget every value (after seeding)."""
        with self._lock:
            self._values.clear()
