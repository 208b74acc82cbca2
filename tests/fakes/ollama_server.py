"""A loopback server speaking Ollama's `POST /api/chat`: one JSON object when the request says `"stream": false`,
else newline-delimited JSON (`application/x-ndjson`) — text as `message.content` pieces with `done: false`, tool
calls whole in `message.tool_calls` (arguments as an object, not a string), and a last object with `done: true`,
`done_reason` and the token counts. Errors are `{"error": "..."}` with the HTTP status."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from tests.fakes.chat_script import ScriptedServer, json_body, pieces, text_reply, tool_calls

__all__ = ["FakeOllama", "text_reply", "tool_calls"]
COUNTS = {"total_duration": 912_000_000, "load_duration": 2_100_000, "prompt_eval_count": 100,
          "prompt_eval_duration": 310_000_000, "eval_count": 20, "eval_duration": 600_000_000}


def _wire_calls(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": c["id"], "function": {"index": i, "name": c["name"], "arguments": c["args"]}}
            for i, c in enumerate(item["calls"])]


class FakeOllama(ScriptedServer):
    """Scripted `/api/chat` (streaming by default, as the API is)."""

    def answer(self, path: str, headers: dict[str, str], body: dict[str, Any],
               item: dict[str, Any]) -> tuple[int, str, Iterable[bytes]]:
        if path != "/api/chat":
            item = {"status": 404, "message": "404 page not found"}
        status = int(item.get("status", 200))
        if status != 200:
            return status, "application/json", json_body({"error": item.get("message", "llama runner crashed")})
        head = {"model": body.get("model", ""), "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z")}
        if body.get("stream", True):
            return 200, "application/x-ndjson", self._lines(head, item)
        message: dict[str, Any] = {"role": "assistant", "content": item["text"]}
        if item["calls"]:
            message["tool_calls"] = _wire_calls(item)
        return 200, "application/json", json_body({**head, "message": message, "done": True,
                                                   "done_reason": "stop", **COUNTS})

    def _lines(self, head: dict[str, Any], item: dict[str, Any]) -> Iterator[bytes]:
        def line(payload: dict[str, Any]) -> bytes:
            return (json.dumps({**head, **payload}) + "\n").encode()

        for piece in pieces(item["text"]):
            yield line({"message": {"role": "assistant", "content": piece}, "done": False})
        if item["calls"]:
            yield line({"message": {"role": "assistant", "content": "", "tool_calls": _wire_calls(item)},
                        "done": False})
        yield line({"message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop",
                    **COUNTS})
