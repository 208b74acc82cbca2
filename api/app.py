"""The FastAPI application: health and catalog search (the API grows with later issues)."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from api.routes import catalog, health
from channels.hub import channel_routers

log = logging.getLogger(__name__)


def create_app() -> FastAPI:
    app = FastAPI(
        title="Partpilot",
        version="0.1.0",
        description="Source spare parts for elevator, HVAC, electrical and medical equipment.",
    )
    app.include_router(health.router)
    app.include_router(catalog.router)
    for router in channel_routers():  # Slack and SMS, when their keys are set
        app.include_router(router)
    return app
