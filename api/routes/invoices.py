"""An order's invoice under /api/v1/orders/{id}: as data, and as the PDF the seller issued. Either party of the
order may fetch it; any other organization gets 404, and an order not invoiced yet 409 (saying when it will be)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from api.deps import CallerDep, EngineDep
from api.errors import ERROR_RESPONSES
from api.tooling import run_tool, serves
from tools.orders import InvoiceView, render_invoice_pdf

router = APIRouter(prefix="/api/v1/orders", tags=["orders"], responses=ERROR_RESPONSES)

_PDF: dict[int | str, dict[str, Any]] = {200: {
    "description": "The invoice as a PDF, named after its number (Content-Disposition)",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


@router.get("/{order_id}/invoice", response_model=InvoiceView, openapi_extra=serves("get_invoice"))
def get_invoice(engine: EngineDep, caller: CallerDep, order_id: uuid.UUID) -> InvoiceView:
    """The order's invoice: number, dates, terms, parties, lines, totals and how to pay."""
    return run_tool(engine, caller, "get_invoice", {"order_id": order_id}, InvoiceView)


@router.get("/{order_id}/invoice.pdf", response_class=Response, responses=_PDF, openapi_extra=serves("get_invoice"))
def download_invoice(engine: EngineDep, caller: CallerDep, order_id: uuid.UUID) -> Response:
    """The order's invoice as a PDF (`application/pdf`), as the buyer received it by email."""
    invoice = run_tool(engine, caller, "get_invoice", {"order_id": order_id}, InvoiceView)
    return Response(render_invoice_pdf(invoice), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{invoice.number}.pdf"'})
