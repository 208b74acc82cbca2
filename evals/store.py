"""A fresh store per task run.

Fresh stores are `CREATE DATABASE … TEMPLATE base` clones (0.2–1.5 s each, made ahead in a background
thread while the previous task runs) of a base copied once from the configured database. Runs that cannot
write (the null planner, the oracle on a read-only task) may share one clone instead. When the server
refuses (no CREATEDB privilege, or the source is in use and no base was prepared), tasks run in place, one
after another, each scored on its own delta — reported as `isolation: in_place` because earlier tasks'
writes are then visible to later ones.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from evals.write_state import Snapshot, moment, snapshot
from knowledge.db import with_session_settings

log = logging.getLogger(__name__)


class StoreFactory:
    """Hands out a fresh store per task run: a clone of `base`, or the source itself when cloning fails."""

    def __init__(self, source: Engine, base: str | None = None, ahead: int = 2) -> None:
        self.source = source
        self.admin = create_engine(source.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.base: str | None = None
        self.owns_base = False
        self.isolation = "in_place"
        self._drops: list[threading.Thread] = []
        self._ready: queue.Queue[str] = queue.Queue(maxsize=max(1, ahead))
        self._lock = threading.RLock()
        self._closing = threading.Event()
        self._maker: threading.Thread | None = None
        self._shared: Engine | None = None
        self._shared_name: str | None = None
        self._base_snapshot: Snapshot | None = None
        self._origins: dict[Engine, Snapshot] = {}
        self._strategy: str | None = None
        if base is not None and self._exists(base):
            self.base, self.isolation = base, "clone"
            return
        name = f"{source.url.database}_evb_{os.getpid()}"[:60]
        source.dispose()  # a template must have no other sessions: ours are closed first
        try:
            self._create(name, str(source.url.database))
            self.base, self.owns_base, self.isolation = name, True, "clone"
        except DBAPIError as exc:
            log.warning("cannot clone %s (%s); running tasks in place", source.url.database,
                        str(exc.orig).splitlines()[0] if exc.orig else exc)

    def state(self, engine: Engine) -> Snapshot:
        """The write-state of a store handed out by fresh() or shared(), reading again only the tables written in it
        since (a task's setup, or earlier runs on the shared store): reading every table was half an eval's time."""
        return snapshot(engine, self._origins[engine])

    def _origin(self, engine: Engine) -> Snapshot:
        """The write-state of a store as it is handed out. Every clone starts as the base: its state is read once,
        from the first clone, before anything is written to it."""
        if self.base is None:  # in place: earlier tasks' writes are in the store
            return snapshot(engine)
        with self._lock:
            if self._base_snapshot is None:
                self._base_snapshot = snapshot(engine)
                return self._base_snapshot
        return moment(engine, self._base_snapshot)

    def _engine(self, name: str) -> Engine:
        """An engine on one of the clones, its sessions set up as the app's (search breadth, thresholds)."""
        return with_session_settings(create_engine(self.source.url.set(database=name), pool_size=3, max_overflow=5))

    def _exists(self, name: str) -> bool:
        with self.admin.connect() as conn:
            return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is not None

    def _create(self, name: str, template: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            # WAL_LOG (the default) writes the copy to the WAL; FILE_COPY copies the files but forces checkpoints,
            # slow on a busy server unless nothing is flushed to disk (fsync off: a throwaway cluster, the tests'):
            # then a clone costs the server 0.07 s of CPU instead of 0.18 s.
            if self._strategy is None:  # the server's setting, asked once
                self._strategy = "FILE_COPY" if conn.execute(text("SHOW fsync")).scalar_one() == "off" else "WAL_LOG"
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY {self._strategy}'))

    def _drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def _new_name(self) -> str:
        assert self.base is not None
        return f"{self.base[:40]}_t{uuid.uuid4().hex[:10]}"

    def _make_ahead(self) -> None:
        while not self._closing.is_set():
            name = self._new_name()
            try:
                self._create(name, self.base or "")
            except DBAPIError:
                log.exception("making a clone ahead failed")
                return
            while not self._closing.is_set():
                try:
                    self._ready.put(name, timeout=0.2)
                    break
                except queue.Full:
                    continue
            else:
                self._drop(name)

    def _take(self) -> str:
        with self._lock:
            if self._maker is None:
                self._maker = threading.Thread(target=self._make_ahead, daemon=True)
                self._maker.start()
        try:
            return self._ready.get(timeout=120)
        except queue.Empty:  # the maker died: make one here
            name = self._new_name()
            self._create(name, self.base or "")
            return name

    def _handed_out(self, engine: Engine) -> Engine:
        origin = self._origin(engine)
        with self._lock:
            self._origins[engine] = origin
        return engine

    @contextmanager
    def shared(self) -> Iterator[Engine]:
        """One clone for every run that cannot write: made on first use, dropped at close()."""
        if self.base is None:
            yield self._handed_out(self.source)
            return
        with self._lock:
            if self._shared is None:
                self._shared_name = self._take()
                self._shared = self._engine(self._shared_name)
                self._origins[self._shared] = self._origin(self._shared)
        yield self._shared

    @contextmanager
    def fresh(self) -> Iterator[Engine]:
        if self.base is None:
            yield self._handed_out(self.source)
            return
        name = self._take()
        engine = self._handed_out(self._engine(name))
        try:
            yield engine
        finally:
            self._origins.pop(engine, None)
            engine.dispose()
            # dropping takes longer than cloning; the next task need not wait for it
            dropper = threading.Thread(target=self._drop, args=(name,), daemon=True)
            dropper.start()
            self._drops.append(dropper)

    def close(self) -> None:
        self._closing.set()
        if self._maker is not None:
            self._maker.join()
        while not self._ready.empty():
            self._drop(self._ready.get())
        if self._shared is not None and self._shared_name:
            self._shared.dispose()
            self._drop(self._shared_name)
        for dropper in self._drops:
            dropper.join()
        if self.owns_base and self.base:
            self._drop(self.base)
        self.admin.dispose()
