"""What the channel adapters share inside one server: settings, database, ledger, agent, background worker.

`channel_routers()` is what api/app.py includes: the Slack and SMS routers whose keys are set, none else."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache

from fastapi import APIRouter
from sqlalchemy import Engine

from agent.runner import AgentRunner
from channels.conversation import ConversationService
from channels.ledger import ChannelLedger
from channels.worker import ConversationWorker
from knowledge.settings import Settings

log = logging.getLogger(__name__)


class ChannelHub:
    def __init__(self, settings: Settings, engine: Engine,
                 runner_factory: Callable[[], AgentRunner] | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.ledger = ChannelLedger(engine)
        self.worker = ConversationWorker(settings.channel_workers)
        self.conversations = ConversationService(engine, runner_factory or (lambda: AgentRunner(engine)))

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


@lru_cache(maxsize=1)
def get_hub() -> ChannelHub:
    """The server's one hub (built on first use from the Settings and the store's engine)."""
    from knowledge.db import get_engine
    from knowledge.settings import get_settings

    return ChannelHub(get_settings(), get_engine())


def channel_routers() -> list[APIRouter]:
    """Routers of the channels whose keys are set (no Slack/Twilio keys: an empty list, no DB touched)."""
    from knowledge.settings import get_settings

    settings = get_settings()
    if not (settings.slack_enabled or settings.sms_enabled):
        return []
    return get_hub().routers()
