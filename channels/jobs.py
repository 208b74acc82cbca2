"""Agent turns as durable jobs: what a webhook queues, and how a job runs so that running it again is harmless.

A webhook is acknowledged only once its `TurnJob` is committed to the queue (the application's wiring puts it
on procrastinate, partpilot/jobs.py), so an acknowledged message survives any process dying. Jobs of one
conversation hold that conversation's lock and run one at a time, in the order they were queued, whichever
worker takes them. A job may run more than once (its worker was killed; the platform redelivered the
message), and every step is written so that the second run changes nothing:

1. the job claims its deliveries with its own id: a redelivery's job finds them taken and stops, while the
   same job retried still owns them;
2. the agent turn records the checkpoint it starts from, so a retry finishes a cut-off turn (or reads back a
   finished one) instead of running it again, and WRITE tools are idempotent on their tool-call ids;
3. the replies are stored, rendered for the platform, in the outbox before anything is sent; a retry sends
   only what was not marked sent with the platform's message id."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from channels.ports import Ledger

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TurnJob:
    """One unit of channel work, serialisable as JSON (the queue stores it as the job's arguments).

    Attributes:
        channel: "slack" | "sms".
        step: Which of the channel's handlers runs it ("message", "confirm", "choose", ...).
        conversation_key: The conversation (the job's lock: one at a time, in order).
        deliveries: The platform's ids for what is answered; the first one keys the outbox.
        payload: What the handler needs (the inbound message, the click).
    """

    channel: str
    step: str
    conversation_key: str
    deliveries: list[str]
    payload: dict[str, Any] = field(default_factory=dict)

    def as_args(self) -> dict[str, Any]:
        return asdict(self)


class JobQueue(Protocol):
    """Commits a job to the durable queue (raises when the store is down: the webhook then answers 503)."""

    def enqueue(self, job: TurnJob) -> None: ...


class ChannelTurns(Protocol):
    """A channel's side of its jobs: decide the replies of a step, and send one stored reply."""

    def decide(self, job: TurnJob, mark: DeliveryMark) -> list[dict[str, Any]]: ...

    def send(self, payload: dict[str, Any], outbox_id: int, attempt: int) -> str: ...


class DeliveryMark:
    """The checkpoint a delivery's turn started from, kept in the ledger (conversation.TurnMark)."""

    def __init__(self, ledger: Ledger, channel: str, delivery_id: str) -> None:
        self.ledger, self.channel, self.delivery_id = ledger, channel, delivery_id

    def get(self) -> str | None:
        return self.ledger.turn_mark(self.channel, self.delivery_id)

    def set(self, checkpoint_id: str) -> None:
        self.ledger.set_turn_mark(self.channel, self.delivery_id, checkpoint_id)


def run_turn_job(ledger: Ledger, turns: ChannelTurns, job: TurnJob, job_id: int) -> None:
    """Run `job` (attempt any): claim, decide once, send what is unsent. A send that fails raises, so the queue
    retries the job; the decided replies stay in the outbox meanwhile."""
    if not ledger.claim_for_job(job.channel, job.deliveries, job.conversation_key, job_id):
        return
    primary = job.deliveries[0]
    stored = ledger.outbox(job.channel, primary)
    if stored is None:
        payloads = turns.decide(job, DeliveryMark(ledger, job.channel, primary))
        if not payloads:
            return
        stored = ledger.put_outbox(job.channel, primary, job.conversation_key, payloads)
    else:
        log.info("%s job %s: replies already decided, sending what is left", job.channel, job_id)
    for outbox_id, payload, provider_id in stored:
        if provider_id is not None:
            continue
        attempt = ledger.outbox_attempt(outbox_id)
        ledger.outbox_sent(outbox_id, turns.send(payload, outbox_id, attempt))
