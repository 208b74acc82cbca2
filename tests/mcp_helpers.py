"""What the MCP tests share: the official MCP client on the stdio server (`partpilot mcp --as`) and on the
streamable HTTP endpoint of the real app under uvicorn, and an elicitation answer that records its questions."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx2
import mcp_types as types
from mcp import StdioServerParameters
from mcp.client import Client, ClientRequestContext
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy import Engine, text

REPO = Path(__file__).resolve().parent.parent
PARTPILOT = str(Path(sys.executable).parent / "partpilot")
MARIA = "maria.gonzalez@summitvm.example"  # technician: may buy, may not sell
LINDA = "linda.park@summitvm.example"  # parts manager


def stdio_params(email: str) -> StdioServerParameters:
    """`partpilot mcp --as email` on the test database (this process's PARTPILOT_HOME and database name)."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PARTPILOT_HOME", "DATABASE_URL",
                                                        "EMBEDDED_DATABASE_NAME", "EMBEDDED_FSYNC", "EMBEDDED_DATA_DIR",
                                                        "HF_HUB_OFFLINE")}
    return StdioServerParameters(command=PARTPILOT, args=["mcp", "--as", email], env=env, cwd=str(REPO))


@asynccontextmanager
async def http_client(url: str, key: str, **options: Any) -> AsyncIterator[Client]:
    """The official client on `url`/mcp with `Authorization: Bearer key`."""
    async with (httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=60) as http,
                Client(streamable_http_client(f"{url}/mcp", http_client=http), **options) as client):
        yield client


class Answers:
    """An elicitation callback that answers every question with `confirm` (or declines) and keeps the questions."""

    def __init__(self, action: str = "accept", confirm: bool = True) -> None:
        self.action, self.confirm = action, confirm
        self.questions: list[types.ElicitRequestFormParams] = []

    async def __call__(self, context: ClientRequestContext,
                       params: types.ElicitRequestParams) -> types.ElicitResult | types.ErrorData:
        assert isinstance(params, types.ElicitRequestFormParams), params
        self.questions.append(params)
        if self.action != "accept":
            return types.ElicitResult(action=self.action)  # type: ignore[arg-type]
        return types.ElicitResult(action="accept", content={"confirm": self.confirm})


def alert_args(**extra: Any) -> dict[str, Any]:
    """create_deal_alert arguments no other test uses: a part number of its own."""
    return {"part_number": f"MCP-{uuid.uuid4().hex[:10].upper()}", "max_price": 123, **extra}


def alerts_for(engine: Engine, part_number: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM deal_alerts WHERE part_number = :p"),
                                {"p": part_number}).scalar_one())


def some_row(engine: Engine, sql: str) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text(sql)).scalar_one())
