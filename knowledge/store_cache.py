"""Values read from the store once and kept a few minutes, one per database (several databases live side by
side in tests and evals): catalog vocabulary, lookup tables."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import Engine

T = TypeVar("T")


class PerStoreCache(Generic[T]):
    def __init__(self, build: Callable[[Engine], T], ttl_seconds: float = 300.0) -> None:
        self._build, self._ttl = build, ttl_seconds
        self._values: dict[str, tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, engine: Engine) -> T:
        """The value for this database, built again when older than the time to live."""
        key, now = str(engine.url), time.monotonic()
        with self._lock:
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
