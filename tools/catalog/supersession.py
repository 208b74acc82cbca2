"""Supersession around catalog parts: the hops before and after a part, the parts that can stand in for it,
and the parts interchangeable with a set of parts. New may replace old (drop_in, one_way, kit, or with a
modification); an old part stands in for a newer one only across drop-in hops."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.partnumbers import normalize_part_number
from knowledge.supersession import MAX_HOPS, resolve_chains
from tools.catalog.parts import CatalogPart, load_parts

# Weakest-first order of how well a replacement fits; a chain is as good as its weakest hop.
KIND_RANK = {"drop_in": 0, "one_way": 1, "requires_modification": 2, "kit": 3}


class ChainHop(BaseModel):
    """One supersession edge: `from_part_number` was replaced by `to_part_number`."""

    from_part_number: str
    to_part_number: str
    from_part_id: uuid.UUID
    to_part_id: uuid.UUID
    direction: Literal["newer", "older"] = Field(
        description="'newer': on the way from the looked-up part to its current replacement; "
        "'older': an earlier number that the looked-up part (or its predecessor) replaced")
    interchangeability: str = Field(description="drop_in | one_way | requires_modification | kit")
    reversible: bool = Field(description="True when the old part may also stand in for the new (drop_in)")
    effective_date: date
    notes: str | None = None


def supersession_hops(session: Session, part_id: uuid.UUID) -> tuple[list[ChainHop], list[ChainHop]]:
    """(older hops, newer hops) around a part, each in date order. Newer hops end at the current part."""
    conn = session.connection()
    forward = resolve_chains(conn, [part_id]).get(part_id, [])
    older_rows = conn.execute(_BACKWARD_SQL, {"id": part_id, "max_hops": MAX_HOPS}).all()
    pairs = [(h.from_part_id, h.to_part_id) for h in forward] + [(r.old_id, r.new_id) for r in older_rows]
    notes: dict[tuple[uuid.UUID, uuid.UUID], str | None] = {}
    if pairs:
        for r in conn.execute(text(
            "SELECT old_part_id, new_part_id, notes FROM part_supersessions WHERE old_part_id = ANY(:o)"
        ), {"o": [p[0] for p in pairs]}):
            notes[(r.old_part_id, r.new_part_id)] = r.notes
    newer = [ChainHop(from_part_number=h.from_part_number, to_part_number=h.to_part_number,
                      from_part_id=h.from_part_id, to_part_id=h.to_part_id, direction="newer",
                      interchangeability=h.interchangeability, reversible=h.interchangeability == "drop_in",
                      effective_date=h.effective_date, notes=notes.get((h.from_part_id, h.to_part_id)))
             for h in forward]
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    older: list[ChainHop] = []
    for r in older_rows:
        if (r.old_id, r.new_id) in seen:
            continue
        seen.add((r.old_id, r.new_id))
        older.append(ChainHop(from_part_number=r.old_number, to_part_number=r.new_number, from_part_id=r.old_id,
                              to_part_id=r.new_id, direction="older", interchangeability=r.interchangeability,
                              reversible=r.interchangeability == "drop_in", effective_date=r.effective_date,
                              notes=notes.get((r.old_id, r.new_id))))
    older.sort(key=lambda h: h.effective_date)
    return older, newer


_BACKWARD_SQL = text(
    """
    WITH RECURSIVE back AS (
        SELECT e.old_part_id, e.new_part_id, e.interchangeability, e.effective_date, 1 AS depth,
               ARRAY[e.new_part_id] AS seen
        FROM part_supersessions e WHERE e.new_part_id = :id
        UNION ALL
        SELECT e.old_part_id, e.new_part_id, e.interchangeability, e.effective_date, b.depth + 1,
               b.seen || e.new_part_id
        FROM back b JOIN part_supersessions e ON e.new_part_id = b.old_part_id
        WHERE b.depth < :max_hops AND NOT e.new_part_id = ANY(b.seen)
    )
    SELECT b.old_part_id AS old_id, b.new_part_id AS new_id, b.interchangeability, b.effective_date,
           o.part_number AS old_number, n.part_number AS new_number
    FROM back b JOIN parts_catalog o ON o.id = b.old_part_id JOIN parts_catalog n ON n.id = b.new_part_id
    ORDER BY b.effective_date
    """
)


@dataclass(frozen=True)
class StandIn:
    """A part that can be used where the requested part is needed."""

    part: CatalogPart
    relation: Literal["requested", "newer", "older"]
    note: str
    needs_modification: bool = False


def stand_ins(session: Session, part: CatalogPart) -> list[StandIn]:
    """The part itself, its replacements (new may replace old: drop_in, one_way, kit, or with a
    modification) and older numbers it may be swapped back to (only across drop_in hops)."""
    older, newer = supersession_hops(session, part.id)
    result = [StandIn(part, "requested", f"{part.part_number} as requested")]
    ids: list[tuple[uuid.UUID, Literal["newer", "older"], str, bool]] = []
    modification = False
    for hop in newer:
        modification = modification or hop.interchangeability == "requires_modification"
        kind = "needs modification" if modification else hop.interchangeability.replace("_", "-")
        ids.append((hop.to_part_id, "newer", f"{hop.to_part_number} supersedes {part.part_number} ({kind})",
                    modification))
    # Walk back from the requested part only while every hop is two-way.
    reachable = {part.id}
    for hop in sorted(older, key=lambda h: h.effective_date, reverse=True):
        if hop.to_part_id in reachable and hop.reversible:
            reachable.add(hop.from_part_id)
            ids.append((hop.from_part_id, "older",
                        f"{hop.from_part_number} is an earlier drop-in equivalent of {part.part_number}", False))
    parts = load_parts(session, [i[0] for i in ids])
    seen = {part.id}
    for pid, relation, note, needs_mod in ids:
        if pid in parts and pid not in seen:
            seen.add(pid)
            result.append(StandIn(parts[pid], relation, note, needs_mod))
    return result


@dataclass(frozen=True)
class Link:
    """How a part relates to the one asked for."""

    part_id: uuid.UUID
    part_number: str
    manufacturer: str
    relation: str  # exact | newer_replacement | older_equivalent
    interchangeability: str | None  # weakest hop on the way; None for the part itself
    chain: str  # "A → B (drop_in) → C (one_way)"


def interchangeable_parts(session: Session, part_ids: list[uuid.UUID]) -> dict[uuid.UUID, Link]:
    """The parts themselves, every newer part that supersedes them (any kind, weakest hop reported), and older
    parts they replaced where every hop is drop-in (only then does the older part fit where the newer goes)."""
    paths: dict[uuid.UUID, tuple[str, list[tuple[uuid.UUID, str | None]]]] = {
        pid: ("exact", [(pid, None)]) for pid in part_ids
    }
    for relation, sql in (
        ("newer_replacement", "SELECT old_part_id AS src, new_part_id AS dst, interchangeability FROM "
                              "part_supersessions WHERE old_part_id = ANY(:f)"),
        ("older_equivalent", "SELECT new_part_id AS src, old_part_id AS dst, interchangeability FROM "
                             "part_supersessions WHERE new_part_id = ANY(:f) AND interchangeability = 'drop_in'"),
    ):
        frontier = list(part_ids)
        for _ in range(MAX_HOPS):
            if not frontier:
                break
            nxt: list[uuid.UUID] = []
            for row in session.execute(text(sql), {"f": frontier}):
                if row.dst in paths:
                    continue
                paths[row.dst] = (relation, [*paths[row.src][1], (row.dst, row.interchangeability)])
                nxt.append(row.dst)
            frontier = nxt
    numbers = {
        r.id: (r.part_number, r.manufacturer)
        for r in session.execute(text("SELECT id, part_number, manufacturer FROM parts_catalog WHERE id = ANY(:ids)"),
                                 {"ids": list(paths)})
    }
    links: dict[uuid.UUID, Link] = {}
    for pid, (relation, path) in paths.items():
        kinds = [k for _, k in path if k]
        weakest = max(kinds, key=lambda k: KIND_RANK.get(k, 9)) if kinds else None
        hops = [numbers[path[0][0]][0]] + [f"{numbers[p][0]} ({k})" for p, k in path[1:]]
        arrow = " → " if relation != "older_equivalent" else " ← "
        links[pid] = Link(pid, numbers[pid][0], numbers[pid][1], relation, weakest, arrow.join(hops))
    return links


def chain_of(session: Session, part_id: uuid.UUID | None, part_number: str) -> tuple[list[uuid.UUID], list[str]]:
    """Catalog ids and normalised numbers of a part and every part of its supersession chain."""
    ids = [part_id] if part_id else []
    numbers = {normalize_part_number(part_number)}
    if part_id is not None:
        older, newer = supersession_hops(session, part_id)
        for hop in [*older, *newer]:
            ids += [hop.from_part_id, hop.to_part_id]
            numbers |= {normalize_part_number(hop.from_part_number), normalize_part_number(hop.to_part_number)}
    return list(dict.fromkeys(ids)), sorted(numbers)
