"""Marketplace listings: drafting, publishing, changing and cancelling our own; searching and reading others' we may
see; watching them.

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.listings.detail import ListingDetail
    from tools.listings.types import (
        CancelListingInput,
        Condition,
        CreateListingInput,
        CreateListingOutput,
        ListingChangeOutput,
        ListingChanges,
        ListingHit,
        ListingIdInput,
        Money,
        SearchListingsInput,
        SearchListingsOutput,
        UpdateListingInput,
        UpdateListingOutput,
    )
    from tools.listings.watchlist import (
        ListWatchlistInput,
        ListWatchlistOutput,
        WatchedListing,
        WatchListingInput,
        WatchListingOutput,
    )

__getattr__, __all__ = public_schemas(__name__, __file__)
