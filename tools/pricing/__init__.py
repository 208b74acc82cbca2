"""Prices: whether an asking price is fair, what to ask for a part, and how the market is moving.

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.pricing.insights import MarketInsightsInput, MarketInsightsOutput
    from tools.pricing.pricing import AssessPriceInput, AssessPriceOutput, SuggestPriceInput, SuggestPriceOutput

__getattr__, __all__ = public_schemas(__name__, __file__)
