"""The demo page's sign-in: the demo technician's organization's publishable widget key and a user token for
them, made by the server as a host site's backend would make them. No secret goes into the page."""

from __future__ import annotations

import logging

from agent.gateway import Gateway, UnknownCaller
from channels.ports import ChannelSettings

log = logging.getLogger(__name__)

DEMO_TOKEN_TTL_S = 12 * 3600  # a page left open over a shift keeps working; a fresh token comes with every view


def demo_widget_sign_in(gateway: Gateway, settings: ChannelSettings, bind_host: str) -> tuple[str, str] | None:
    """(publishable key, user token) for the demo technician; None when the demo is off for a server bound to
    `bind_host`, or the demo user does not exist."""
    if not settings.web_demo_on(bind_host):
        return None
    try:
        return gateway.widget_sign_in(settings.web_demo_email, DEMO_TOKEN_TTL_S)
    except UnknownCaller:
        log.warning("web demo is on but %s is not an active user; the demo page stays signed out",
                    settings.web_demo_email)
        return None
