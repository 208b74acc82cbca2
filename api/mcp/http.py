"""Streamable HTTP at `/mcp` in the FastAPI app, authenticated by the REST API's per-user keys
(`Authorization: Bearer pp_…` or `X-API-Key`): 401 without a valid one, as REST answers.

The MCP server and its session manager are built when the app starts (its lifespan), not when the app is made,
so building the app stays cheap and touches no database.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from sqlalchemy import Engine
from starlette.datastructures import Headers
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from api.mcp.bridge import CallerSource
from api.mcp.server import build_mcp_server
from tools.context import Caller, caller_for_api_key

MCP_PATH = "/mcp"
CHANNEL = "mcp"


def api_key_of(headers: Headers | Any) -> str | None:
    """The key of `Authorization: Bearer <key>` or `X-API-Key: <key>`, as REST reads it."""
    authorization = headers.get("authorization") or ""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return str(token.strip())
    key = headers.get("x-api-key")
    return str(key) if key else None


def caller_for_key(engine: Engine, key: str | None) -> Caller | None:
    caller = caller_for_api_key(engine, key) if key else None
    return dataclasses.replace(caller, channel=CHANNEL) if caller is not None else None


def caller_from_headers(engine: Callable[[], Engine]) -> CallerSource:
    """Each MCP request acts as the user of the key it carries (checked again per request, so a revoked key stops
    working at once)."""

    def caller(ctx: Context[Any, Any]) -> Caller:
        found = caller_for_key(engine(), api_key_of(ctx.headers or {}))
        if found is None:
            raise ToolError("Invalid or revoked API key.")
        return found

    return caller


async def _unauthorized(send: Send, message: str, challenge: str) -> None:
    body = json.dumps({"error": "unauthorized", "message": message}).encode()
    await send({"type": "http.response.start", "status": 401, "headers": [
        (b"content-type", b"application/json"), (b"www-authenticate", challenge.encode()),
        (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class McpEndpoint:
    """The ASGI app at /mcp: the key check, then the SDK's streamable HTTP transport."""

    def __init__(self, engine: Callable[[], Engine], bind_host: str) -> None:
        self.engine = engine
        self.bind_host = bind_host
        self.manager: StreamableHTTPSessionManager | None = None
        self._ready: anyio.Event | None = None  # set while the app runs (its lifespan), once the server is up

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Build the server and run its session manager beside the app, so the app starts without waiting for
        the tools' schemas; an MCP request that comes first waits for them."""
        stop, self._ready = anyio.Event(), anyio.Event()
        async with anyio.create_task_group() as group:
            group.start_soon(self._serve, stop, self._ready)
            try:
                yield
            finally:
                stop.set()
                self._ready = None

    async def _serve(self, stop: anyio.Event, ready: anyio.Event) -> None:
        server = await anyio.to_thread.run_sync(build_mcp_server, self.engine, caller_from_headers(self.engine))
        server.streamable_http_app(streamable_http_path=MCP_PATH, host=self.bind_host)
        async with server.session_manager.run():
            self.manager = server.session_manager
            ready.set()
            try:
                await stop.wait()
            finally:
                self.manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = api_key_of(Headers(scope=scope))
        if not key:
            await _unauthorized(send, "Missing API key: send `Authorization: Bearer <key>` or `X-API-Key`.",
                                'Bearer realm="partpilot"')
            return
        caller = await anyio.to_thread.run_sync(lambda: caller_for_key(self.engine(), key))
        if caller is None:
            await _unauthorized(send, "Invalid or revoked API key.", 'Bearer realm="partpilot", error="invalid_token"')
            return
        if self._ready is not None:
            with anyio.fail_after(60):
                await self._ready.wait()
        manager = self.manager
        if manager is None:
            raise RuntimeError("the MCP endpoint serves only while the app runs (its lifespan)")
        # The session manager binds each MCP session to the user that opened it: another key cannot take it over.
        scope["user"] = AuthenticatedUser(AccessToken(token="", client_id=str(caller.user_id), scopes=[]))
        await manager.handle_request(scope, receive, send)


def mount_mcp(app: FastAPI, engine: Callable[[], Engine], bind_host: str = "127.0.0.1") -> None:
    """Serve MCP at /mcp and run its session manager within the app's lifespan (around any lifespan it has)."""
    endpoint = McpEndpoint(engine, bind_host)
    app.router.routes.append(Route(MCP_PATH, endpoint=endpoint, methods=["GET", "POST", "DELETE"],
                                   include_in_schema=False))
    app.router.lifespan_context = _around(app.router.lifespan_context, endpoint)


def _around(inner: Callable[[Any], AbstractAsyncContextManager[Any]],
            endpoint: McpEndpoint) -> Callable[[Any], AbstractAsyncContextManager[Any]]:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        async with endpoint.running(), inner(app) as state:
            yield state

    return lifespan
