"""Who may see what. Every tool that reads listings or stock builds its WHERE clause from here."""

from __future__ import annotations

from typing import Any

from tools.context import Caller

# Statuses another organization may see; the owner sees every status of its own listings.
PUBLIC_LISTING_STATUSES = ("active", "reserved")


def _published_sql(caller: Caller, params: dict[str, Any], key: str, alias: str, open_sql: str, trade_sql: str,
                   trade_for_all_sql: str) -> str:
    """What another organization published to the caller: its own rows always; others' while open, and by
    visibility — public to everyone, network to partners, industry to organizations of the row's trade."""
    params[f"{key}_org"], params[f"{key}_partners"] = caller.organization_id, list(caller.partner_organization_ids)
    return (
        f"({alias}.organization_id = :{key}_org OR ({open_sql} AND ("
        f"{alias}.visibility = 'public'"
        f" OR ({alias}.visibility = 'network' AND {alias}.organization_id = ANY(CAST(:{key}_partners AS uuid[])))"
        f" OR ({alias}.visibility = 'industry' AND ({trade_for_all_sql} OR EXISTS ("
        f"SELECT 1 FROM organizations {key}_o WHERE {key}_o.id = :{key}_org AND {key}_o.trades ? {trade_sql})))"
        f")))"
    )


def listing_visibility_sql(caller: Caller, params: dict[str, Any], alias: str = "l") -> str:
    """SQL predicate: listings the caller may see (visibility and status)."""
    params["vis_statuses"] = list(PUBLIC_LISTING_STATUSES)
    return _published_sql(caller, params, "vis", alias, f"{alias}.status = ANY(:vis_statuses)", f"{alias}.trade",
                          f"{alias}.trade IS NULL")


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
    trade = f"split_part({alias}.category, '_', 1)"
    return _published_sql(caller, params, "wv", alias, f"{alias}.status = 'active'", trade, f"{trade} = 'general'")
