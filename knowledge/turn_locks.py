"""One web chat turn at a time per conversation, across every API process: a Postgres session advisory lock
per thread, all of a process's held on one connection of its own for as long as their turns run.

One connection per process, not one per turn: a burst of a hundred turns would otherwise hold a hundred pooled
connections idle while the turns themselves wait for one. Session locks are re-entrant within a session, so
turns of this process are kept apart by the `_held` map; other processes by the lock itself.

A process that dies lets go of its locks with its connection. If the connection breaks while the process lives,
its locks went with it: they are forgotten and the next claim opens a new connection. A lock whose turn never
started (the client went away before its stream began, so nothing released it) is let go after
STALE_TURN_SECONDS."""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Connection, Engine, TextClause, text

log = logging.getLogger(__name__)
STALE_TURN_SECONDS = 300.0
_NAMESPACE = 7301  # the first key of the two-key advisory lock: web chat turns (other locks use other keys)
_LOCK = text("SELECT pg_try_advisory_lock(:ns, hashtext(:k))")
_UNLOCK = text("SELECT pg_advisory_unlock(:ns, hashtext(:k))")


class TurnLocks:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._held: dict[str, float] = {}  # thread id → when its turn was claimed
        self._session: Connection | None = None
        self._lock = threading.Lock()  # the map and the session: one statement at a time on a connection

    def claim(self, thread_id: str) -> bool:
        """True when this process now holds the thread's turn; False while another turn (any process) runs."""
        self._let_go_of_stale()
        with self._lock:
            if thread_id in self._held:
                return False
            got = self._run(_LOCK, thread_id)
            if got:
                self._held[thread_id] = time.monotonic()
            return bool(got)

    def release(self, thread_id: str) -> None:
        with self._lock:
            if self._held.pop(thread_id, None) is not None and self._session is not None:
                self._run(_UNLOCK, thread_id, quiet=True)

    def _run(self, statement: TextClause, thread_id: str, quiet: bool = False) -> object:
        try:
            if self._session is None:
                self._session = self.engine.connect()
            value = self._session.execute(statement, {"ns": _NAMESPACE, "k": thread_id}).scalar()
            self._session.commit()  # a session lock outlives the transaction; the connection is not left in one
            return value
        except Exception:
            self._drop_session()
            if quiet:  # the session, and every lock on it, is gone: nothing is left to release
                log.warning("turn lock session lost while releasing %s", thread_id, exc_info=True)
                return None
            raise

    def _drop_session(self) -> None:
        """The connection broke: its locks went with it, so this process holds none any more."""
        if self._held:
            log.warning("turn lock session lost: %d running turns are no longer locked", len(self._held))
        self._held.clear()
        if self._session is not None:
            self._session.invalidate()  # never returned to the pool with locks possibly still on it
            self._session.close()
            self._session = None

    def drop_session(self) -> None:
        """Close this process's lock session (its locks are let go): at shutdown, or a test cutting it."""
        with self._lock:
            self._drop_session()

    def _let_go_of_stale(self) -> None:
        now = time.monotonic()
        with self._lock:
            for thread_id in [t for t, since in self._held.items() if now - since > STALE_TURN_SECONDS]:
                log.warning("turn lock of %s was never released: let go", thread_id)
                del self._held[thread_id]
                if self._session is not None:
                    self._run(_UNLOCK, thread_id, quiet=True)
