"""What the invoice tests share: throwaway sellers (so their invoice numbers start at 1 and touch no other
test's), orders written as checkout leaves them, issuing an invoice in a transaction of its own, and a PDF's
text."""

from __future__ import annotations

import io
import uuid
from decimal import Decimal

from pypdf import PdfReader
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from knowledge.models import Order, OrderItem
from tools.context import Caller, caller_by_email
from tools.orders.invoices import issue_invoice

Line = tuple[str, str, int, str]  # (part number, name, quantity, unit price)
DOOR_BOARD: Line = ("GAA26800LC1", "Door operator board", 2, "206.00")


def new_seller(engine: Engine, words: str = "Invoice Works", *, terms: str | None = None) -> tuple[uuid.UUID, Caller]:
    """A new selling organization named "<Tag> <words>" with one seller; with `terms`, a supplier profile
    with those payment terms. (organization id, its seller)."""
    tag = uuid.uuid4().hex[:8]
    name = f"Q{tag} {words}"
    with engine.begin() as conn:
        org_id = conn.execute(text(
            "INSERT INTO organizations (name, slug, org_type, trades, city, state_province) VALUES "
            "(:name, :slug, 'distributor', '[]', 'Golden', 'CO') RETURNING id"),
            {"name": name, "slug": f"inv-{tag}"}).scalar_one()
        conn.execute(text("INSERT INTO users (organization_id, email, name, role, trades) VALUES "
                          "(:org, :email, :name, 'seller', '[]')"),
                     {"org": org_id, "email": f"seller-{tag}@invoices.example", "name": f"Seller {tag}"})
        if terms is not None:
            conn.execute(text("INSERT INTO suppliers (organization_id, name, supplier_type, payment_terms, "
                              "orders_email) VALUES (:org, :name, 'independent', :terms, :email)"),
                         {"org": org_id, "name": name, "terms": terms, "email": f"orders-{tag}@invoices.example"})
    return org_id, caller_by_email(engine, f"seller-{tag}@invoices.example")


def new_buyer(engine: Engine, name: str, org: str = "Summit Vertical & Mechanical") -> Caller:
    """A new technician of `org` called `name`, reachable by email only."""
    email = f"buyer-{uuid.uuid4().hex[:8]}@summitvm.example"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (organization_id, email, name, role, trades) SELECT id, :email, :name, "
                          "'technician', '[]' FROM organizations WHERE name = :org"),
                     {"email": email, "name": name, "org": org})
    return caller_by_email(engine, email)


def place_order(engine: Engine, buyer: Caller, seller_org: uuid.UUID, lines: list[Line] | None = None, *,
                status: str = "pending_payment", kind: str = "supplier", po_number: str | None = "4471",
                shipping: str = "25.00") -> Order:
    """An order of `buyer`'s organization from `seller_org`, as checkout writes it (not invoiced)."""
    lines = lines or [DOOR_BOARD]
    subtotal = sum((Decimal(price) * qty for _, _, qty, price in lines), Decimal("0"))
    tax = (subtotal * Decimal("0.08")).quantize(Decimal("0.01"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        order = Order(kind=kind, status=status, buyer_id=buyer.user_id, buyer_organization_id=buyer.organization_id,
                      seller_organization_id=seller_org, subtotal=subtotal, shipping_cost=Decimal(shipping), tax=tax,
                      total=subtotal + Decimal(shipping) + tax, po_number=po_number,
                      ship_to={"label": "Brown Palace job", "site_name": "Brown Palace Hotel",
                               "address": "321 17th St", "city": "Denver", "kind": "site"},
                      site_name="Brown Palace Hotel")
        session.add(order)
        session.flush()
        session.add_all(OrderItem(order_id=order.id, part_number=pn, manufacturer="Otis", name=name, quantity=qty,
                                  unit_price=Decimal(price), line_total=Decimal(price) * qty)
                        for pn, name, qty, price in lines)
    return order


def invoice(engine: Engine, order_id: uuid.UUID) -> str:
    """Issue the order's invoice in a transaction of its own (as entering pending_payment does); its number."""
    with Session(engine) as session, session.begin():
        order = session.get(Order, order_id)
        assert order is not None
        return issue_invoice(session, order)


def pdf_text(data: bytes) -> tuple[int, str]:
    """(pages, all their text) of a PDF."""
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)
