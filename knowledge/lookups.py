"""Names the conversation may mention, read from the store for entity recognition: customer sites,
organizations, people, stock locations, cities, the catalog's normalised part numbers and its search terms
(stemmed, as full-text search keeps them: words a message may use that are not typing slips).

Recognition only: knowing that "Northline" is an organization says nothing about what the caller may see;
the tools decide that when the name is used.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Engine, text

from knowledge.store_cache import PerStoreCache


@dataclass(frozen=True)
class Person:
    name: str
    organization: str


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    organization: str
    location_type: str
    assigned_to: str | None  # the user whose truck it is


@dataclass(frozen=True)
class LookupTables:
    sites: tuple[str, ...]
    organizations: tuple[str, ...]
    people: tuple[Person, ...]
    locations: tuple[Location, ...]
    cities: tuple[str, ...]
    part_numbers: Container[str]  # normalised (knowledge.partnumbers.normalize_part_number)
    catalog_terms: frozenset[str] = frozenset()  # stemmed lexemes ("instal", "contactor", "safeti")
    organization_types: tuple[tuple[str, str], ...] = ()  # (name, org_type): "the hospital one" is theirs


_SQL = {
    "sites": "SELECT DISTINCT site_name FROM equipment WHERE site_name IS NOT NULL ORDER BY 1",
    "organizations": "SELECT name, org_type FROM organizations ORDER BY name",
    "people": "SELECT u.name, o.name FROM users u JOIN organizations o ON o.id = u.organization_id "
              "WHERE u.is_active ORDER BY u.name",
    "locations": "SELECT s.id, s.name, o.name, s.location_type, u.name FROM stock_locations s "
                 "JOIN organizations o ON o.id = s.organization_id LEFT JOIN users u ON u.id = s.assigned_user_id "
                 "WHERE s.is_active ORDER BY s.name",
    "cities": "SELECT city FROM (SELECT city FROM equipment UNION SELECT city FROM stock_locations "
              "UNION SELECT city FROM organizations UNION SELECT city FROM marketplace_listings) c "
              "WHERE city IS NOT NULL ORDER BY 1",
    "catalog_terms": "SELECT word FROM part_term_stats WHERE word ~ '^[a-z]{3,}$'",
}


# Up to this many the catalog's part numbers are read into a set (a few MB); above, each is asked of the database.
IN_MEMORY_PART_NUMBERS = 200_000


class CatalogPartNumbers:
    """Whether a normalised part number is in the catalog, asked of its index and remembered: a million numbers
    would be ~100 MB of set per process, read again in full every few minutes on the request path."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._known = lru_cache(maxsize=65_536)(self._ask)

    def _ask(self, norm: str) -> bool:
        with self._engine.connect() as conn:
            return bool(conn.execute(text("SELECT EXISTS (SELECT 1 FROM parts_catalog WHERE part_number_norm = :n)"),
                                     {"n": norm}).scalar())

    def __contains__(self, norm: object) -> bool:
        return isinstance(norm, str) and bool(norm) and self._known(norm)


def _part_numbers(engine: Engine, conn) -> Container[str]:  # type: ignore[no-untyped-def]
    estimate = conn.execute(text("SELECT reltuples FROM pg_class WHERE oid = 'part_number_lookup'::regclass")).scalar()
    if (estimate or 0) > IN_MEMORY_PART_NUMBERS:
        return CatalogPartNumbers(engine)
    return frozenset(conn.execute(text("SELECT part_number_norm FROM part_number_lookup")).scalars())


def _read_lookups(engine: Engine) -> LookupTables:
    with engine.connect() as conn:
        rows = {name: conn.execute(text(sql)).all() for name, sql in _SQL.items()}
        part_numbers = _part_numbers(engine, conn)
    return LookupTables(
        sites=tuple(r[0] for r in rows["sites"]),
        organizations=tuple(r[0] for r in rows["organizations"]),
        organization_types=tuple((r[0], r[1]) for r in rows["organizations"] if r[1]),
        people=tuple(Person(r[0], r[1]) for r in rows["people"]),
        locations=tuple(Location(str(r[0]), r[1], r[2], r[3], r[4]) for r in rows["locations"]),
        cities=tuple(r[0] for r in rows["cities"]),
        part_numbers=part_numbers,
        catalog_terms=frozenset(r[0] for r in rows["catalog_terms"]),
    )


_LOOKUPS = PerStoreCache(_read_lookups)


def load_lookups(engine: Engine) -> LookupTables:
    """The tables for this database, cached for a few minutes."""
    return _LOOKUPS.get(engine)


def forget_lookups() -> None:
    """Drop cached tables (after seeding)."""
    _LOOKUPS.clear()
