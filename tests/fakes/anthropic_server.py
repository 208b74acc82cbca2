"""A loopback HTTP server that speaks the Anthropic Messages API wire format with scripted replies."""

from __future__ import annotations

import json
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


class FakeAnthropic:
    """Scripted `POST /v1/messages`. Each script item is a reply dict, or {"status": 529, ...} for an API
    error, or {"delay": seconds, ...} to make the client time out."""

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
                if status != 200:
                    payload = {"type": "error", "error": {"type": item.get("error_type", "overloaded_error"),
                                                          "message": item.get("message", "Overloaded")}}
                else:
                    payload = {
                        "id": f"msg_{uuid.uuid4().hex[:24]}", "type": "message", "role": "assistant",
                        "model": body.get("model", "claude-test"), "content": item["content"],
                        "stop_reason": item["stop_reason"], "stop_sequence": None,
                        "usage": {"input_tokens": 100, "output_tokens": 20},
                    }
                raw = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("request-id", f"req_{uuid.uuid4().hex[:12]}")
                    self.send_header("content-length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

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
