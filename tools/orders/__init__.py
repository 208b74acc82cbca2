"""Buying: a cart per person, checkout into one order per seller (stock reserved under row locks), buy now,
spend limits and duplicate-order warnings; orders through their status workflow, with invoices.

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.orders.cart import (
        AddToCartInput,
        AddToCartOutput,
        CartItemChanges,
        RemoveFromCartInput,
        RemoveFromCartOutput,
        UpdateCartItemInput,
        UpdateCartItemOutput,
    )
    from tools.orders.cart_views import CartItemView, CartView, SellerSubtotal, ViewCartInput
    from tools.orders.checkout import BuyNowInput, CheckoutInput, CheckoutOutput
    from tools.orders.duplicates import DuplicateWarning
    from tools.orders.invoice_pdf import render_invoice_pdf
    from tools.orders.invoice_view import GetInvoiceInput, InvoiceLine, InvoiceParty, InvoiceView
    from tools.orders.orders import GetOrderInput, ListOrdersInput, ListOrdersOutput, OrderStatus
    from tools.orders.reorder import ReorderUsedPartsInput, ReorderUsedPartsOutput, UsedPart
    from tools.orders.ship_to import ShipTo
    from tools.orders.transitions import Transition
    from tools.orders.updates import OrderTransitionDetails, UpdateOrderInput, UpdateOrderOutput
    from tools.orders.views import OrderHistoryEntry, OrderLine, OrderSummary, OrderView

__getattr__, __all__ = public_schemas(__name__, __file__)
