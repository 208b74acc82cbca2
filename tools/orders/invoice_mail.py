"""The files an emailed notice carries: an issued invoice's notice carries the invoice's PDF, read as the notice's
recipient (so the same rules decide as for the REST download)."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import Engine

from tools.context import UnknownCaller, caller_by_id
from tools.orders.invoice_pdf import render_invoice_pdf
from tools.orders.invoice_view import InvoiceView
from tools.registry import invoke

log = logging.getLogger(__name__)

Attachment = tuple[str, str, bytes]  # (file name, content type, content)


def notice_attachments(engine: Engine, user_id: uuid.UUID, category: str, subject_type: str | None,
                       subject_id: uuid.UUID | None) -> list[Attachment]:
    """The files to attach to the email of a notice to `user_id`: an invoice_issued notice's invoice PDF; none
    for other notices, or when the invoice can no longer be read by the person (the email goes without it)."""
    if category != "invoice_issued" or subject_type != "order" or subject_id is None:
        return []
    try:
        recipient = caller_by_id(engine, user_id, channel="email")
    except UnknownCaller:
        return []
    invoice = invoke(engine, recipient, "get_invoice", {"order_id": subject_id})
    if not isinstance(invoice, InvoiceView):
        log.warning("invoice of order %s not attached for %s: %s", subject_id, user_id, invoice)
        return []
    return [(f"{invoice.number}.pdf", "application/pdf", render_invoice_pdf(invoice))]
