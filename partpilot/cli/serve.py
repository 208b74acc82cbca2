"""`partpilot serve`: the API, the web chat and the channels' webhooks under uvicorn, with a job worker inside
by default; `partpilot worker`: a job worker on its own (channels/jobs.py, partpilot/jobs.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from typing import Annotated

import typer

_BIND_HOST, _JOBS = "PARTPILOT_SERVE_HOST", "PARTPILOT_SERVE_JOB_CONCURRENCY"


def served_app():  # type: ignore[no-untyped-def]
    """The app each uvicorn worker process builds (`serve --workers N` hands uvicorn this factory's path)."""
    from knowledge.encoders import warm_encoder
    from partpilot.logs import configure_logging
    from partpilot.tracing import setup_tracing
    from partpilot.wiring import create_app

    # a `--workers N` process starts afresh: the same logs and traces as the command's own process
    configure_logging(os.environ.get("PARTPILOT_LOG_LEVEL", "WARNING").upper())
    setup_tracing()
    warm_encoder()  # in every worker process, before its first request rather than during it
    return create_app(bind_host=os.environ.get(_BIND_HOST, "127.0.0.1"),
                      job_concurrency=int(os.environ.get(_JOBS, "0")))


def build_encoder_apart() -> None:
    """Build the configured encoders' files (search's and the planner's message encoder) in a child process if
    they are missing: building imports torch (~450 MB), which would otherwise stay resident in a server that only
    ever runs the built files."""
    from knowledge.encoders import active_encoder_name, encoder_built
    from knowledge.settings import get_settings

    for name in dict.fromkeys((active_encoder_name(), get_settings().nlu_encoder)):
        if not encoder_built(name):
            # a failed build is not fatal here: loading the encoder falls back to sentence-transformers
            subprocess.run([sys.executable, "-m", "partpilot.cli", "embeddings", "build", "--encoder", name],
                           check=False)


def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="API processes (uvicorn workers)")] = 1,
    worker: Annotated[bool, typer.Option(
        "--worker/--no-worker", help="Run a job worker inside each API process (the default: one command serves "
        "and delivers); --no-worker when separate `partpilot worker` processes run the jobs")] = True,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", min=1, help="Jobs that in-process worker runs at once (default CHANNEL_WORKERS)")] = None,
) -> None:
    """Serve Partpilot over HTTP (API, web chat, Slack and SMS webhooks), with an in-process job worker."""
    import uvicorn

    from partpilot.config import get_app_settings
    from partpilot.logs import uvicorn_log_config

    jobs = (jobs or get_app_settings().channel_workers) if worker else 0
    os.environ[_BIND_HOST], os.environ[_JOBS] = host, str(jobs)
    build_encoder_apart()
    if workers == 1:
        uvicorn.run(served_app(), host=host, port=port, log_level="info", log_config=uvicorn_log_config())
        return
    uvicorn.run("partpilot.cli.serve:served_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", log_config=uvicorn_log_config())


def worker(
    concurrency: Annotated[int | None, typer.Option(
        "--concurrency", min=1, help="Jobs run at once (default CHANNEL_WORKERS)")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Shown in the logs and the job table")] = None,
) -> None:
    """Run channel jobs (agent turns for Slack and SMS) until stopped with Ctrl-C or SIGTERM; as many workers
    as wanted, on any machine that reaches the database."""
    from knowledge.db import get_engine
    from knowledge.encoders import warm_encoder
    from partpilot.config import get_app_settings
    from partpilot.jobs import WorkerLoop, worker_app
    from partpilot.notice_pump import NoticePump
    from partpilot.wiring import get_hub

    concurrency = concurrency or get_app_settings().channel_workers
    build_encoder_apart()
    warm_encoder()
    hub = get_hub()
    hub.conversations.runner  # noqa: B018 -- the planner loads now, not during the first job
    loop = WorkerLoop(worker_app(hub, get_engine(), concurrency), NoticePump(hub, get_engine()),
                      **({"name": name} if name else {}))

    async def run() -> None:
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(stop_signal, loop.stop)
        await loop.run()

    asyncio.run(run())


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)
