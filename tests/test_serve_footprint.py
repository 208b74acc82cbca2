"""`partpilot serve` runs the ONNX encoder only: after a chat turn (a catalog search embeds the query) the
server process has not mapped torch, which sentence-transformers would bring (~450 MB resident)."""

from __future__ import annotations

import httpx
from sqlalchemy import Engine

from partpilot.bench.api import running_server
from partpilot.bench.proc import mapped_libraries, rss_mb
from tests.tool_helpers import MARIA
from tools.context import create_api_key


def test_serve_answers_a_chat_turn_without_torch(engine: Engine) -> None:
    headers = {"Authorization": f"Bearer {create_api_key(engine, MARIA, label='footprint')}"}
    with running_server() as served:
        assert served.pid is not None
        with httpx.Client(base_url=served.base, headers=headers, timeout=120) as client:
            turn = client.post("/api/v1/chat/footprint-1", json={"message": "door operator for an otis gen2"})
        assert turn.status_code == 200 and '"toolName":"search_parts"' in turn.text.replace(" ", "")
        libraries = mapped_libraries(served.pid)
        resident = rss_mb(served.pid)
    assert any("onnxruntime" in name for name in libraries), sorted(libraries)
    torch = sorted(name for name in libraries if name.startswith(("libtorch", "libc10")))
    assert torch == [], f"torch loaded into the server ({resident:.0f} MB resident): {torch}"
