"""The store: migrations, seed counts, idempotency, part-number normalisation."""

from __future__ import annotations

from sqlalchemy import Engine, text

from knowledge.models import Base
from knowledge.partnumbers import looks_like_part_number, normalize_part_number
from knowledge.seed.loader import seed_store, table_counts


def test_migrations_match_models(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def ours(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
        return not (type_ == "table" and reflected and compare_to is None)  # LangGraph's checkpoint tables

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours})
        assert compare_metadata(context, Base.metadata) == []


def test_seed_meets_demo_world_minimums(engine: Engine) -> None:
    counts = table_counts(engine)
    assert counts["parts_catalog"] >= 2000
    assert counts["part_supersessions"] >= 150
    assert counts["equipment_models"] >= 120
    assert counts["part_compatibility"] >= 2000
    assert counts["organizations"] >= 6
    assert counts["stock_locations"] >= 25
    assert counts["marketplace_listings"] >= 300
    with engine.connect() as conn:
        trucks = conn.execute(text("SELECT count(*) FROM stock_locations WHERE location_type = 'truck'")).scalar()
        months = conn.execute(text(
            "SELECT count(DISTINCT date_trunc('month', recorded_at)) FROM part_price_history")).scalar()
        types = set(conn.execute(text("SELECT DISTINCT listing_type FROM marketplace_listings")).scalars())
        visibilities = set(conn.execute(text("SELECT DISTINCT visibility FROM marketplace_listings")).scalars())
        missing_vectors = conn.execute(text("SELECT count(*) FROM parts_catalog WHERE embedding IS NULL")).scalar()
        long_chains = conn.execute(text(
            "WITH RECURSIVE c AS (SELECT old_part_id, new_part_id, 1 AS d FROM part_supersessions "
            "UNION ALL SELECT c.old_part_id, e.new_part_id, c.d + 1 FROM c "
            "JOIN part_supersessions e ON e.old_part_id = c.new_part_id WHERE c.d < 10) "
            "SELECT count(DISTINCT old_part_id) FROM c WHERE d >= 3")).scalar()
        kinds = set(conn.execute(text("SELECT DISTINCT interchangeability FROM part_supersessions")).scalars())
    assert trucks >= 8
    assert months >= 12
    assert types == {"sale", "trade", "wanted", "auction", "emergency"}
    assert visibilities == {"internal", "network", "industry", "public"}
    assert missing_vectors == 0
    assert long_chains >= 1
    assert {"drop_in", "one_way"} <= kinds


def test_seed_twice_is_idempotent(engine: Engine) -> None:
    before = table_counts(engine)
    report = seed_store(engine)
    assert sum(report.inserted.values()) == 0
    assert report.embedded == 0
    assert table_counts(engine) == before


def test_available_never_negative(engine: Engine) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM inventory_items WHERE quantity_available < 0")).scalar() == 0
        item = conn.execute(text("SELECT id, quantity_on_hand FROM inventory_items LIMIT 1")).one()
        with pytest.raises(IntegrityError):
            conn.execute(text("UPDATE inventory_items SET quantity_reserved = :r WHERE id = :id"),
                         {"r": item.quantity_on_hand + 1, "id": item.id})
        conn.rollback()


def test_phone_numbers_are_e164(engine: Engine) -> None:
    with engine.connect() as conn:
        phones = list(conn.execute(text("SELECT phone FROM users WHERE phone IS NOT NULL")).scalars())
    assert phones
    assert all(p.startswith("+") and p[1:].isdigit() and 8 <= len(p) <= 16 for p in phones)


def test_python_and_sql_normalisation_agree(engine: Engine) -> None:
    samples = ["gaa-268.00 lc1", "KM713160G01", "ZP54K5E-PFV-800", "ob5-lis z", "Q0 I20", "3RT2026-1AK60"]
    with engine.connect() as conn:
        for sample in samples:
            sql = conn.execute(text(
                "SELECT translate(upper(regexp_replace(:s, '[^A-Za-z0-9]', '', 'g')), 'OILSBZ', '011582')"),
                {"s": sample}).scalar()
            assert sql == normalize_part_number(sample)
    assert normalize_part_number("GAA26800LC1") == normalize_part_number("GAA268OOLCI")
    assert looks_like_part_number("GAA26800LC1") and not looks_like_part_number("door")


def test_embedded_server_has_its_memory_and_durability_settings(engine: Engine) -> None:
    import os

    from knowledge.settings import get_settings

    if os.environ.get("DATABASE_URL"):
        return  # an external server's memory is its operator's choice
    with engine.connect() as conn:
        have = conn.execute(text("SELECT setting::bigint * 8192 FROM pg_settings WHERE name = 'shared_buffers'"))
        want = conn.execute(text("SELECT pg_size_bytes(:v)"), {"v": get_settings().embedded_shared_buffers})
        assert have.scalar_one() == want.scalar_one()
        # the tests' throwaway cluster runs without fsync (tests/conftest.py); a kept one never does
        assert conn.execute(text("SHOW fsync")).scalar_one() == ("on" if get_settings().embedded_fsync else "off")
