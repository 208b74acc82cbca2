"""Offers on listings: making, countering, accepting, rejecting and withdrawing them, and listing them.

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.offers.types import (
        ListOffersInput,
        ListOffersOutput,
        OfferTerms,
        OfferView,
        RespondToOfferInput,
        RespondToOfferOutput,
        SubmitOfferInput,
        SubmitOfferOutput,
        WithdrawOfferInput,
    )

__getattr__, __all__ = public_schemas(__name__, __file__)
