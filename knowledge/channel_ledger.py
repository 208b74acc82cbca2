"""Postgres memory of the channels: which deliveries were already handled, what was sent, who opted out.

Claiming a delivery is one INSERT … ON CONFLICT DO NOTHING, so a platform retry that arrives while the first
delivery is still being processed (or after a restart) is recognised and dropped."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)


class ChannelLedger:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, channel: str, delivery_id: str, conversation_key: str) -> bool:
        """True the first time this delivery is seen; False for every retry or redelivery."""
        with self.engine.begin() as conn:
            row = conn.execute(text(
                "INSERT INTO channel_deliveries (channel, delivery_id, conversation_key) VALUES (:c, :d, :k) "
                "ON CONFLICT DO NOTHING RETURNING delivery_id"),
                {"c": channel, "d": delivery_id[:200], "k": conversation_key[:200]}).first()
        if row is None:
            log.info("duplicate %s delivery %s ignored", channel, delivery_id)
        return row is not None

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
