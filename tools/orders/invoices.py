"""Invoice numbers: one gapless sequence per seller ("KPS-000001", "KPS-000002", …), issued when an order
reaches pending_payment (manual, invoice-based payment). The buyer who placed the order is told, and always
gets the invoice by email with its PDF attached, whatever channel their other notices take: an invoice is a
document they file, not an interruption.

The seller's counter row is created on first use and incremented with one upsert that holds its row lock
until the order's transaction ends, so concurrent issuers queue behind each other and a rolled-back order
gives its number back (no gaps, no duplicates)."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import Order
from tools.notifications.events import record
from tools.rules.clock import utcnow
from tools.rules.money import usd

NUMBER_DIGITS = 6
MAX_PREFIX = 6
_MINOR_WORDS = frozenset({"and", "of", "the", "for", "a", "an"})

_NEXT_NUMBER = text(
    "INSERT INTO invoice_counters (seller_organization_id, prefix, last_number) VALUES (:org, :prefix, 1) "
    "ON CONFLICT (seller_organization_id) DO UPDATE SET last_number = invoice_counters.last_number + 1 "
    "RETURNING prefix, last_number")
_LOCK_ORDER = text("SELECT invoice_number, invoice_issued_at FROM orders WHERE id = :id FOR UPDATE")
_SELLER = text("SELECT name, slug FROM organizations WHERE id = :id")
# The invoice's own email, beside the person's usual route for the notice (ON CONFLICT: email is that route).
_EMAIL_COPY = text(
    "INSERT INTO notification_deliveries (notification_id, channel, status, cadence, created_at) "
    "SELECT :id, 'email', 'pending', 'immediate', :now FROM users WHERE id = :user AND email IS NOT NULL "
    "ON CONFLICT DO NOTHING RETURNING id")
_ANNOUNCE = text("SELECT pg_notify('partpilot_notices', '')")


def invoice_prefix(name: str, slug: str) -> str:
    """The letters before a seller's invoice numbers: the initials of its name ("Keystone Parts Supply" →
    "KPS"), or for a one-word name its first letters ("Acme" → "ACM"), else its slug's."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in _MINOR_WORDS]
    initials = "".join(w[0] for w in words).upper()
    if len(initials) >= 2:
        return initials[:MAX_PREFIX]
    letters = re.sub(r"[^A-Za-z0-9]", "", words[0] if words else slug).upper()
    return (letters[:3] or "INV")


def issue_invoice(session: Session, order: Order) -> str:
    """The order's invoice number, issued now when it has none (the next of its seller's), else the one it
    has. Sets `invoice_number` and `invoice_issued_at`, and tells the buyer (inbox, their channel, and email
    with the PDF) in the caller's transaction. Transfers within an organization are never invoiced: calling
    this for one is a bug (ValueError)."""
    if order.kind == "transfer":
        raise ValueError(f"order {order.order_number} is a transfer: transfers have no invoice")
    session.flush()
    current = session.execute(_LOCK_ORDER, {"id": order.id}).one()
    if current.invoice_number:
        order.invoice_number, order.invoice_issued_at = current.invoice_number, current.invoice_issued_at
        return str(current.invoice_number)
    seller = session.execute(_SELLER, {"id": order.seller_organization_id}).one()
    counter = session.execute(_NEXT_NUMBER, {"org": order.seller_organization_id,
                                             "prefix": invoice_prefix(seller.name, seller.slug)}).one()
    number = f"{counter.prefix}-{counter.last_number:0{NUMBER_DIGITS}d}"
    order.invoice_number, order.invoice_issued_at = number, utcnow()
    session.flush()
    _tell_buyer(session, order, seller.name)
    return number


def _tell_buyer(session: Session, order: Order, seller_name: str) -> None:
    body = (f"{seller_name} invoiced order {order.order_number}"
            f"{f' (PO {order.po_number})' if order.po_number else ''}: {usd(order.total, order.currency)}. "
            f"Pay by wire or check quoting invoice {order.invoice_number}.")
    notice = record(session, order.buyer_id, "invoice_issued", f"Invoice {order.invoice_number} from {seller_name}",
                    body, subject_type="order", subject_id=order.id, event=str(order.invoice_number))
    if notice is not None and _email_copy(session, notice, order.buyer_id):
        session.execute(_ANNOUNCE)


def _email_copy(session: Session, notice: uuid.UUID, user_id: uuid.UUID) -> bool:
    return session.execute(_EMAIL_COPY, {"id": notice, "user": user_id, "now": utcnow()}).first() is not None
