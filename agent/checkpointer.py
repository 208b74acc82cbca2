"""Conversation memory in the same Postgres database (langgraph-checkpoint-postgres)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import ChannelVersions, Checkpoint, CheckpointMetadata, CheckpointTuple, copy_checkpoint
from langgraph.checkpoint.postgres import PostgresSaver
from psycopg import Cursor
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool
from sqlalchemy import Engine

_KEPT_SECONDS = 5.0  # a turn's run starts right after its read; an older copy is not trusted


def conninfo(engine: Engine) -> str:
    """A libpq URI for the engine's database (psycopg takes the socket directory as ?host=)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


@lru_cache(maxsize=4)
def _pool(uri: str) -> ConnectionPool:
    # check: a connection the server dropped (a restart) is replaced before use, not handed out to fail
    return ConnectionPool(uri, min_size=1, max_size=10, open=True, check=ConnectionPool.check_connection,
                          kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})


class PooledPostgresSaver(PostgresSaver):
    """A PostgresSaver whose calls each take their own connection from the pool, with no lock around them.

    PostgresSaver holds one instance lock around every cursor, which a single shared connection needs but a
    pool does not: it serialized all checkpoint I/O of the process (concurrent turns waited on each other's
    round trips). Upstream drops that lock for pooled savers the same way (langgraph #7259 / #7269, async
    saver). A single connection (not a pool) keeps the parent's locked behaviour.

    A turn reads its conversation once: `read_for_turn` keeps the checkpoint it reads for the run that follows
    (the runner reads it to see whether a confirmation waits, then LangGraph's loop would read it again). The
    turn lock keeps other processes from writing the thread in between; a write from this process, or a few
    seconds passing, drops the kept copy.
    """

    def __init__(self, conn: ConnectionPool, **kwargs: Any) -> None:
        super().__init__(conn, **kwargs)  # type: ignore[arg-type]
        self._kept: dict[str, tuple[float, CheckpointTuple | None]] = {}
        self._kept_lock = threading.Lock()
        self._keeping: set[str] = set()

    @contextmanager
    def read_for_turn(self, thread_id: str) -> Iterator[None]:
        """Keep the latest checkpoint read for `thread_id` inside this block for the turn's run."""
        with self._kept_lock:
            self._keeping.add(thread_id)
        try:
            yield
        finally:
            with self._kept_lock:
                self._keeping.discard(thread_id)

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        thread_id = _thread_of(config)
        if thread_id is None or "checkpoint_id" in config.get("configurable", {}):
            return super().get_tuple(config)
        with self._kept_lock:
            kept = self._kept.pop(thread_id, None)
            keeping = thread_id in self._keeping
        if kept is not None and time.monotonic() - kept[0] < _KEPT_SECONDS:
            return kept[1]
        saved = super().get_tuple(config)
        if keeping:  # a copy: building the snapshot updates the read one's versions
            copy = None if saved is None else saved._replace(checkpoint=copy_checkpoint(saved.checkpoint))
            with self._kept_lock:
                self._kept[thread_id] = (time.monotonic(), copy)
        return saved

    def put(self, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata,
            new_versions: ChannelVersions) -> RunnableConfig:
        self._forget(_thread_of(config))
        return super().put(config, checkpoint, metadata, new_versions)

    def put_writes(self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str,
                   task_path: str = "") -> None:
        self._forget(_thread_of(config))
        super().put_writes(config, writes, task_id, task_path)

    def delete_thread(self, thread_id: str) -> None:
        self._forget(str(thread_id))
        super().delete_thread(thread_id)

    def _forget(self, thread_id: str | None) -> None:
        with self._kept_lock:
            self._kept.pop(thread_id or "", None)

    @contextmanager
    def _cursor(self, *, pipeline: bool = False) -> Iterator[Cursor[DictRow]]:
        if not isinstance(self.conn, ConnectionPool):
            with super()._cursor(pipeline=pipeline) as cur:
                yield cur
            return
        with self.conn.connection() as conn:
            if pipeline and self.supports_pipeline:  # a put's statements in one round trip, as the parent does
                with conn.pipeline(), conn.cursor(binary=True, row_factory=dict_row) as cur:
                    yield cur
            elif pipeline:
                with conn.transaction(), conn.cursor(binary=True, row_factory=dict_row) as cur:
                    yield cur
            else:
                with conn.cursor(binary=True, row_factory=dict_row) as cur:
                    yield cur


def _thread_of(config: RunnableConfig) -> str | None:
    thread_id = config.get("configurable", {}).get("thread_id")
    return None if thread_id is None else str(thread_id)


_set_up: set[str] = set()
_set_up_lock = threading.Lock()
# Two requests (or the API and the worker) setting up at once race on CREATE TABLE: one at a time, once. The
# lock is tried, not waited for: setup() runs CREATE INDEX CONCURRENTLY, which waits for every open statement —
# a second process blocked in pg_advisory_lock would wait for the first forever, and it for the second.
_SETUP_TRY_LOCK_SQL = "SELECT pg_try_advisory_lock(hashtext('partpilot.checkpointer.setup')) AS got"
_SETUP_UNLOCK_SQL = "SELECT pg_advisory_unlock(hashtext('partpilot.checkpointer.setup'))"


def postgres_checkpointer(engine: Engine) -> PooledPostgresSaver:
    """A checkpointer on the store's database (a connection from the pool per call), its tables created on
    first use."""
    uri = conninfo(engine)
    saver = PooledPostgresSaver(_pool(uri))  # type: ignore[arg-type]
    with _set_up_lock:
        if uri not in _set_up:
            with _pool(uri).connection() as conn:
                while not conn.execute(_SETUP_TRY_LOCK_SQL).fetchone()["got"]:  # type: ignore[index,call-overload]
                    time.sleep(0.1)
                try:
                    saver.setup()
                finally:
                    conn.execute(_SETUP_UNLOCK_SQL)
            _set_up.add(uri)
    return saver
