"""Counting what the durability benchmark's platforms saw: which acknowledged messages got their reply (once,
in order), how many writes each conversation made, and how fast acknowledgements and replies came."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Engine, text

from channels.fakes.slack_web_api import FakeSlackWebApi
from channels.fakes.twilio_rest import FakeTwilioRest
from channels.notices import notice_sms
from partpilot.bench.latency import latency_stats
from partpilot.bench.traffic import Outcome


class Replies:
    """The replies the fake platforms received, each traced to the delivery it answers through the outbox."""

    def __init__(self, engine: Engine, slack: FakeSlackWebApi, twilio: FakeTwilioRest) -> None:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, channel, delivery_id, provider_id FROM channel_outbox")).all()
            notices = set(conn.execute(text("SELECT provider_id FROM notification_deliveries WHERE channel = 'sms' "
                                            "AND provider_id IS NOT NULL")).scalars())
            # a notice whose send was not yet marked (its worker killed, or the database down, right after the
            # send; its retry finds it at Twilio): told by its words, it is still a notice, not a reply
            told = {notice_sms(r.title, r.body) for r in conn.execute(text(
                "SELECT n.title, n.body FROM notifications n JOIN notification_deliveries d ON "
                "d.notification_id = n.id WHERE d.channel = 'sms'"))}
        by_id = {int(r.id): str(r.delivery_id) for r in rows}
        by_sid = {str(r.provider_id): str(r.delivery_id) for r in rows if r.channel == "sms" and r.provider_id}
        self.first: dict[str, float] = {}  # delivery -> when its first reply reached the platform
        self.duplicates = 0
        seen: set[object] = set()
        for post in slack.posted():
            if (post.get("metadata") or {}).get("event_type") != "partpilot_reply":
                continue  # a notification (the clock settling an auction), not a reply
            outbox_id = ((post.get("metadata") or {}).get("event_payload") or {}).get("outbox_id")
            if outbox_id in seen:
                self.duplicates += 1  # the same outbox row posted twice
                continue
            seen.add(outbox_id)
            self._reached(by_id.get(int(outbox_id)) if outbox_id is not None else None, post["_received_at"])
        for sms in twilio.sent():
            if sms["sid"] in notices or any(str(sms.get("body") or "").startswith(t) for t in told):
                continue
            delivery = by_sid.get(sms["sid"])
            if delivery is None:
                self.duplicates += 1  # a text no outbox row owns: an attempt whose sending went unrecorded
                continue
            self._reached(delivery, sms["_received_at"])

    def _reached(self, delivery: str | None, at: float) -> None:
        if delivery is not None and (delivery not in self.first or at < self.first[delivery]):
            self.first[delivery] = at


def unanswered(outcomes: list[Outcome], replies: Replies) -> list[Outcome]:
    return [o for o in outcomes if o.acked_at is not None and o.message.delivery not in replies.first]


def out_of_order(outcomes: list[Outcome], replies: Replies) -> int:
    """Replies that reached the platform before the reply to an earlier message of the same conversation."""
    by_conversation: dict[str, list[float]] = defaultdict(list)
    for outcome in sorted(outcomes, key=lambda o: (o.message.conversation, o.message.index)):
        at = replies.first.get(outcome.message.delivery)
        if at is not None:
            by_conversation[outcome.message.conversation].append(at)
    late = 0
    for times in by_conversation.values():
        latest = 0.0
        for at in times:
            if at < latest:
                late += 1
            latest = max(latest, at)
    return late


def duplicate_writes(engine: Engine, conversations: list[str], writes_asked: int) -> tuple[int, int]:
    """(WRITE tool calls executed in the bench's conversations, those beyond the `writes_asked` confirmations
    each conversation gave): a turn that ran twice would have written twice under two tool-call ids."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT idempotency_key FROM tool_calls WHERE result IS NOT NULL")).scalars().all()
    per_conversation: Counter[str] = Counter()
    for key in rows:
        for conversation in conversations:
            if f":{conversation}:" in str(key):
                per_conversation[conversation] += 1
                break
    total = sum(per_conversation.values())
    return total, sum(max(0, n - writes_asked) for n in per_conversation.values())


def summarize(outcomes: list[Outcome], replies: Replies, engine: Engine, writes_asked: int) -> dict[str, Any]:
    acked = [o for o in outcomes if o.acked_at is not None]
    statuses = Counter(s for o in outcomes for s in o.statuses)
    lost = unanswered(outcomes, replies)
    e2e = [(replies.first[o.message.delivery] - o.acked_at) * 1000 for o in acked
           if o.acked_at is not None and o.message.delivery in replies.first]
    writes, extra = duplicate_writes(engine, sorted({o.message.conversation for o in outcomes}), writes_asked)
    redelivered = [o.redelivery_status for o in acked if o.redelivery_status is not None]
    return {
        "messages": len(outcomes), "accepted": len(acked), "never_accepted": len(outcomes) - len(acked),
        "replied": len(acked) - len(lost), "lost": len(lost), "lost_examples": [o.message.delivery for o in lost[:5]],
        "duplicate_replies": replies.duplicates, "writes": writes, "duplicate_writes": extra,
        "out_of_order": out_of_order(outcomes, replies),
        "redeliveries": len(redelivered), "redeliveries_acked": sum(1 for s in redelivered if 200 <= s < 300),
        "failed_attempts": {("connection" if code == 0 else str(code)): n for code, n in sorted(statuses.items())},
        "server_errors_500": statuses.get(500, 0),
        "ack": latency_stats([o.ack_ms for o in acked if o.ack_ms is not None]),
        "unavailable_503": latency_stats([ms for o in outcomes for ms in o.unavailable_ms]),
        "reply_end_to_end": latency_stats(e2e),
    }
