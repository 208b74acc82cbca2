"""Auctions: bidding with a maximum (proxy) bid and the bid history.

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.auctions.auctions import ListBidsInput, ListBidsOutput, PlaceBidInput, PlaceBidOutput

__getattr__, __all__ = public_schemas(__name__, __file__)
