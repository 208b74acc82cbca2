"""A loopback HTTP server that speaks the Anthropic Messages API wire format with scripted replies: a JSON
message, or — when the request says `"stream": true` — the server-sent-event stream the real API sends
(message_start, content_block_start / _delta / _stop, message_delta, message_stop; text as text_delta pieces,
tool input as input_json_delta pieces)."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def text_reply(text: str) -> dict[str, Any]:
    return {"content": [{"type": "text", "text": text}], "stop_reason": "end_turn"}


def tool_use(name: str, args: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    content.append({"type": "tool_use", "id": f"toolu_{uuid.uuid4().hex[:20]}", "name": name, "input": args})
    return {"content": content, "stop_reason": "tool_use"}


def _pieces(text: str, size: int) -> list[str]:
    """Cut text into word pieces of about `size` characters, the way the API streams tokens."""
    words = re.findall(r"\S+\s*|\s+", text)
    out: list[str] = []
    for word in words:
        if out and len(out[-1]) + len(word) <= size:
            out[-1] += word
        else:
            out.append(word)
    return out or [""]


def sse_events(message: dict[str, Any], item: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The Messages API event stream for one scripted reply (`item["stream_error"]` breaks it off midway
    with an `error` event, as the API does when it overloads mid-answer)."""
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None,
             "usage": {"input_tokens": message["usage"]["input_tokens"], "output_tokens": 1}}
    events: list[tuple[str, dict[str, Any]]] = [("message_start", {"type": "message_start", "message": start}),
                                                ("ping", {"type": "ping"})]
    piece_size = int(item.get("piece_chars", 12))
    for index, block in enumerate(message["content"]):
        if block["type"] == "text":
            events.append(("content_block_start", {"type": "content_block_start", "index": index,
                                                   "content_block": {"type": "text", "text": ""}}))
            deltas = [{"type": "text_delta", "text": p} for p in _pieces(block["text"], piece_size)]
        else:
            events.append(("content_block_start", {"type": "content_block_start", "index": index, "content_block": {
                "type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}}))
            raw = json.dumps(block["input"])
            deltas = [{"type": "input_json_delta", "partial_json": raw[i:i + piece_size]}
                      for i in range(0, len(raw), piece_size)]
        for delta in deltas:
            events.append(("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}))
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    events.append(("message_delta", {"type": "message_delta", "delta": {
        "stop_reason": message["stop_reason"], "stop_sequence": None}, "usage": {"output_tokens": 20}}))
    events.append(("message_stop", {"type": "message_stop"}))
    if item.get("stream_error"):
        cut = max(3, len(events) // 2)
        error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
        events = [*events[:cut], ("error", error)]
    return events


class FakeAnthropic:
    """Scripted `POST /v1/messages`. Each script item is a reply dict, or {"status": 529, ...} for an API
    error, or {"delay": seconds, ...} to make the client time out, or a reply with {"stream_error": True} to
    break a streamed answer off with an error event. `streamed[i]` says whether request i asked to stream."""

    def __init__(self, script: list[dict[str, Any]]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.api_key_seen = lambda i: (self.headers[i].get("x-api-key")
                                       or self.headers[i].get("authorization", "").removeprefix("Bearer "))
        self.headers: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake.requests.append(body)
                fake.headers.append(headers)
                if not (headers.get("x-api-key") or headers.get("authorization", "").startswith("Bearer ")) \
                        or "anthropic-version" not in headers:
                    item = {"status": 401, "error_type": "authentication_error", "message": "invalid x-api-key"}
                else:
                    item = fake.script.pop(0) if fake.script else text_reply("(script exhausted)")
                if item.get("delay"):
                    time.sleep(item["delay"])
                    item = {**text_reply("(too late)"), **item}
                status = item.get("status", 200)
                try:
                    if status != 200:
                        self._json(status, {"type": "error", "error": {
                            "type": item.get("error_type", "overloaded_error"),
                            "message": item.get("message", "Overloaded")}})
                        return
                    message = {
                        "id": f"msg_{uuid.uuid4().hex[:24]}", "type": "message", "role": "assistant",
                        "model": body.get("model", "claude-test"), "content": item["content"],
                        "stop_reason": item["stop_reason"], "stop_sequence": None,
                        "usage": {"input_tokens": 100, "output_tokens": 20},
                    }
                    if body.get("stream"):
                        self._sse(sse_events(message, item))
                    else:
                        self._json(200, message)
                except (BrokenPipeError, ConnectionResetError):
                    return

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("request-id", f"req_{uuid.uuid4().hex[:12]}")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _sse(self, events: list[tuple[str, dict[str, Any]]]) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("cache-control", "no-cache")
                self.send_header("request-id", f"req_{uuid.uuid4().hex[:12]}")
                self.end_headers()  # HTTP/1.0: the body ends when the connection closes
                for name, data in events:
                    self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
                    self.wfile.flush()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def streamed(self) -> list[bool]:
        return [bool(r.get("stream")) for r in self.requests]

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeAnthropic:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
