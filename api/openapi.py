"""The OpenAPI document as generated clients (openapi-python-client, openapi-typescript) want it: operation ids
that are the route functions' names (`search_catalog`, not `search_catalog_api_v1_parts_catalog_search_get`),
unique across the app, and file fields typed `string`/`binary`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts


class DuplicateOperationIdError(RuntimeError):
    """Two routes of one app would share an operationId (a generated client could call only one of them)."""


def operation_id(route: APIRoute) -> str:
    """A route's operationId (FastAPI's `generate_unique_id_function`): its name, the route function's name
    unless the route sets `name=`."""
    return route.name


def check_operation_ids(app: FastAPI) -> None:
    """Raise DuplicateOperationIdError when two operations of `app` (hidden ones included) share an id."""
    seen: dict[str, str] = {}
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        for method in sorted(route.methods or ()):
            where = f"{method} {route.path}"
            unique_id: str = route.unique_id
            first = seen.setdefault(unique_id, where)
            if first != where:
                raise DuplicateOperationIdError(
                    f"operationId {unique_id!r} names both {first} and {where}: rename one route "
                    "function or give it `name=`")


def binary_file_fields(node: Any) -> Any:
    """The schema with every OpenAPI 3.1 file field (`contentMediaType`, how FastAPI types an UploadFile) typed
    `format: binary` instead, which generated clients read as a file (they read the 3.1 form as a plain string
    and send the form field as text: 422)."""
    if isinstance(node, list):
        return [binary_file_fields(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: binary_file_fields(value) for key, value in node.items()}
    if out.get("type") == "string" and "contentMediaType" in out and "contentEncoding" not in out:
        del out["contentMediaType"]
        out["format"] = "binary"
    return out


def install_client_friendly_openapi(app: FastAPI) -> None:
    """Serve `app`'s OpenAPI document with unique operation ids checked and file fields as `format: binary`."""
    generate: Callable[[], dict[str, Any]] = app.openapi  # FastAPI's own: cached until the routes change
    served: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        schema = generate()
        if not served or served[0] is not schema:
            check_operation_ids(app)
            schema = app.openapi_schema = binary_file_fields(schema)
            served[:] = [schema]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
