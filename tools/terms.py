"""The shared vocabulary of the tools' public schemas: trades, part categories and conditions. They are the
store's enums; callers above the tools (the REST API) take them from here, never from the store."""

from __future__ import annotations

from knowledge.models import PartCategory, PartCondition, Trade

__all__ = ["PartCategory", "PartCondition", "Trade"]
