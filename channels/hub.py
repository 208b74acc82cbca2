"""What the Slack and SMS adapters share inside one server: settings, the ledger, the agent and its gateway,
the background worker. The application's wiring (partpilot/wiring.py) builds the one hub of a process."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import APIRouter

from agent.gateway import Gateway
from agent.runner import AgentRunner
from channels.conversation import ConversationService
from channels.ports import ChannelSettings, Ledger
from channels.worker import ConversationWorker

log = logging.getLogger(__name__)


class ChannelHub:
    def __init__(self, settings: ChannelSettings, gateway: Gateway, ledger: Ledger,
                 runner_factory: Callable[[], AgentRunner]) -> None:
        self.settings = settings
        self.ledger = ledger
        self.worker = ConversationWorker(settings.channel_workers)
        self.conversations = ConversationService(gateway, runner_factory)

    def routers(self) -> list[APIRouter]:
        routers: list[APIRouter] = []
        if self.settings.slack_enabled:
            from channels.slack.routes import slack_router

            routers.append(slack_router(self))
        if self.settings.sms_enabled:
            from channels.sms.routes import sms_router

            routers.append(sms_router(self))
        log.info("channels enabled: %s", ", ".join(r.prefix.strip("/") for r in routers) or "none")
        return routers
