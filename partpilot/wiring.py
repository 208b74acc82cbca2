"""The one place that builds the application from its layers: the store's engine, the settings (config.py),
the agent runner and its gateway (agent), the channel hub (channels) and the HTTP app (api + channels).

Each process has one of each, built on first use, so importing this module touches no database."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import lru_cache

import procrastinate.exceptions
import psycopg
import psycopg_pool
from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from agent.gateway import Gateway
from agent.runner import AgentRunner
from api.app import create_api
from api.deps import current_caller
from api.errors import ERROR_RESPONSES
from api.mcp import mount_mcp
from api.openapi import check_operation_ids
from channels.hub import ChannelHub
from channels.web.chat import chat_router
from channels.web.page import STATIC
from channels.web.page import router as page_router
from knowledge.channel_ledger import ChannelLedger
from knowledge.db import get_engine
from knowledge.migrate import readiness
from knowledge.settings import get_settings
from partpilot.config import AppSettings, get_app_settings
from partpilot.jobs import BackgroundWorker, ProcrastinateQueue, worker_app
from partpilot.notice_pump import NoticePump
from partpilot.telemetry import observe

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def shared_runner() -> AgentRunner:
    """One agent (graph compiled once, planner loaded once) for all web chat requests of the process. The channel
    hub builds its own with the hub (get_hub), so that forgetting the configuration renews both."""
    return AgentRunner(get_engine())


@lru_cache(maxsize=1)
def shared_gateway() -> Gateway:
    return Gateway(get_engine())


def build_hub(settings: AppSettings, engine: Engine,
              runner_factory: Callable[[], AgentRunner] | None = None) -> ChannelHub:
    """A channel hub over `engine`, queueing its jobs on the same database (tests build their own with a
    scripted planner)."""
    return ChannelHub(settings, Gateway(engine), ChannelLedger(engine),
                      runner_factory or (lambda: AgentRunner(engine)), ProcrastinateQueue(engine))


@lru_cache(maxsize=1)
def get_hub() -> ChannelHub:
    """The server's one hub (built on first use from the Settings and the store's engine)."""
    return build_hub(get_app_settings(), get_engine())


def forget_configuration() -> None:
    """Read the environment again on next use: the settings and the channel hub built from them (tests and the
    channels benchmark switch channels on and off by environment variables)."""
    get_settings.cache_clear()
    get_app_settings.cache_clear()
    get_hub.cache_clear()


def channel_routers() -> list[APIRouter]:
    """Routers of the channels whose keys are set (no Slack/Twilio keys: an empty list, no DB touched)."""
    settings = get_app_settings()
    if not (settings.slack_enabled or settings.sms_enabled):
        return []
    return get_hub().routers()


def in_process_worker(concurrency: int) -> BackgroundWorker:
    """A job worker in this process for the server's hub (`partpilot serve` without separate workers)."""
    return BackgroundWorker(worker_app(get_hub(), get_engine(), concurrency),
                            pump=NoticePump(get_hub(), get_engine()))


def create_app(bind_host: str = "127.0.0.1", job_concurrency: int = 0) -> FastAPI:
    """The REST API, the web chat (its API, the widget and the demo page) and the Slack and SMS webhooks whose
    keys are set. The widget runs on other sites' pages and authenticates with a bearer key (no cookies), so
    any origin may call the API. `bind_host`: the address the server listens on (the demo page signs in only
    on a loopback address). `job_concurrency` > 0: the app runs a job worker of its own while it serves."""
    app = create_api(store_down=(psycopg.OperationalError, psycopg_pool.PoolTimeout,
                                 procrastinate.exceptions.ConnectorException))
    if job_concurrency > 0:
        app.router.lifespan_context = _with_worker(job_concurrency)
    app.state.engine = get_engine
    app.state.readiness = lambda: readiness(get_engine())
    app.state.runner = shared_runner
    app.state.gateway = shared_gateway
    app.state.settings = get_app_settings
    app.state.bind_host = bind_host
    app.include_router(chat_router(current_caller, ERROR_RESPONSES))
    app.include_router(page_router)
    app.mount("/widget", StaticFiles(directory=STATIC), name="widget")
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                       allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Widget-Key"],
                       expose_headers=["x-vercel-ai-ui-message-stream"])
    for router in channel_routers():
        app.include_router(router)
    observe(app, get_engine)  # /metrics; a request id per request, carried into its logs and jobs
    mount_mcp(app, get_engine, bind_host)  # MCP over streamable HTTP, its session manager in the app's lifespan
    check_operation_ids(app)  # the channels' routes too: each operationId names one route
    return app


def _with_worker(concurrency: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        worker = in_process_worker(concurrency).start()
        try:
            yield
        finally:
            worker.stop()

    return lifespan
