"""Partpilot as an MCP server over the one tool registry (see docs/mcp.md)."""

from api.mcp.http import MCP_PATH, mount_mcp
from api.mcp.server import build_mcp_server, fixed_caller

__all__ = ["MCP_PATH", "build_mcp_server", "fixed_caller", "mount_mcp"]
