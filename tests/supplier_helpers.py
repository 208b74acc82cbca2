"""Shared by the supplier tests (a pytest plugin, for its fixtures): a name prefix for the suppliers a test makes
(deleted afterwards), a part no supplier offers, the CSV header, and reading back what an import wrote."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text

RUN = uuid.uuid4().hex[:6].upper()
HEADER = "supplier,supplier_type,authorized,branch_code,branch_name,branch_city,cutoff_time,part_number,manufacturer," \
         "unit_price,price_breaks,stock_on_hand,lead_time_days,currency"


def delete_suppliers(engine: Engine, prefix: str) -> None:
    with engine.begin() as conn:
        ids = conn.execute(text("SELECT id, organization_id FROM suppliers WHERE name LIKE :p"),
                           {"p": f"{prefix}%"}).all()
        for supplier_id, org_id in ids:
            conn.execute(text("DELETE FROM supplier_offers WHERE supplier_id = :s"), {"s": supplier_id})
            conn.execute(text("DELETE FROM supplier_branches WHERE supplier_id = :s"), {"s": supplier_id})
            conn.execute(text("DELETE FROM suppliers WHERE id = :s"), {"s": supplier_id})
            conn.execute(text("DELETE FROM organizations WHERE id = :o AND NOT EXISTS (SELECT 1 FROM users u "
                              "WHERE u.organization_id = :o)"), {"o": org_id})


def supplier_prefix() -> str:
    """A name prefix for one test's suppliers (delete_suppliers removes them and their organizations)."""
    return f"Test Supply {RUN}-{uuid.uuid4().hex[:4]}"


def find_unsupplied_part(engine: Engine) -> Any:
    """A catalog part no supplier offers, alone in its supersession chain and number."""
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT p.id, p.part_number, p.manufacturer, p.msrp FROM parts_catalog p WHERE p.organization_id IS NULL "
            "AND p.msrp IS NOT NULL AND NOT p.is_discontinued AND p.superseded_by IS NULL AND p.supersedes = '[]' "
            "AND NOT EXISTS (SELECT 1 FROM supplier_offers o WHERE o.part_number_norm = p.part_number_norm) "
            "AND (SELECT count(*) FROM parts_catalog q WHERE q.part_number_norm = p.part_number_norm) = 1 "
            "ORDER BY p.part_number LIMIT 1")).one()


def offers_named(engine: Engine, prefix: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT o.*, s.name AS supplier, s.authorized, s.supplier_type, b.code, b.cutoff_time, org.org_type "
            "FROM supplier_offers o JOIN suppliers s ON s.id = o.supplier_id JOIN supplier_branches b "
            "ON b.id = o.branch_id JOIN organizations org ON org.id = s.organization_id "
            "WHERE s.name LIKE :p ORDER BY s.name, b.code, o.part_number"), {"p": f"{prefix}%"}))


def csv_of(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


@pytest.fixture
def cleanup(engine: Engine) -> Iterator[str]:
    """A name prefix for this test's suppliers; they and their organizations are deleted afterwards."""
    prefix = supplier_prefix()
    yield prefix
    delete_suppliers(engine, prefix)


@pytest.fixture(scope="module")
def unsupplied_part(engine: Engine) -> Any:
    return find_unsupplied_part(engine)
