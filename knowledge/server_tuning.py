"""PostgreSQL memory settings that scale with the catalog and the machine (the rules: docs/scale.md).

A search touches the HNSW graph, the full-text GIN index and the part-number trigram index; when they do not fit
in shared buffers every vector walk copies pages in from the OS cache. Building the HNSW index is several times
faster when its whole graph fits in `maintenance_work_mem`. Both grow with the number of parts.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass

from sqlalchemy import Engine, create_engine, text

from knowledge.settings import Settings, get_settings

log = logging.getLogger(__name__)
MB = 1 << 20
# Measured per part on the demo catalog (pg_relation_size / parts): HNSW 2.05 KB, full-text GIN 1.04 KB,
# number trigram GIN 0.34 KB plus its table 0.06 KB.
HOT_BYTES_PER_PART = 3_500
# pgvector's in-memory build graph: 384 float4 (1.5 KB) plus m=16 neighbour lists on two layers, with slack.
HNSW_BUILD_BYTES_PER_PART = 2_400
# Below this the server's own settings (and the 512MB shared-buffers floor) already hold the whole catalog.
TUNE_MIN_PARTS = 50_000


@dataclass(frozen=True)
class ServerSizing:
    """Settings in megabytes (and a worker count) for a catalog size on a machine."""

    shared_buffers_mb: int
    effective_cache_size_mb: int
    work_mem_mb: int
    maintenance_work_mem_mb: int
    max_parallel_maintenance_workers: int


def machine_memory_mb() -> int:
    return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // MB)


def machine_cpus() -> int:
    return len(os.sched_getaffinity(0))


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, value)))


def size_for(parts: int, memory_mb: int | None = None, cpus: int | None = None,
             floor_shared_buffers_mb: int = 512) -> ServerSizing:
    """The settings for `parts` catalog parts: shared buffers hold the search indexes (a quarter of the memory at
    most), an index build gets the whole HNSW graph (two fifths at most), one maintenance worker per spare core."""
    memory = memory_mb or machine_memory_mb()
    shared = _clamp(parts * HOT_BYTES_PER_PART * 1.25 / MB, floor_shared_buffers_mb, max(memory // 4, 128))
    return ServerSizing(
        shared_buffers_mb=shared,
        effective_cache_size_mb=max(memory * 3 // 4, shared),
        # per sort or hash per connection: the pool has up to 30, each search ranks a few hundred candidates
        work_mem_mb=_clamp(memory / 1024, 4, 32),
        maintenance_work_mem_mb=_clamp(parts * HNSW_BUILD_BYTES_PER_PART / MB + 64, 64, max(memory * 2 // 5, 64)),
        max_parallel_maintenance_workers=_clamp((cpus or machine_cpus()) - 1, 0, 7),
    )


def _current_mb(conn, name: str) -> int:  # type: ignore[no-untyped-def]
    return int(conn.execute(text("SELECT pg_size_bytes(current_setting(:n)) / 1048576"), {"n": name}).scalar_one())


def tune_server(engine: Engine, parts: int, settings: Settings | None = None) -> ServerSizing:
    """Apply the sizing for `parts` to the embedded server (raising shared buffers restarts it once); with a
    DATABASE_URL the server is someone else's: the sizing is only logged."""
    settings = settings or get_settings()
    with engine.connect() as conn:
        floor = int(conn.execute(text("SELECT pg_size_bytes(:v) / 1048576"),
                                 {"v": settings.embedded_shared_buffers}).scalar_one())
    sizing = size_for(parts, floor_shared_buffers_mb=floor)
    if parts < TUNE_MIN_PARTS:
        return sizing
    if settings.database_url:
        log.info("server sizing for %d parts (not applied to an external server): %s", parts, asdict(sizing))
        return sizing
    admin = create_engine(engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for name in ("effective_cache_size", "work_mem", "maintenance_work_mem"):
                conn.execute(text(f"ALTER SYSTEM SET {name} = '{getattr(sizing, name + '_mb')}MB'"))
            conn.execute(text("SELECT pg_reload_conf()"))
            restart = _current_mb(conn, "shared_buffers") < sizing.shared_buffers_mb
            if restart:
                conn.execute(text(f"ALTER SYSTEM SET shared_buffers = '{sizing.shared_buffers_mb}MB'"))
    finally:
        admin.dispose()
    if restart:
        from knowledge.db import embedded_server, stop_embedded

        log.info("restarting the embedded server with shared_buffers = %d MB", sizing.shared_buffers_mb)
        engine.dispose()
        stop_embedded(settings)
        embedded_server(settings).ensure_postgres_running()
    log.info("server sized for %d parts: %s", parts, asdict(sizing))
    return sizing
