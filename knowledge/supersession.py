"""Supersession chains: follow old → new edges until the current part."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

MAX_HOPS = 12

_CHAIN_SQL = text(
    """
    WITH RECURSIVE chain AS (
        SELECT e.old_part_id AS start_id, e.old_part_id, e.new_part_id, e.interchangeability,
               e.effective_date, 1 AS depth, ARRAY[e.old_part_id] AS seen
        FROM part_supersessions e
        WHERE e.old_part_id = ANY(:ids)
        UNION ALL
        SELECT c.start_id, e.old_part_id, e.new_part_id, e.interchangeability, e.effective_date,
               c.depth + 1, c.seen || e.old_part_id
        FROM chain c
        JOIN part_supersessions e ON e.old_part_id = c.new_part_id
        WHERE c.depth < :max_hops AND NOT e.old_part_id = ANY(c.seen)
    )
    SELECT c.start_id, c.depth, c.interchangeability, c.effective_date,
           o.part_number AS old_number, o.id AS old_id, n.part_number AS new_number, n.id AS new_id,
           n.manufacturer AS new_manufacturer
    FROM chain c
    JOIN parts_catalog o ON o.id = c.old_part_id
    JOIN parts_catalog n ON n.id = c.new_part_id
    ORDER BY c.start_id, c.depth, c.effective_date DESC
    """
)


@dataclass(frozen=True)
class Hop:
    from_part_id: uuid.UUID
    from_part_number: str
    to_part_id: uuid.UUID
    to_part_number: str
    interchangeability: str
    effective_date: date

    def as_dict(self) -> dict[str, str]:
        return {
            "from": self.from_part_number,
            "to": self.to_part_number,
            "interchangeability": self.interchangeability,
            "effective_date": self.effective_date.isoformat(),
        }


def resolve_chains(conn: Connection, part_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Hop]]:
    """For each part that has been superseded, the hops from it to its current replacement.

    Where a part was superseded twice (a branch), the newest edge is followed.
    """
    ids = list(dict.fromkeys(part_ids))
    if not ids:
        return {}
    rows = conn.execute(_CHAIN_SQL, {"ids": ids, "max_hops": MAX_HOPS}).all()
    edges: dict[uuid.UUID, dict[uuid.UUID, Hop]] = {}
    for row in rows:
        hop = Hop(row.old_id, row.old_number, row.new_id, row.new_number, row.interchangeability, row.effective_date)
        per_start = edges.setdefault(row.start_id, {})
        current = per_start.get(row.old_id)
        if current is None or hop.effective_date > current.effective_date:
            per_start[row.old_id] = hop
    chains: dict[uuid.UUID, list[Hop]] = {}
    for start, by_old in edges.items():
        chain: list[Hop] = []
        node = start
        while node in by_old and len(chain) < MAX_HOPS:
            hop = by_old[node]
            chain.append(hop)
            node = hop.to_part_id
        chains[start] = chain
    return chains
