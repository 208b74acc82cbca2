"""The write-state after a run re-reads only the tables written since the snapshot before it, and still sees every
change: a new row, an update, a deletion, and a change to a table the query only joins (a seller's email)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from evals.store import StoreFactory
from evals.write_state import READS, WRITE_TABLES, snapshot, write_delta


def _changed(engine: Engine, sql: str) -> dict[str, list[str]]:
    written = sql.split()[2] if sql.startswith("DELETE") else sql.split()[1]
    before = snapshot(engine)
    with engine.begin() as conn:
        conn.execute(text(sql))
    after = snapshot(engine, before)
    assert write_delta(before.rows, after.rows) == write_delta(before.rows, snapshot(engine).rows)
    for table in WRITE_TABLES:  # a query reading none of the written table keeps its rows, not read again
        assert (after.rows[table] is before.rows[table]) == (written not in READS[table]), table
    return write_delta(before.rows, after.rows)


def test_every_kind_of_change_is_seen_without_reading_untouched_tables(engine: Engine, eval_base: str | None) -> None:
    factory = StoreFactory(engine, eval_base)
    assert factory.isolation == "clone"  # never written in place: these writes would stay in the test database
    try:
        with factory.fresh() as store:
            restocked = _changed(store, "UPDATE inventory_items SET quantity_on_hand = quantity_on_hand + 1 "
                                        "WHERE id = (SELECT min(id::text)::uuid FROM inventory_items)")
            assert list(restocked) == ["stock"] and len(restocked["stock"]) == 1
            gone = _changed(store, "DELETE FROM saved_listings WHERE id = (SELECT min(id::text)::uuid FROM "
                                   "saved_listings)")
            assert list(gone) == ["watches"] and gone["watches"][0].startswith("-")
            renamed = _changed(store, "UPDATE users SET email = 'renamed@example.com' WHERE id = (SELECT seller_id "
                                      "FROM marketplace_listings ORDER BY id LIMIT 1)")
            assert "listings" in renamed and any("renamed@example.com" in row for row in renamed["listings"])
            assert snapshot(store, snapshot(store)).rows == snapshot(store).rows
    finally:
        factory.close()


def test_a_fresh_store_starts_from_the_base_state_read_once(engine: Engine, eval_base: str | None) -> None:
    factory = StoreFactory(engine, eval_base)
    assert factory.isolation == "clone"
    try:
        with factory.fresh() as first:
            base = factory.state(first)
        with factory.fresh() as second:
            untouched = factory.state(second)
            assert all(untouched.rows[t] is base.rows[t] for t in WRITE_TABLES)  # nothing read again
            assert untouched.rows == snapshot(second).rows
            with second.begin() as conn:  # a setup's write, made after the store was handed out
                conn.execute(text("DELETE FROM auction_bids WHERE id = (SELECT min(id::text)::uuid FROM auction_bids)"))
            after_setup = factory.state(second)
            assert after_setup.rows == snapshot(second).rows and after_setup.rows["bids"] != base.rows["bids"]
            assert after_setup.rows["stock"] is base.rows["stock"]
        # earlier runs' writes to the shared store are part of its state
        with factory.shared() as shared, shared.begin() as conn:
            conn.execute(text("DELETE FROM saved_listings WHERE id = (SELECT min(id::text)::uuid FROM saved_listings)"))
        with factory.shared() as shared:
            assert factory.state(shared).rows == snapshot(shared).rows != base.rows
    finally:
        factory.close()
