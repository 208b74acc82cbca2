"""The demo page's sign-in: an API key for the demo technician, minted once and reused across restarts."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from agent.gateway import Gateway, UnknownCaller
from channels.ports import ChannelSettings

log = logging.getLogger(__name__)


def _key_file(gateway: Gateway, settings: ChannelSettings) -> Path:
    return settings.home / f"web-demo-key-{gateway.store_name}"


def demo_api_key(gateway: Gateway, settings: ChannelSettings, bind_host: str) -> str | None:
    """The demo technician's key (None when the demo is off for a server bound to `bind_host`, or the demo user
    does not exist). Only the plaintext's digest is in the database, so the plaintext is kept in a private
    file under PARTPILOT_HOME."""
    if not settings.web_demo_on(bind_host):
        return None
    path = _key_file(gateway, settings)
    if path.exists():
        key = path.read_text().strip()
        caller = gateway.caller_for_api_key(key)
        if caller is not None and caller.email.lower() == settings.web_demo_email.lower():
            return key
    try:
        key = gateway.mint_api_key(settings.web_demo_email, label="web demo")
    except UnknownCaller:
        log.warning("web demo is on but %s is not an active user; the demo page stays signed out",
                    settings.web_demo_email)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
