"""A fresh store per task run, and the normalized write-state the DB component compares.

Fresh stores are `CREATE DATABASE … TEMPLATE base` clones (0.2–1.5 s each, made ahead in a background
thread while the previous task runs) of a base copied once from the configured database. Runs that cannot
write (the null planner, the oracle on a read-only task) may share one clone instead. When the server
refuses (no CREATEDB privilege, or the source is in use and no base was prepared), tasks run in place, one
after another, each scored on its own delta — reported as `isolation: in_place` because earlier tasks'
writes are then visible to later ones.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, Row, create_engine, text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

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
Snapshot = dict[str, dict[str, "Row[Any] | str"]]


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


def snapshot(engine: Engine) -> Snapshot:
    out: Snapshot = {}
    with engine.connect() as conn:
        for table, sql in WRITE_TABLES.items():
            out[table] = {str(row.id): row for row in conn.execute(text(sql)).all()}
    return out


def write_delta(before: Snapshot, after: Snapshot) -> dict[str, list[str]]:
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


class StoreFactory:
    """Hands out a fresh store per task run: a clone of `base`, or the source itself when cloning fails."""

    def __init__(self, source: Engine, base: str | None = None, ahead: int = 2) -> None:
        self.source = source
        self.admin = create_engine(source.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.base: str | None = None
        self.owns_base = False
        self.isolation = "in_place"
        self._drops: list[threading.Thread] = []
        self._ready: queue.Queue[str] = queue.Queue(maxsize=max(1, ahead))
        self._lock = threading.RLock()
        self._closing = threading.Event()
        self._maker: threading.Thread | None = None
        self._shared: Engine | None = None
        self._shared_name: str | None = None
        if base is not None and self._exists(base):
            self.base, self.isolation = base, "clone"
            return
        name = f"{source.url.database}_evb_{os.getpid()}"[:60]
        source.dispose()  # a template must have no other sessions: ours are closed first
        try:
            self._create(name, str(source.url.database))
            self.base, self.owns_base, self.isolation = name, True, "clone"
        except DBAPIError as exc:
            log.warning("cannot clone %s (%s); running tasks in place", source.url.database,
                        str(exc.orig).splitlines()[0] if exc.orig else exc)

    def _exists(self, name: str) -> bool:
        with self.admin.connect() as conn:
            return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is not None

    def _create(self, name: str, template: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            # the default WAL_LOG strategy: FILE_COPY forces a checkpoint, slow on a busy server
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

    def _drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def _new_name(self) -> str:
        assert self.base is not None
        return f"{self.base[:40]}_t{uuid.uuid4().hex[:10]}"

    def _make_ahead(self) -> None:
        while not self._closing.is_set():
            name = self._new_name()
            try:
                self._create(name, self.base or "")
            except DBAPIError:
                log.exception("making a clone ahead failed")
                return
            while not self._closing.is_set():
                try:
                    self._ready.put(name, timeout=0.2)
                    break
                except queue.Full:
                    continue
            else:
                self._drop(name)

    def _take(self) -> str:
        with self._lock:
            if self._maker is None:
                self._maker = threading.Thread(target=self._make_ahead, daemon=True)
                self._maker.start()
        try:
            return self._ready.get(timeout=120)
        except queue.Empty:  # the maker died: make one here
            name = self._new_name()
            self._create(name, self.base or "")
            return name

    @contextmanager
    def shared(self) -> Iterator[Engine]:
        """One clone for every run that cannot write: made on first use, dropped at close()."""
        if self.base is None:
            yield self.source
            return
        with self._lock:
            if self._shared is None:
                self._shared_name = self._take()
                self._shared = create_engine(self.source.url.set(database=self._shared_name), pool_size=3,
                                             max_overflow=5)
        yield self._shared

    @contextmanager
    def fresh(self) -> Iterator[Engine]:
        if self.base is None:
            yield self.source
            return
        name = self._take()
        engine = create_engine(self.source.url.set(database=name), pool_size=3, max_overflow=5)
        try:
            yield engine
        finally:
            engine.dispose()
            # dropping takes longer than cloning; the next task need not wait for it
            dropper = threading.Thread(target=self._drop, args=(name,), daemon=True)
            dropper.start()
            self._drops.append(dropper)

    def close(self) -> None:
        self._closing.set()
        if self._maker is not None:
            self._maker.join()
        while not self._ready.empty():
            self._drop(self._ready.get())
        if self._shared is not None and self._shared_name:
            self._shared.dispose()
            self._drop(self._shared_name)
        for dropper in self._drops:
            dropper.join()
        if self.owns_base and self.base:
            self._drop(self.base)
        self.admin.dispose()
