"""Deal alerts: saved searches ("tell me when a used GAA26800LC1 under $400 shows up within 50 miles") that tell
their owner when another organization publishes a matching listing or drops a listing's price into one.

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.alerts.alerts import (
        AlertListingType,
        CreateDealAlertInput,
        CreateDealAlertOutput,
        ListDealAlertsInput,
        ListDealAlertsOutput,
    )
    from tools.alerts.changes import (
        DealAlertChanges,
        DeleteDealAlertInput,
        DeleteDealAlertOutput,
        UpdateDealAlertInput,
        UpdateDealAlertOutput,
    )
    from tools.alerts.views import DealAlertView

__getattr__, __all__ = public_schemas(__name__, __file__)
