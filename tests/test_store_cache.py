"""Values kept per database: read again only after their time, equal values from two databases one object (what
the planner builds from them is built once), and the entries of databases gone forgotten."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import create_engine

from knowledge.store_cache import PerStoreCache


@dataclass(frozen=True)
class Names:
    names: frozenset[str]


def test_equal_values_of_two_databases_are_one_object_and_stale_ones_are_forgotten() -> None:
    contents = {"a": {"otis"}, "b": {"otis"}, "c": {"otis", "kone"}}
    reads: list[str] = []

    def read(engine: object) -> Names:
        name = str(engine.url.database)  # type: ignore[attr-defined]
        reads.append(name)
        return Names(frozenset(contents[name]))

    cache = PerStoreCache(read, ttl_seconds=60)
    a, b, c = (create_engine(f"postgresql+psycopg://u@/{name}") for name in "abc")
    first = cache.get(a)
    assert cache.get(a) is first and reads == ["a"]  # kept, not read again
    assert cache.get(b) is first  # another database, the same content: the same object
    assert cache.get(c) == Names(frozenset({"otis", "kone"})) and cache.get(c) is not first
    assert reads == ["a", "b", "c"]
    expired = PerStoreCache(read, ttl_seconds=0)
    expired.get(a)
    expired.get(b)
    assert len(expired._values) == 1  # the entry of a database not asked for within its time is gone
