"""Notifications out as soon as they are committed. A tool that writes a notice due now also NOTIFYs
`partpilot_notices` in its transaction (tools/notifications/events.py), so Postgres announces it at commit;
each worker process keeps one connection LISTENing and sends what is due the moment it hears, in batches until
nothing is left. The clock's periodic delivery (every 2 s) stays as the safety net: for notices that come due
later (quiet hours) and for a pump that lost its connection. Several pumps claim with SKIP LOCKED, so a
notice goes out once."""

from __future__ import annotations

import logging
import threading

import psycopg
from sqlalchemy import Engine

from agent.checkpointer import conninfo
from channels.hub import ChannelHub

log = logging.getLogger(__name__)

CHANNEL = "partpilot_notices"
BATCH = 50  # claim_notices' batch: a full batch means there may be more
RECONNECT_SECONDS = 2.0


class NoticePump:
    def __init__(self, hub: ChannelHub, engine: Engine) -> None:
        self.hub, self.conninfo = hub, conninfo(engine)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="notice-pump", daemon=True)

    def start(self) -> NoticePump:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def _drain(self) -> None:
        while not self._stopping.is_set() and self.hub.deliver_notices() >= BATCH:
            pass

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._drain()  # what was committed while nobody listened
                    while not self._stopping.is_set():
                        if any(True for _ in conn.notifies(timeout=1.0, stop_after=1)):
                            self._drain()
            except psycopg.OperationalError as exc:
                log.warning("notice pump lost the database (%s); listening again in %.0f s", exc, RECONNECT_SECONDS)
            except Exception:  # a platform outage mid-send: the claims go stale and are retried
                log.exception("notice pump failed; restarting")
            self._stopping.wait(RECONNECT_SECONDS)
