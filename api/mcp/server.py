"""The Partpilot MCP server: the tool registry, a part and a listing as resources, prompts for common jobs.

Transports: stdio (`partpilot mcp --as EMAIL`, partpilot/cli/mcp_server.py) and streamable HTTP at `/mcp` in the
HTTP app (api/mcp/http.py), authenticated by the per-user API keys of the REST API.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import MCPServer
from sqlalchemy import Engine

from api.mcp.bridge import Backend, CallerSource, registry_tools
from api.mcp.confirmation import ConfirmationBook
from api.mcp.content import add_prompts, add_resources
from tools.context import Caller

INSTRUCTIONS = (
    "Partpilot sources spare parts for elevator, HVAC, electrical and medical equipment: find a part by number, "
    "description or photo, check it fits, find where it can be had fastest, judge the price, and trade on the "
    "marketplace. Tools marked read-only only look. Tools that change data ask the user to confirm (elicitation) "
    "or, when the client cannot ask, answer with a summary: show it to the user and call again with the same "
    "arguments and confirm: true only if they agree."
)


def build_mcp_server(engine: Callable[[], Engine], caller: CallerSource) -> MCPServer[Any]:
    """An MCP server over every registered tool, calling them as `caller(ctx)` on `engine()`."""
    backend = Backend(engine=engine, caller=caller, book=ConfirmationBook())
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    server: MCPServer[Any] = MCPServer("partpilot", title="Partpilot", instructions=INSTRUCTIONS, version="0.1.0",
                                       tools=registry_tools(backend), log_level="WARNING")
    # MCPServer configures the root logger when it has no handler; the application owns its logging.
    root.handlers[:] = handlers
    root.setLevel(level)
    add_resources(server, backend)
    add_prompts(server)
    return server


def fixed_caller(caller: Caller) -> CallerSource:
    """The caller of every request: the one user a stdio server runs as."""
    return lambda _ctx: caller
