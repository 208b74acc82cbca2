"""Alembic, driven from code so that `partpilot db upgrade` works from any directory."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

from knowledge.db import database_url, ensure_extensions, get_engine

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    rendered = url or database_url().render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    """Create the required extensions, then apply migrations up to `revision`."""
    engine = engine or get_engine()
    ensure_extensions(engine)
    url = engine.url.render_as_string(hide_password=False)
    command.upgrade(alembic_config(url), revision)


def is_migrated(engine: Engine | None = None) -> bool:
    engine = engine or get_engine()
    return inspect(engine).has_table("parts_catalog")


@lru_cache(maxsize=1)
def migrations_head() -> str | None:
    """The newest migration this code ships (read once: the files do not change under a running process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(url="postgresql://")).get_current_head()


def readiness(engine: Engine) -> dict[str, object]:
    """Whether the store can serve: it answers, and its schema is at the newest migration. Raises the driver's
    error when the database cannot be reached."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import text

    head = migrations_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        # the planner's estimate: a count(*) would scan the catalog on every health check
        parts = conn.execute(text("SELECT greatest(reltuples, 0) FROM pg_class "
                                  "WHERE oid = 'parts_catalog'::regclass")).scalar_one() if current else 0
    return {"database": "ok", "migrations": "head" if current == head else f"at {current}, head is {head}",
            "ready": current == head, "catalog_parts": int(parts)}
