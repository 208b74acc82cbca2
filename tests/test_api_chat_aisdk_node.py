"""The Vercel AI SDK's own client (the `ai` package: DefaultChatTransport, readUIMessageStream, the Chat
machinery behind useChat) drives a search turn and an approval turn against the real app under uvicorn.
Needs node and `npm ci --prefix tests/node/aisdk`; skips (saying which) only when one of them is missing."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from channels.fakes.app_server import AppServer
from partpilot.wiring import create_app
from tests.test_api_chat import WANTED, count
from tests.tool_helpers import MARIA
from tools.context import create_api_key

AISDK = Path(__file__).resolve().parent / "node" / "aisdk"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="node is not installed (the AI SDK contract test runs the `ai` package)"),
    pytest.mark.skipif(not (AISDK / "node_modules" / "ai").is_dir(),
                       reason="the `ai` package is not installed: npm ci --prefix tests/node/aisdk"),
]


@pytest.fixture(scope="module")
def server(engine: Engine) -> Iterator[str]:
    with AppServer(create_app()) as running:
        yield running.url


@pytest.fixture(scope="module")
def turns(server: str, engine: Engine) -> Iterator[dict[str, Any]]:
    before = count(engine, WANTED, e=MARIA)
    done = subprocess.run([str(NODE), "chat_turns.mjs", server, create_api_key(engine, MARIA, label="aisdk-node")],
                          cwd=AISDK, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    result: dict[str, Any] = json.loads(done.stdout)
    result["written"] = count(engine, WANTED, e=MARIA) - before
    yield result


def test_a_search_turn_reads_as_text_and_a_whole_tool_output(turns: dict[str, Any]) -> None:
    search = turns["search"]
    assert "GAA24350BH1" in search["text"]
    tool = next(t for t in search["tools"] if t["type"] == "tool-search_parts")
    assert tool["state"] == "output-available"
    results = tool["output"]["results"]
    assert results[0]["part_number"] == "GAA24350BH1" and all(isinstance(r, dict) for r in results)
    assert len(results) > 3, "the whole list, not the 3-item preview"
    assert "data-tool-preview" in search["data"]


def test_an_approval_turn_asks_then_writes_after_the_sdk_approves(turns: dict[str, Any]) -> None:
    approval = turns["approval"]
    assert approval["errors"] == [] and approval["status"] == "ready"
    asked = next(t for t in approval["asked"]["tools"] if t["type"] == "tool-create_wanted_post")
    assert asked["state"] == "approval-requested" and asked["approval"]["id"]
    assert approval["answerRequest"] == {"trigger": "submit-message", "lastRole": "assistant"}
    user, assistant = approval["messages"]  # the answer's stream continued the message that asked
    assert user["text"].startswith("post a wanted request") and assistant["id"] == approval["asked"]["id"]
    done = next(t for t in assistant["tools"] if t["toolCallId"] == asked["toolCallId"])
    assert done["state"] == "output-available" and done["output"]["post"]["quantity_needed"] == 2
    assert done["approval"]["approved"] is True
    assert assistant["text"] and assistant["text"] != approval["asked"]["text"]
    assert turns["written"] == 1
