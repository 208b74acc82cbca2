"""The normalized write-state an eval compares: per written table, the rows that record a decision.

A snapshot after a task run re-reads only the tables written since the snapshot before it: a table whose rows
(and the rows its query joins) have no newer transaction id (`xmin`) and the same count is as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Row, text

_LISTING_REF = ("(SELECT su.email || '|' || upper(sl.part_number) || '|' || sl.listing_type || '|' || "
                "coalesce(sl.condition, '') FROM marketplace_listings sl JOIN users su ON su.id = sl.seller_id "
                "WHERE sl.id = {col})")

# One query per written table: the row id plus the fields that record a decision. Ids, timestamps, codes and
# free text (descriptions, messages) are left out so two correct runs produce the same state.
WRITE_TABLES: dict[str, str] = {
    "listings": """SELECT l.id, u.email AS seller, l.listing_type, l.visibility, upper(l.part_number) AS part_number,
        l.condition, l.quantity_available, l.price, l.currency, l.starting_bid, l.bid_increment, l.current_bid,
        l.bid_count, l.status, l.fulfillment_options, l.offer_count
        FROM marketplace_listings l JOIN users u ON u.id = l.seller_id""",
    "offers": f"""SELECT o.id, {_LISTING_REF.format(col='o.listing_id')} AS listing, u.email AS buyer, o.offer_type,
        o.quantity, o.offered_price, o.currency, o.fulfillment_preference, o.status,
        o.counter_offer->>'price' AS counter_price, o.counter_offer->>'quantity' AS counter_quantity
        FROM part_offers o JOIN users u ON u.id = o.buyer_id""",
    "transactions": f"""SELECT t.id, {_LISTING_REF.format(col='t.listing_id')} AS listing, t.transaction_type,
        t.subtotal, t.total, t.currency, t.fulfillment_type, t.status, t.payment_status, t.seller_rating,
        t.buyer_rating
        FROM part_transactions t""",
    "stock": """SELECT i.id, o.name || '|' || s.name || '|' || upper(i.part_number) || '|' || i.condition AS item,
        i.quantity_on_hand, i.quantity_on_order, i.reorder_point, i.reorder_quantity
        FROM inventory_items i JOIN organizations o ON o.id = i.organization_id
        JOIN stock_locations s ON s.id = i.stock_location_id""",
    "wanted_responses": """SELECT r.id, u.email || '|' || upper(coalesce(w.part_number, '')) AS post,
        o.name AS responder, upper(r.part_number) AS part_number, r.condition, r.quantity, r.price, r.status
        FROM wanted_responses r JOIN wanted_posts w ON w.id = r.wanted_post_id JOIN users u ON u.id = w.requester_id
        JOIN organizations o ON o.id = r.responder_organization_id""",
    "wanted_posts": """SELECT w.id, u.email AS requester, upper(w.part_number) AS part_number, w.quantity_needed,
        w.max_price, w.currency, w.urgency, w.visibility, w.status, w.equipment_model
        FROM wanted_posts w JOIN users u ON u.id = w.requester_id""",
    "holds": """SELECT h.id, u.email AS "user", o.name || '|' || s.name || '|' || upper(i.part_number) AS item,
        h.quantity, h.status
        FROM stock_holds h JOIN users u ON u.id = h.user_id JOIN inventory_items i ON i.id = h.inventory_item_id
        JOIN organizations o ON o.id = i.organization_id JOIN stock_locations s ON s.id = i.stock_location_id""",
    "bids": f"""SELECT b.id, {_LISTING_REF.format(col='b.listing_id')} AS listing, u.email AS bidder, b.bid_amount,
        b.max_bid, b.is_winning
        FROM auction_bids b JOIN users u ON u.id = b.bidder_id""",
    "watches": f"""SELECT w.id, {_LISTING_REF.format(col='w.listing_id')} AS listing, u.email AS "user",
        w.price_alert_threshold
        FROM saved_listings w JOIN users u ON u.id = w.user_id""",
    "deal_alerts": """SELECT a.id, u.email AS "user", a.part_number_norm, lower(a.query) AS query, a.conditions,
        a.max_price, a.radius_km, a.listing_type, a.category, a.trade, a.paused
        FROM deal_alerts a JOIN users u ON u.id = a.user_id""",
    "notification_preferences": """SELECT u.email || '|' || p.topic AS id, p.channel, p.enabled, p.cadence
        FROM notification_preferences p JOIN users u ON u.id = p.user_id""",
    "orders": """SELECT o.id, u.email AS buyer, so.name AS seller, o.kind, o.status, o.subtotal, o.total,
        upper(o.po_number) AS po_number, o.shipping_method, o.site_name, o.carrier,
        upper(o.tracking_number) AS tracking,
        (SELECT string_agg(upper(i.part_number) || '×' || i.quantity || '@' || i.unit_price, ','
                           ORDER BY i.part_number) FROM order_items i WHERE i.order_id = o.id) AS lines
        FROM orders o JOIN users u ON u.id = o.buyer_id JOIN organizations so ON so.id = o.seller_organization_id""",
    "cart_items": f"""SELECT c.id, u.email AS "user", {_LISTING_REF.format(col='c.listing_id')} AS listing,
        c.supplier_offer_id, c.inventory_item_id, c.quantity
        FROM cart_items c JOIN carts k ON k.id = c.cart_id JOIN users u ON u.id = k.user_id""",
    "notification_settings": """SELECT u.email AS id, s.time_zone, s.quiet_start::text AS quiet_start,
        s.quiet_end::text AS quiet_end, s.urgent_breaks_quiet, s.max_per_hour
        FROM notification_settings s JOIN users u ON u.id = s.user_id""",
}

# table → row id → the row as read (or its normalized JSON text). Rows are normalized only where they differ:
# rendering every row of every table twice a task run was most of an eval's own time.
Rows = dict[str, dict[str, "Row[Any] | str"]]

# Every table a write-state query reads (its FROM and JOINs, subqueries too): a change to any of them may change
# the rows it returns.
_SOURCES = re.compile(r"\b(?:FROM|JOIN)\s+([a-z_]+)", re.IGNORECASE)
READS: dict[str, frozenset[str]] = {name: frozenset(_SOURCES.findall(sql)) for name, sql in WRITE_TABLES.items()}
_READ_TABLES = sorted(set().union(*READS.values()))
_XID_SPACE = 2**32  # xmin is the 32-bit transaction id
# Whatever commits in this database from now on has an id at least this: the next id to be given out, or the id of
# a transaction of this database still running (other databases' long transactions do not hold it back).
_NOW_XID = (f"LEAST(pg_snapshot_xmax(pg_current_snapshot())::text::bigint % {_XID_SPACE}, "
            "(SELECT min(backend_xid::text::bigint) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()))")


@dataclass(frozen=True)
class Snapshot:
    """The write-state rows, each read table's row count, and the transaction id from which writes are new."""

    rows: Rows
    counts: dict[str, int]
    xid: int


def _marks(conn: Connection, since: Snapshot | None) -> tuple[int, dict[str, int], set[str]]:
    """This moment's transaction id, every read table's row count, and the tables written since `since`."""
    columns = [f"{_NOW_XID} AS xid"]
    for table in _READ_TABLES:
        columns.append(f"(SELECT count(*) FROM {table}) AS {table}_n")
        if since is not None:
            columns.append(f"EXISTS (SELECT 1 FROM {table} WHERE xmin::text::bigint >= :since) AS {table}_new")
    row = conn.execute(text(f"SELECT {', '.join(columns)}"), {"since": since.xid if since else 0}).one()._mapping
    xid = row["xid"]
    counts = {table: row[f"{table}_n"] for table in _READ_TABLES}
    if since is None:
        return xid, counts, set(_READ_TABLES)
    if xid < since.xid:  # the 32-bit id wrapped around since: nothing can be told apart, read everything
        return xid, counts, set(_READ_TABLES)
    return xid, counts, {t for t in _READ_TABLES if row[f"{t}_new"] or counts[t] != since.counts[t]}


def snapshot(engine: Engine, since: Snapshot | None = None) -> Snapshot:
    """The write-state now. Given the snapshot `since`, only what was written after it is read again."""
    rows: Rows = {}
    with engine.connect() as conn:
        xid, counts, written = _marks(conn, since)
        for table, sql in WRITE_TABLES.items():
            if since is not None and not READS[table] & written:
                rows[table] = since.rows[table]
            else:
                rows[table] = {str(row.id): row for row in conn.execute(text(sql)).all()}
    return Snapshot(rows, counts, xid)


def moment(engine: Engine, snap: Snapshot) -> Snapshot:
    """`snap` (read from a store in the same state) as of now in this store: writes from here on are new."""
    with engine.connect() as conn:
        xid = conn.execute(text(f"SELECT {_NOW_XID}")).scalar_one()
    return Snapshot(snap.rows, snap.counts, xid)


def _norm(value: Any) -> Any:
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"
    if isinstance(value, list):
        return sorted(_norm(v) for v in value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _render(row: Row[Any] | str) -> str:
    if isinstance(row, str):
        return row
    return json.dumps({k: _norm(v) for k, v in row._mapping.items() if k != "id"}, sort_keys=True, default=str)


def write_delta(before: Rows, after: Rows) -> dict[str, list[str]]:
    """Rows added, changed (new content) or deleted since `before`, per table, sorted: the write-state."""
    delta: dict[str, list[str]] = {}
    for table in WRITE_TABLES:
        old, new = before.get(table, {}), after.get(table, {})
        rows = []
        for rid, row in new.items():
            was = old.get(rid)
            if was is not None and was == row:
                continue
            rendered = _render(row)
            if was is None or _render(was) != rendered:
                rows.append(f"+{rendered}")
        rows += [f"-{_render(row)}" for rid, row in old.items() if rid not in new]
        if rows:
            delta[table] = sorted(rows)
    return delta


def state_hash(delta: dict[str, list[str]]) -> str:
    return hashlib.sha256(json.dumps(delta, sort_keys=True).encode()).hexdigest()[:16]


