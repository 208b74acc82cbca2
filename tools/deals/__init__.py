"""Deals (transactions): what we bought and sold, shipping, delivery and rating the other side.

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.deals.transactions import (
        ListTransactionsInput,
        ListTransactionsOutput,
        ReviewCreate,
        ReviewTransactionInput,
        ShippingInfo,
        ShipTransactionInput,
        TransactionChangeOutput,
        TransactionDetail,
        TransactionIdInput,
    )

__getattr__, __all__ = public_schemas(__name__, __file__)
