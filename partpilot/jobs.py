"""The durable job queue on the store's own Postgres (procrastinate): API processes queue the channels' jobs
(channels/jobs.py), workers run them — `partpilot worker` processes, or one inside `partpilot serve`.

- Each job holds its conversation's lock, so one conversation's turns run one at a time and in the order they
  were queued, across any number of workers and machines.
- A job that raises (the store or a platform is down) is retried with backoff.
- A worker that dies mid-job (kill -9, a lost machine) stops sending heartbeats; every worker runs a periodic
  task that puts the jobs of such stalled workers back in the queue, and `channels/jobs.py` makes running a
  job again harmless.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

import procrastinate
import procrastinate.exceptions
import psycopg
from procrastinate import JobContext, RetryStrategy
from psycopg_pool import ConnectionPool
from sqlalchemy import Engine

from agent.checkpointer import conninfo
from channels.hub import ChannelHub
from channels.jobs import TurnJob
from partpilot.logs import REQUEST_ID_ARG, request_scope, with_request_id
from partpilot.notice_pump import NoticePump
from tools.schedule import ScheduledWork

log = logging.getLogger(__name__)
QUEUE = "channels"
CLOCK_QUEUE = "clock"  # scheduled work (tools/schedule.py) and sending notifications
TURN_TASK = "partpilot.channel_turn"
HEARTBEAT_SECONDS = 2.0
STALLED_AFTER_SECONDS = 10.0  # no heartbeat for this long: the worker is gone and its jobs are run again
RECONNECT_SECONDS = 2.0
POLL_SECONDS = 0.5
ENQUEUE_WAIT_SECONDS = 0.05
RETRY = RetryStrategy(max_attempts=10, exponential_wait=2)  # 2 s … ~17 min: outlives a database restart


class ProcrastinateQueue:
    """channels.jobs.JobQueue on procrastinate: `enqueue` commits the job before it returns."""

    def __init__(self, engine: Engine) -> None:
        from procrastinate import SyncPsycopgConnector

        self._engine = engine
        self._app = procrastinate.App(connector=SyncPsycopgConnector())
        self._open = False
        self._lock = threading.Lock()

    def enqueue(self, job: TurnJob) -> None:
        with self._lock:
            if not self._open:
                # Our own pool: opened without waiting, and a webhook waits at most ENQUEUE_WAIT_SECONDS for a
                # connection, so with the database down it gets its 503 (and the platform retries) at once.
                pool = ConnectionPool(conninfo(self._engine), min_size=1, max_size=10, timeout=ENQUEUE_WAIT_SECONDS,
                                      open=False, check=ConnectionPool.check_connection)
                pool.open(wait=False)
                self._app.open(pool)
                self._open = True
        # the job carries the request id of the webhook that queued it: its worker's log lines carry it too
        self._app.configure_task(TURN_TASK, queue=QUEUE, lock=job.conversation_key).defer(
            **with_request_id(job.as_args()))

    def close(self) -> None:
        with self._lock:
            if self._open:
                self._app.close()
                self._open = False


def worker_app(hub: ChannelHub, engine: Engine, concurrency: int, clock: bool = True) -> procrastinate.App:
    """A procrastinate app whose worker runs `hub`'s jobs and, with `clock`, the scheduled work (tests build one
    over a hub with a scripted planner, without the clock, so that it never changes the data under them)."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(engine), min_size=1,
                                                                    max_size=concurrency + 4),
                            worker_defaults={"queues": [QUEUE, CLOCK_QUEUE], "concurrency": concurrency,
                                             "update_heartbeat_interval": HEARTBEAT_SECONDS,
                                             "stalled_worker_timeout": STALLED_AFTER_SECONDS,
                                             "delete_jobs": "successful", "install_signal_handlers": False,
                                             # a job freed by another's end (same conversation lock) or put
                                             # back after a crash is not announced by NOTIFY: poll often
                                             "fetch_job_polling_interval": POLL_SECONDS})

    @app.task(name=TURN_TASK, queue=QUEUE, pass_context=True, retry=RETRY)
    def channel_turn(context: JobContext, **args: Any) -> None:
        assert context.job.id is not None
        with request_scope(args.pop(REQUEST_ID_ARG, None)):
            log.info("running %s job %s for %s", args.get("channel"), context.job.id, args.get("conversation_key"))
            hub.run_job(args, context.job.id)

    @app.periodic(cron="* * * * * */2", periodic_id="rescue_stalled")  # every 2 seconds (the 6th field)
    @app.task(name="partpilot.rescue_stalled_jobs", queue=QUEUE, pass_context=True, queueing_lock="rescue_stalled")
    async def rescue_stalled_jobs(context: JobContext, timestamp: int) -> None:
        stalled = await context.app.job_manager.get_stalled_jobs(queue=QUEUE,
                                                                 seconds_since_heartbeat=STALLED_AFTER_SECONDS)
        for job in stalled:
            log.warning("job %s (%s) was running on a worker that stopped: queued again", job.id, job.task_name)
            await context.app.job_manager.retry_job(job)

    if clock:
        _schedule_the_clock(app, engine)

        @app.periodic(cron="* * * * * */2", periodic_id="deliver_notices")  # every 2 seconds
        @app.task(name="partpilot.deliver_notices", queue=CLOCK_QUEUE, queueing_lock="deliver_notices")
        def deliver_notices(timestamp: int) -> None:
            sent = hub.deliver_notices()
            if sent:
                log.info("delivered %d notification(s)", sent)

    return app


def _schedule_the_clock(app: procrastinate.App, engine: Engine) -> None:
    """Every piece of scheduled work the tools declare (tools/schedule.py) as a periodic task: one run per
    period across all workers (procrastinate records each deferral), each run safe to repeat."""
    from knowledge import clock
    from tools.schedule import all_scheduled

    for work in all_scheduled():
        def run(timestamp: int, work: ScheduledWork = work) -> None:
            changed = work.run(engine, clock.now())
            if changed:
                log.info("%s: %d changed", work.name, changed)

        task = app.task(name=f"partpilot.clock.{work.name}", queue=CLOCK_QUEUE, queueing_lock=work.name)(run)
        app.periodic(cron=work.cron, periodic_id=work.name)(task)


class WorkerLoop:
    """A worker that outlives the database going away: procrastinate's worker stops when its connection is lost,
    and this starts a new one (a new worker id) after RECONNECT_SECONDS, until `stop()`. The jobs the old
    worker was running are put back by `rescue_stalled_jobs`."""

    def __init__(self, app: procrastinate.App, pump: NoticePump | None = None, **options: Any) -> None:
        self.app, self.options, self.pump = app, {**app.worker_defaults, **options}, pump
        self._stopping = False
        self._worker: Any = None

    async def run(self) -> None:
        if self.pump is not None:
            self.pump.start()
        try:
            await self._run()
        finally:
            if self.pump is not None:
                await asyncio.to_thread(self.pump.stop)

    async def _run(self) -> None:
        from procrastinate.worker import Worker

        while not self._stopping:
            try:
                async with self.app.open_async():
                    self._worker = Worker(app=self.app, **self.options)
                    await self._worker.run()
                if not self.options.get("wait", True):
                    return  # drained the queue, as asked
            except (procrastinate.exceptions.ConnectorException, psycopg.OperationalError, OSError) as exc:
                log.warning("job worker lost the database: %s", exc)
            if not self._stopping:
                log.warning("job worker stopped; starting a new one in %.0f s", RECONNECT_SECONDS)
                await asyncio.sleep(RECONNECT_SECONDS)

    def stop(self) -> None:
        """Finish the running jobs and return (SIGTERM, SIGINT, the server shutting down)."""
        self._stopping = True
        if self._worker is not None:
            self._worker.stop()


class BackgroundWorker:
    """A worker on its own event loop in a thread of this process (`partpilot serve`, tests)."""

    def __init__(self, app: procrastinate.App, name: str = "in-process", pump: NoticePump | None = None) -> None:
        self.app, self.name = app, name
        self._loop = asyncio.new_event_loop()
        self._worker = WorkerLoop(app, pump, name=name)
        self._thread = threading.Thread(target=self._run, name="job-worker", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._worker.run())
        except Exception:
            log.exception("the in-process job worker stopped")

    def start(self) -> BackgroundWorker:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30) -> None:
        self._loop.call_soon_threadsafe(self._worker.stop)
        self._thread.join(timeout)


def unfinished_turns(engine: Engine) -> int:
    """Channel jobs queued (due now) or running: 0 once every acknowledged message was answered."""
    from sqlalchemy import text

    with engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t AND (status = 'doing' OR "
            "(status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now())))"), {"t": TURN_TASK}).scalar_one())


def wait_for_turns(engine: Engine, timeout: float) -> bool:
    """Block until no channel job is queued or running (tests, benchmarks); False on timeout."""
    import time

    deadline = time.monotonic() + timeout
    while unfinished_turns(engine):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
