"""One web chat turn at a time per conversation, across every API process: a Postgres session advisory lock
per thread, held on its own pooled connection for as long as the turn runs.

A process that dies lets go of its locks with its connections. A lock whose turn never started (the client
went away before its stream began, so nothing released it) is let go after STALE_TURN_SECONDS."""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)
STALE_TURN_SECONDS = 300.0
_NAMESPACE = 7301  # the first key of the two-key advisory lock: web chat turns (other locks use other keys)


class TurnLocks:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._held: dict[str, tuple[Connection, float]] = {}
        self._lock = threading.Lock()

    def claim(self, thread_id: str) -> bool:
        """True when this process now holds the thread's turn; False while another turn (any process) runs."""
        self._let_go_of_stale()
        conn = self.engine.connect()
        try:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:ns, hashtext(:k))"),
                               {"ns": _NAMESPACE, "k": thread_id}).scalar()
            conn.commit()  # the session lock outlives the transaction; the connection is not left idle in one
        except Exception:
            conn.close()
            raise
        if not got:
            conn.close()
            return False
        with self._lock:
            self._held[thread_id] = (conn, time.monotonic())
        return True

    def release(self, thread_id: str) -> None:
        with self._lock:
            held = self._held.pop(thread_id, None)
        if held is not None:
            _unlock(held[0], thread_id)

    def _let_go_of_stale(self) -> None:
        now = time.monotonic()
        with self._lock:
            stale = [t for t, (_, since) in self._held.items() if now - since > STALE_TURN_SECONDS]
            released = [(t, self._held.pop(t)[0]) for t in stale]
        for thread_id, conn in released:
            log.warning("turn lock of %s was never released: let go", thread_id)
            _unlock(conn, thread_id)


def _unlock(conn: Connection, thread_id: str) -> None:
    try:
        conn.execute(text("SELECT pg_advisory_unlock(:ns, hashtext(:k))"), {"ns": _NAMESPACE, "k": thread_id})
        conn.commit()
        conn.close()
    except Exception:  # the server or the connection is gone, and the lock with it: never pool this connection
        log.warning("could not release the turn lock of %s; dropping its connection", thread_id, exc_info=True)
        conn.invalidate()
        conn.close()
