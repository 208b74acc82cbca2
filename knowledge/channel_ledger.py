"""Postgres memory of the channels: which deliveries were already handled, what was sent, who opted out.

Claiming a delivery is one INSERT … ON CONFLICT DO NOTHING, so a platform retry that arrives while the first
delivery is still being processed (or after a restart) is recognised and dropped. A queued job claims its
deliveries with its id, so the same job retried after a crash still owns them and a redelivery's job does not.
The outbox keeps each reply, rendered for its platform, from the moment it is decided until it is sent."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import Engine, text

from knowledge import clock

log = logging.getLogger(__name__)


class ChannelLedger:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim_for_job(self, channel: str, delivery_ids: list[str], conversation_key: str, job_id: int) -> bool:
        """True when job `job_id` owns every one of these deliveries (it claimed them now or on an earlier
        attempt); False when another job (a platform's redelivery) got any of them first."""
        with self.engine.begin() as conn:
            owners = []
            for delivery_id in delivery_ids:
                conn.execute(text(
                    "INSERT INTO channel_deliveries (channel, delivery_id, conversation_key, job_id) "
                    "VALUES (:c, :d, :k, :j) ON CONFLICT DO NOTHING"),
                    {"c": channel, "d": delivery_id[:200], "k": conversation_key[:200], "j": job_id})
                owners.append(conn.execute(text(
                    "SELECT job_id FROM channel_deliveries WHERE channel = :c AND delivery_id = :d"),
                    {"c": channel, "d": delivery_id[:200]}).scalar())
        if any(owner != job_id for owner in owners):
            log.info("duplicate %s delivery %s ignored (job %s)", channel, delivery_ids[0], job_id)
            return False
        return True

    def turn_mark(self, channel: str, delivery_id: str) -> str | None:
        """The conversation checkpoint this delivery's agent turn started from; None before the turn began."""
        with self.engine.connect() as conn:
            return conn.execute(text(
                "SELECT turn_from FROM channel_deliveries WHERE channel = :c AND delivery_id = :d"),
                {"c": channel, "d": delivery_id[:200]}).scalar()

    def set_turn_mark(self, channel: str, delivery_id: str, checkpoint_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("UPDATE channel_deliveries SET turn_from = :t WHERE channel = :c AND delivery_id = :d"),
                         {"c": channel, "d": delivery_id[:200], "t": checkpoint_id})

    def outbox(self, channel: str, delivery_id: str) -> list[tuple[int, dict[str, Any], str | None]] | None:
        """This delivery's replies in order as (outbox id, payload, provider id or None while unsent); None when
        nothing was decided yet."""
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, payload, provider_id FROM channel_outbox WHERE channel = :c "
                                     "AND delivery_id = :d ORDER BY seq"), {"c": channel, "d": delivery_id[:200]}).all()
        return [(int(r.id), dict(r.payload), r.provider_id) for r in rows] or None

    def put_outbox(self, channel: str, delivery_id: str, conversation_key: str,
                   payloads: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any], str | None]]:
        """Store the replies decided for a delivery (the first attempt's win) and return what is stored."""
        with self.engine.begin() as conn:
            for seq, payload in enumerate(payloads):
                conn.execute(text(
                    "INSERT INTO channel_outbox (channel, delivery_id, seq, conversation_key, payload) "
                    "VALUES (:c, :d, :s, :k, CAST(:p AS jsonb)) ON CONFLICT DO NOTHING"),
                    {"c": channel, "d": delivery_id[:200], "s": seq, "k": conversation_key[:200],
                     "p": json.dumps(payload)})
        return self.outbox(channel, delivery_id) or []

    def outbox_attempt(self, outbox_id: int) -> int:
        """Count a send attempt; the count says whether an earlier attempt may have reached the platform."""
        with self.engine.begin() as conn:
            return int(conn.execute(text("UPDATE channel_outbox SET attempts = attempts + 1 WHERE id = :i "
                                         "RETURNING attempts"), {"i": outbox_id}).scalar_one())

    def outbox_sent(self, outbox_id: int, provider_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("UPDATE channel_outbox SET provider_id = :p, sent_at = now() WHERE id = :i"),
                         {"i": outbox_id, "p": provider_id[:100]})

    def owned_ids(self, channel: str, conversation_key: str, provider_ids: list[str]) -> set[str]:
        """Which of `provider_ids` the conversation's outbox already holds as sent."""
        with self.engine.connect() as conn:
            return set(conn.execute(text(
                "SELECT provider_id FROM channel_outbox WHERE channel = :c AND conversation_key = :k "
                "AND provider_id = ANY(:p)"), {"c": channel, "k": conversation_key[:200], "p": provider_ids}).scalars())

    def claim_notices(self, limit: int = 50, stale_seconds: float = 60.0) -> list[dict[str, Any]]:
        """Notification deliveries due on Slack, SMS and email (and ones whose sender died mid-send), claimed
        for sending: the delivery id, channel, attempt, the person's Slack id, phone and email, and the notice."""
        with self.engine.begin() as conn:
            rows = conn.execute(text(
                "UPDATE notification_deliveries d SET status = 'sending', attempts = d.attempts + 1, "
                "sent_at = now() FROM notifications n, users u WHERE n.id = d.notification_id AND u.id = n.user_id "
                "AND d.id IN (SELECT id FROM notification_deliveries WHERE channel IN ('slack', 'sms', 'email') AND "
                "cadence = 'immediate' AND (due_at IS NULL OR due_at <= :now) AND "
                "(status = 'pending' OR (status = 'sending' AND sent_at < now() - make_interval(secs => :stale))) "
                "ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED) "
                "RETURNING d.id, d.channel, d.attempts, n.id AS notification_id, n.category, n.title, n.body, "
                "n.subject_type, n.subject_id, n.actions, n.created_at, n.user_id, u.slack_user_id, u.phone, u.email, "
                "u.name"),
                {"limit": limit, "stale": stale_seconds, "now": clock.now()}).mappings().all()
        return [dict(r) for r in rows]

    def notice_sent(self, delivery_id: int, status: str, provider_id: str | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("UPDATE notification_deliveries SET status = :s, provider_id = :p, sent_at = now() "
                              "WHERE id = :i"), {"i": delivery_id, "s": status, "p": provider_id})

    def record_sent(self, channel: str, message_id: str, conversation_key: str, status: str,
                    segments: int | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO channel_outbound_messages (channel, message_id, conversation_key, status, segments) "
                "VALUES (:c, :m, :k, :s, :n) ON CONFLICT (channel, message_id) DO NOTHING"),
                {"c": channel, "m": message_id, "k": conversation_key[:200], "s": status, "n": segments})

    def record_status(self, channel: str, message_id: str, status: str, error_code: str | None = None) -> bool:
        """Store a delivery-status callback; False when the message is not one of ours."""
        with self.engine.begin() as conn:
            updated = conn.execute(text(
                "UPDATE channel_outbound_messages SET status = :s, error_code = COALESCE(:e, error_code), "
                "updated_at = now() WHERE channel = :c AND message_id = :m"),
                {"c": channel, "m": message_id, "s": status[:30], "e": error_code}).rowcount
        return bool(updated)

    def status_of(self, channel: str, message_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(text(
                "SELECT status FROM channel_outbound_messages WHERE channel = :c AND message_id = :m"),
                {"c": channel, "m": message_id}).scalar()

    def opt_out(self, channel: str, address: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("INSERT INTO channel_opt_outs (channel, address) VALUES (:c, :a) ON CONFLICT DO NOTHING"),
                         {"c": channel, "a": address})

    def opt_in(self, channel: str, address: str) -> bool:
        """Remove an opt-out; True when there was one."""
        with self.engine.begin() as conn:
            return bool(conn.execute(text("DELETE FROM channel_opt_outs WHERE channel = :c AND address = :a"),
                                     {"c": channel, "a": address}).rowcount)

    def opted_out(self, channel: str, address: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT 1 FROM channel_opt_outs WHERE channel = :c AND address = :a"),
                                {"c": channel, "a": address}).first() is not None
