"""What the Slack and SMS adapters share inside one process: settings, the ledger, the agent and its gateway,
the durable job queue, and each channel's job handlers. The application's wiring (partpilot/wiring.py) builds
the one hub of a process, in API processes (webhooks queue jobs) and workers (jobs run) alike."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from agent.gateway import Gateway
from agent.runner import AgentRunner
from channels.conversation import ConversationService
from channels.jobs import ChannelTurns, JobQueue, TurnJob, run_turn_job
from channels.ports import ChannelSettings, Ledger

log = logging.getLogger(__name__)


class ChannelHub:
    def __init__(self, settings: ChannelSettings, gateway: Gateway, ledger: Ledger,
                 runner_factory: Callable[[], AgentRunner], queue: JobQueue) -> None:
        self.settings = settings
        self.ledger = ledger
        self.queue = queue
        self.conversations = ConversationService(gateway, runner_factory)
        self._turns: dict[str, ChannelTurns] = {}
        self._turns_lock = threading.Lock()

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

    def run_job(self, args: dict[str, Any], job_id: int) -> None:
        """Run one queued job (its arguments as TurnJob.as_args made them); safe to run again."""
        job = TurnJob(**args)
        run_turn_job(self.ledger, self.turns(job.channel), job, job_id)

    def deliver_notices(self) -> int:
        """Send the notifications waiting for people's Slack or SMS (channels/notices.py); how many."""
        from channels.notices import NoticeSender

        return NoticeSender(self.settings, self.ledger, self.turns,
                            attachments=self.conversations.gateway.notice_attachments).deliver_pending()

    def turns(self, channel: str) -> ChannelTurns:
        with self._turns_lock:
            if channel not in self._turns:
                self._turns[channel] = self._build_turns(channel)
            return self._turns[channel]

    def _build_turns(self, channel: str) -> ChannelTurns:
        if channel == "slack":
            from channels.slack.turns import SlackTurns

            return SlackTurns(self)
        if channel == "sms":
            from channels.sms.turns import SmsTurns

            return SmsTurns(self)
        raise ValueError(f"no job handlers for channel {channel!r}")
