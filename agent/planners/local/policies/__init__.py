"""One policy per intent: given the frame, the context and this turn's tool results, the next step."""

from __future__ import annotations

from collections.abc import Callable

from agent.planners.local.context import Context
from agent.planners.local.frame import Env, Frame, Step
from agent.planners.local.history import Turn
from agent.planners.local.policies import (
    general,
    market,
    offers,
    parts,
    pricing,
    selling,
    sites,
    sourcing,
    wanted,
)

Policy = Callable[[Frame, Context, Turn, Env], Step]

POLICIES: dict[str, Policy] = {
    "greet": general.greet,
    "thanks": general.thanks,
    "help": general.help_,
    "decline": general.decline,
    "ack": general.ack,
    "unknown": general.unknown,
    "other_stock": general.other_stock,
    "bad_choice": general.bad_choice,
    "amend": general.amend,
    "find_part": parts.find_part,
    "part_chosen": parts.part_chosen,
    "photo": parts.photo,
    "compat": parts.compat,
    "site_units": sites.site_units,
    "source": sourcing.source,
    "closer": sourcing.closer,
    "how_far": sourcing.how_far,
    "hold": sourcing.hold,
    "price_info": sourcing.price_info,
    "price_check": pricing.price_check,
    "suggest_price": pricing.suggest_price,
    "sell": selling.sell,
    "publish": selling.publish,
    "make_offer": offers.make_offer,
    "list_offers": offers.list_offers,
    "accept_offer": offers.accept_offer,
    "reject_offer": offers.reject_offer,
    "counter": offers.counter,
    "offer_chosen": offers.offer_chosen,
    "withdraw_offer": offers.withdraw_offer,
    "market_search": market.market_search,
    "details": market.details,
    "watch": market.watch,
    "bid": market.bid,
    "wanted": market.wanted,
    "browse_wanted": wanted.browse_wanted,
}
