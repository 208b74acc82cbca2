"""Who may do what: the role checks every selling and buying tool makes before it acts."""

from __future__ import annotations

from tools.context import Caller
from tools.results import ToolFailed


def require_seller(caller: Caller, action: str) -> None:
    if not caller.can_sell:
        raise ToolFailed("forbidden", f"Your role ({caller.role}) cannot {action}; a seller or parts manager "
                         f"of {caller.organization_name} can.")


def require_buyer(caller: Caller, action: str) -> None:
    if not caller.can_buy:
        raise ToolFailed("forbidden", f"Your role ({caller.role}) cannot {action}.")
