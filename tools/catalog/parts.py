"""What a technician or seller calls a part → catalog rows: the one place every tool resolves a typed part
number, so that "GAA 26800 LC1", an OCR misread or an old superseded number mean the same part everywhere.
Supersession chains around a resolved part are in tools.catalog.supersession.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, overload

from rapidfuzz.distance import Levenshtein
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models.catalog import PART_NUMBER_NORM_SQL
from knowledge.partnumbers import looks_like_part_number, normalize_part_number
from knowledge.search.vocabulary import MANUFACTURER_ALIASES
from tools.results import ToolFailed

MatchKind = Literal["exact", "ocr_normalized", "listed_superseded_number", "fuzzy"]
# Kinds that name a catalog row by its own number; a listed superseded number names its replacement instead.
OWN_NUMBER_KINDS = ("exact", "ocr_normalized")
CONFIDENT_KINDS = (*OWN_NUMBER_KINDS, "listed_superseded_number")
MIN_FUZZY_SIMILARITY = 0.7
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]")

# Catalog rows with an organization are that organization's private entries.
_SCOPE = "(p.organization_id IS NULL OR p.organization_id = :org)"
PART_COLUMNS = (
    "p.id, p.part_number, p.manufacturer, p.name, p.description, p.category, p.subcategory, p.trade, p.msrp, "
    "p.currency, p.lead_time_days, p.is_discontinued, p.specifications, p.compatible_equipment, "
    "p.compatible_manufacturers"
)


def number_norm_sql(column: str) -> str:
    """SQL for a column's part number in the catalog's normalised form (compare with normalize_part_number)."""
    return PART_NUMBER_NORM_SQL.format(col=column)


@dataclass(frozen=True)
class CatalogPart:
    id: uuid.UUID
    part_number: str
    manufacturer: str
    name: str
    description: str | None
    category: str
    subcategory: str | None
    trade: str
    msrp: Decimal | None
    currency: str
    lead_time_days: int | None
    is_discontinued: bool
    specifications: dict[str, Any]
    compatible_equipment: list[str]
    compatible_manufacturers: list[str]

    @classmethod
    def from_row(cls, row: Any) -> CatalogPart:
        return cls(
            id=row.id, part_number=row.part_number, manufacturer=row.manufacturer, name=row.name,
            description=row.description, category=row.category, subcategory=row.subcategory, trade=row.trade,
            msrp=row.msrp, currency=row.currency or "USD", lead_time_days=row.lead_time_days,
            is_discontinued=bool(row.is_discontinued), specifications=dict(row.specifications or {}),
            compatible_equipment=list(row.compatible_equipment or []),
            compatible_manufacturers=list(row.compatible_manufacturers or []),
        )


@dataclass(frozen=True)
class PartMatch:
    part: CatalogPart
    kind: MatchKind
    confidence: float
    manufacturer_matches: bool | None


def canonical_manufacturer(name: str | None) -> str | None:
    """Lower-case manufacturer spelling with technicians' aliases folded ("tk" → "thyssenkrupp")."""
    if not name or not name.strip():
        return None
    lowered = " ".join(name.lower().split())
    return MANUFACTURER_ALIASES.get(lowered, name.strip()).lower()


def _maker_spellings(name: str | None) -> set[str]:
    """Lower-case catalog spellings a typed manufacturer may mean: as typed, and with aliases folded (an alias
    may name a maker the catalog spells as typed, e.g. "MCE")."""
    folded = canonical_manufacturer(name)
    return {name.strip().lower(), folded} if name and folded else set()


def load_part(session: Session, part_id: uuid.UUID, org_id: uuid.UUID | None = None) -> CatalogPart | None:
    row = session.execute(text(f"SELECT {PART_COLUMNS} FROM parts_catalog p WHERE p.id = :id AND {_SCOPE}"),
                          {"id": part_id, "org": org_id}).one_or_none()
    return CatalogPart.from_row(row) if row else None


def load_parts(session: Session, part_ids: list[uuid.UUID]) -> dict[uuid.UUID, CatalogPart]:
    if not part_ids:
        return {}
    rows = session.execute(text(f"SELECT {PART_COLUMNS} FROM parts_catalog p WHERE p.id = ANY(:ids)"),
                           {"ids": part_ids})
    return {row.id: CatalogPart.from_row(row) for row in rows}


def part_ids_numbered(session: Session, norms: list[str], manufacturer: str | None = None) -> list[uuid.UUID]:
    """Ids of the catalog rows whose normalised number is one of `norms` (optionally of one manufacturer).
    For matching stock and listings by number, where any catalog row with the number links to its chain."""
    params: dict[str, Any] = {"n": norms}
    sql = "SELECT id FROM parts_catalog WHERE part_number_norm = ANY(:n)"
    if manufacturer:
        sql += " AND lower(manufacturer) = lower(:m)"
        params["m"] = manufacturer
    return list(session.execute(text(sql), params).scalars())


def match_part_number(session: Session, raw: str, manufacturer: str | None = None,
                      org_id: uuid.UUID | None = None) -> list[PartMatch]:
    """Catalog parts a typed number may mean, best first: exact, OCR-folded, an old number a part lists
    as superseded, else near misses by edit distance (typos)."""
    norm = normalize_part_number(raw)
    if len(norm) < 2:
        return []
    found: list[PartMatch] = []
    params = {"n": norm, "org": org_id}
    # "Copeland ZP49K5E-PFV-800" or "need GAA26800LC1": try the whole text, then each number-like token.
    tokens = [t for t in raw.split() if looks_like_part_number(t)] if len(raw.split()) > 1 else []
    for attempt in [raw, *tokens]:
        plain = _NON_ALNUM.sub("", attempt).upper()
        for row in session.execute(text(f"SELECT {PART_COLUMNS} FROM parts_catalog p WHERE "
                                        f"p.part_number_norm = :n AND {_SCOPE}"),
                                   {"n": normalize_part_number(attempt), "org": org_id}):
            exact = _NON_ALNUM.sub("", row.part_number).upper() == plain
            found.append(PartMatch(CatalogPart.from_row(row), "exact" if exact else "ocr_normalized",
                                   1.0 if exact else 0.93, None))
        if found:
            break
    if not found:
        rows = session.execute(text(
            f"SELECT {PART_COLUMNS} FROM parts_catalog p WHERE {_SCOPE} AND EXISTS (SELECT 1 FROM "
            "jsonb_array_elements_text(p.supersedes) s(v) WHERE "
            f"{number_norm_sql('s.v')} = :n)"
        ), params)
        found = [PartMatch(CatalogPart.from_row(r), "listed_superseded_number", 0.9, None) for r in rows]
    if not found:
        near = session.execute(text(
            f"SELECT {PART_COLUMNS}, p.part_number_norm AS norm FROM parts_catalog p WHERE {_SCOPE} "
            "ORDER BY p.part_number_norm <-> :n LIMIT 8"
        ), params).all()
        for row in near:
            similarity = Levenshtein.normalized_similarity(norm, row.norm)
            if similarity >= MIN_FUZZY_SIMILARITY:
                found.append(PartMatch(CatalogPart.from_row(row), "fuzzy", round(0.85 * similarity, 3), None))
    wanted = _maker_spellings(manufacturer)
    if wanted:
        found = [PartMatch(m.part, m.kind, m.confidence if m.part.manufacturer.lower() in wanted
                           else round(m.confidence * 0.6, 3), m.part.manufacturer.lower() in wanted)
                 for m in found]
    found.sort(key=lambda m: (-m.confidence, m.part.part_number))
    return found


@overload
def resolve_part(session: Session, *, part_number: str | None = None, part_id: uuid.UUID | None = None,
                 manufacturer: str | None = None, org_id: uuid.UUID | None = None,
                 missing_ok: Literal[False] = False) -> CatalogPart: ...


@overload
def resolve_part(session: Session, *, part_number: str | None = None, part_id: uuid.UUID | None = None,
                 manufacturer: str | None = None, org_id: uuid.UUID | None = None,
                 missing_ok: Literal[True]) -> CatalogPart | None: ...


def resolve_part(session: Session, *, part_number: str | None = None, part_id: uuid.UUID | None = None,
                 manufacturer: str | None = None, org_id: uuid.UUID | None = None,
                 missing_ok: bool = False) -> CatalogPart | None:
    """The one catalog part a tool argument names. Typos are not guessed: they fail with suggestions.

    missing_ok: for a part that may be outside the catalog (a listing, a wanted post). Then only a catalog
    row carrying this very number (of that manufacturer) counts — a seller's superseded part is not its
    replacement — and None stands for "not in the catalog" instead of a not_found failure.
    Either way a number several manufacturers use fails `invalid` unless the manufacturer is given.
    """
    if part_id is not None:
        part = load_part(session, part_id, org_id)
        if part is None:
            raise ToolFailed("not_found", f"No catalog part has id {part_id}.",
                             hint="Use lookup_part or search_parts to find the part first.")
        return part
    if not part_number or not part_number.strip():
        raise ToolFailed("invalid", "Give a part_number or a part_id.")
    matches = match_part_number(session, part_number, manufacturer, org_id)
    kinds = OWN_NUMBER_KINDS if missing_ok else CONFIDENT_KINDS
    confident = [m for m in matches if m.kind in kinds and m.manufacturer_matches is not False]
    if not confident:
        if missing_ok:
            return None
        other_maker = [m for m in matches if m.kind in CONFIDENT_KINDS]
        if other_maker:
            actual = ", ".join(sorted({m.part.manufacturer for m in other_maker}))
            raise ToolFailed("not_found", f"{part_number} is a {actual} part number, not {manufacturer}.",
                             hint="Check the manufacturer with the user, or call again without it.")
        if matches:
            close = ", ".join(f"{m.part.part_number} ({m.part.manufacturer})" for m in matches[:3])
            raise ToolFailed("not_found", f"No part numbered {part_number!r}. Closest catalog numbers: {close}.",
                             hint="Confirm the number with the user, then call again with the exact number.")
        raise ToolFailed("not_found", f"No part numbered {part_number!r} is in the catalog.",
                         hint="Check the nameplate, or call search_parts with a description.")
    makers = sorted({m.part.manufacturer for m in confident})
    if len(makers) > 1:
        raise ToolFailed("invalid", f"{part_number} is a part number at several manufacturers: "
                         f"{', '.join(makers)}.", hint="Call again with manufacturer set.")
    return confident[0].part
