"""Test fixtures for the life after a deal: seller stock, a stock-backed listing and a closed deal."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, text

from tests.tool_helpers import create_test_listing, key, ok
from tools.context import Caller
from tools.registry import invoke


def stock_row(engine: Engine, org: Caller, on_hand: int, prefix: str = "PPT") -> tuple[uuid.UUID, str]:
    """A stock row of `org` at its first warehouse for a test-only part number."""
    number = f"{prefix}-{uuid.uuid4().hex[:8].upper()}"
    with engine.begin() as conn:
        item = conn.execute(text(
            "INSERT INTO inventory_items (organization_id, part_number, manufacturer, name, stock_location_id, "
            "quantity_on_hand, condition, available_for_sale, reorder_point, reorder_quantity) "
            "SELECT :org, :pn, 'Testco', 'Test relay', s.id, :qty, 'used_good', true, 2, 5 FROM stock_locations s "
            "WHERE s.organization_id = :org ORDER BY (s.location_type = 'warehouse') DESC, s.name LIMIT 1 "
            "RETURNING id"), {"org": org.organization_id, "pn": number, "qty": on_hand}).scalar_one()
    return item, number


def make_deal(engine: Engine, seller: Caller, buyer: Caller, fulfilment: str = "shipping",
              quantity: int = 2) -> tuple[uuid.UUID, uuid.UUID]:
    """A transaction (buyer accepted at the listing price) over a stock-backed listing: (transaction, item)."""
    item, number = stock_row(engine, seller, 5)
    listing = create_test_listing(engine, seller, "PPT", part_number=number, inventory_item_id=str(item),
                                  quantity=4, name="Test relay", category="electrical_contactor",
                                  fulfillment_options=["local_pickup", "shipping"], shipping_cost="15")
    offer = ok(invoke(engine, buyer, "submit_offer", {
        "listing_id": str(listing), "quantity": quantity, "offered_price": "100",
        "fulfillment_preference": fulfilment}, idempotency_key=key()))
    deal = ok(invoke(engine, seller, "respond_to_offer", {"offer_id": str(offer.offer.id), "action": "accept"},
                     idempotency_key=key()))
    return deal.transaction.id, item


def stock_of(engine: Engine, item: uuid.UUID) -> tuple[int, int]:
    """(on hand, reserved) of a stock row."""
    with engine.connect() as conn:
        row = conn.execute(text("SELECT quantity_on_hand, quantity_reserved FROM inventory_items WHERE id = :id"),
                           {"id": item}).one()
    return row.quantity_on_hand, row.quantity_reserved
