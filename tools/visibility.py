"""Who may see what. Every tool that reads listings or stock builds its WHERE clause from here."""

from __future__ import annotations

from typing import Any

from tools.context import Caller

# Statuses another organization may see; the owner sees every status of its own listings.
PUBLIC_LISTING_STATUSES = ("active", "reserved")


def listing_visibility_sql(caller: Caller, params: dict[str, Any], alias: str = "l") -> str:
    """SQL predicate: listings the caller may see (visibility and status)."""
    params["vis_org"] = caller.organization_id
    params["vis_partners"] = list(caller.partner_organization_ids)
    params["vis_statuses"] = list(PUBLIC_LISTING_STATUSES)
    return (
        f"({alias}.organization_id = :vis_org OR ({alias}.status = ANY(:vis_statuses) AND ("
        f"{alias}.visibility = 'public'"
        f" OR ({alias}.visibility = 'network' AND {alias}.organization_id = ANY(:vis_partners))"
        f" OR ({alias}.visibility = 'industry' AND ({alias}.trade IS NULL OR EXISTS ("
        f"SELECT 1 FROM organizations vo WHERE vo.id = :vis_org AND vo.trades ? {alias}.trade)))"
        f")))"
    )


def inventory_visibility_sql(caller: Caller, params: dict[str, Any], alias: str = "i") -> str:
    """SQL predicate: stock the caller may see — all of their own organization's, and partner-network
    items the partner made available for sale or trade. Never another organization's internal stock."""
    params["inv_org"] = caller.organization_id
    params["inv_partners"] = list(caller.partner_organization_ids)
    return (
        f"({alias}.organization_id = :inv_org OR ({alias}.organization_id = ANY(:inv_partners) "
        f"AND ({alias}.available_for_sale OR {alias}.available_for_trade)))"
    )


def wanted_visibility_sql(caller: Caller, params: dict[str, Any], alias: str = "w") -> str:
    """Like listings: own organization always; others' only while active and per visibility. A post's trade is
    its category's prefix (hvac_valve → hvac); general parts are every trade's."""
    params["wv_org"], params["wv_partners"] = caller.organization_id, list(caller.partner_organization_ids)
    trade = f"split_part({alias}.category, '_', 1)"
    return (
        f"({alias}.organization_id = :wv_org OR ({alias}.status = 'active' AND ("
        f"{alias}.visibility = 'public'"
        f" OR ({alias}.visibility = 'network' AND {alias}.organization_id = ANY(CAST(:wv_partners AS uuid[])))"
        f" OR ({alias}.visibility = 'industry' AND ({trade} = 'general' OR EXISTS ("
        f"SELECT 1 FROM organizations wo WHERE wo.id = :wv_org AND wo.trades ? {trade})))"
        f")))"
    )
