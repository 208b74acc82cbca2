"""The REST API: health, the parts catalog and the marketplace (OpenAPI at /docs). Every module under
`api/routes/` that defines a `router` is included; nothing keeps a list of them. The application's wiring
(partpilot/wiring.py) adds the chat channels and says where the store is (`app.state.engine`). Operation ids
are the route functions' names (api/openapi.py): two routes with one name fail the build."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from fastapi import APIRouter, FastAPI

from api import routes
from api.errors import install_error_handlers
from api.openapi import check_operation_ids, install_client_friendly_openapi, operation_id


def route_modules() -> list[ModuleType]:
    """The modules of `api/routes/` that define a router, by name."""
    found = [importlib.import_module(f"{routes.__name__}.{info.name}")
             for info in pkgutil.iter_modules(routes.__path__) if not info.name.startswith("_")]
    return [module for module in found if isinstance(getattr(module, "router", None), APIRouter)]


def create_api(store_down: tuple[type[Exception], ...] = ()) -> FastAPI:
    """The REST API; `store_down`: the exception types (besides SQLAlchemy's) that mean the store is unreachable."""
    app = FastAPI(
        title="Partpilot",
        version="0.1.0",
        description="Source spare parts for elevator, HVAC, electrical and medical equipment.",
        generate_unique_id_function=operation_id,
    )
    install_error_handlers(app, store_down)
    install_client_friendly_openapi(app)
    for module in route_modules():
        app.include_router(module.router)
    check_operation_ids(app)
    return app
