"""A loopback server speaking the OpenAI Chat Completions wire format (`POST /v1/chat/completions`), as OpenAI,
vLLM, llama.cpp's server, LM Studio and OpenRouter do: a `chat.completion` JSON object with `message.tool_calls`,
or — when the request says `"stream": true` — server-sent events, one `chat.completion.chunk` per `data:` line
(text as `delta.content` pieces, each tool call's arguments as `delta.tool_calls` fragments by index, usage
last when `stream_options.include_usage` asks for it), ending with `data: [DONE]`."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from tests.fakes.chat_script import ScriptedServer, json_body, pieces, text_reply, tool_calls

__all__ = ["FakeOpenAI", "text_reply", "tool_calls"]
ERROR_TYPES = {400: "invalid_request_error", 401: "invalid_request_error", 404: "invalid_request_error",
               429: "rate_limit_exceeded", 500: "server_error", 503: "server_error"}
USAGE = {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}


def _wire_calls(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": json.dumps(c["args"])}}
            for c in item["calls"]]


def _finish(item: dict[str, Any]) -> str:
    return "tool_calls" if item["calls"] else "stop"


class FakeOpenAI(ScriptedServer):
    """Scripted Chat Completions. `api_key_seen(i)` is the bearer token request i carried."""

    def api_key_seen(self, i: int) -> str:
        return self.headers[i].get("authorization", "").removeprefix("Bearer ")

    def answer(self, path: str, headers: dict[str, str], body: dict[str, Any],
               item: dict[str, Any]) -> tuple[int, str, Iterable[bytes]]:
        if path.rstrip("/") != "/v1/chat/completions":
            item = {"status": 404, "message": f"Unknown request URL: POST {path}"}
        elif not headers.get("authorization", "").startswith("Bearer "):
            item = {"status": 401, "message": "You didn't provide an API key."}
        status = int(item.get("status", 200))
        if status != 200:
            error = {"message": item.get("message", "The server had an error while processing your request."),
                     "type": ERROR_TYPES.get(status, "server_error"), "param": None, "code": None}
            return status, "application/json", json_body({"error": error})
        head = {"id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "created": int(time.time()),
                "model": body.get("model", "")}
        if body.get("stream"):
            usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return 200, "text/event-stream", self._events(head, item, usage)
        message: dict[str, Any] = {"role": "assistant", "content": item["text"] or None, "refusal": None}
        if item["calls"]:
            message["tool_calls"] = _wire_calls(item)
        return 200, "application/json", json_body({
            **head, "object": "chat.completion", "usage": USAGE,
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": _finish(item)}]})

    def _events(self, head: dict[str, Any], item: dict[str, Any], usage: bool) -> Iterator[bytes]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
            data = {**head, "object": "chat.completion.chunk",
                    "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
            return f"data: {json.dumps(data)}\n\n".encode()

        yield chunk({"role": "assistant", "content": ""})
        for piece in pieces(item["text"]):
            yield chunk({"content": piece})
        for index, call in enumerate(_wire_calls(item)):
            yield chunk({"tool_calls": [{"index": index, "id": call["id"], "type": "function",
                                         "function": {"name": call["function"]["name"], "arguments": ""}}]})
            raw = call["function"]["arguments"]
            for start in range(0, len(raw), 7):
                yield chunk({"tool_calls": [{"index": index, "function": {"arguments": raw[start:start + 7]}}]})
        yield chunk({}, _finish(item))
        if usage:
            last = {**head, "object": "chat.completion.chunk", "choices": [], "usage": USAGE}
            yield f"data: {json.dumps(last)}\n\n".encode()
        yield b"data: [DONE]\n\n"
