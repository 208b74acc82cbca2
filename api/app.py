"""The FastAPI application: health, the parts catalog and the marketplace REST API (OpenAPI at /docs)."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.routes import bidding, catalog, health, holds, inventory, listings, offers, pricing, transactions, wanted
from api.routes.web import install_web
from channels.hub import channel_routers

log = logging.getLogger(__name__)


def create_app() -> FastAPI:
    app = FastAPI(
        title="Partpilot",
        version="0.1.0",
        description="Source spare parts for elevator, HVAC, electrical and medical equipment.",
    )
    install_error_handlers(app)
    app.include_router(health.router)
    for area in (catalog, inventory, holds, listings, offers, transactions, wanted, bidding, pricing):
        app.include_router(area.router)
    install_web(app)
    for router in channel_routers():  # Slack and SMS, when their keys are set
        app.include_router(router)
    return app
