"""Conversation memory in the same Postgres database (langgraph-checkpoint-postgres)."""

from __future__ import annotations

from functools import lru_cache

from langgraph.checkpoint.postgres import PostgresSaver
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool
from sqlalchemy import Engine


def conninfo(engine: Engine) -> str:
    """A libpq URI for the engine's database (psycopg takes the socket directory as ?host=)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


@lru_cache(maxsize=4)
def _pool(uri: str) -> ConnectionPool:
    return ConnectionPool(uri, min_size=1, max_size=10, open=True,
                          kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})


def postgres_checkpointer(engine: Engine) -> PostgresSaver:
    """A checkpointer on the store's database, its tables created on first use."""
    saver = PostgresSaver(_pool(conninfo(engine)))  # type: ignore[arg-type]
    saver.setup()
    return saver
