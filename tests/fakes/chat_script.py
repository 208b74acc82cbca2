"""What the loopback model-provider fakes (openai_server, ollama_server) share: provider-neutral scripted replies
and a threaded loopback server that records each request (path, headers, JSON body) and can stream its answer.

A script item is `text_reply(...)` or `tool_calls(...)`, or {"status": 500 | 429 | ..., "message": ...} for an
API error, or {"delay": seconds, ...} to make the client time out."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


def text_reply(text: str) -> dict[str, Any]:
    return {"text": text, "calls": []}


def tool_calls(name: str, args: dict[str, Any], text: str = "") -> dict[str, Any]:
    """One tool call (the id is made here, the way the provider makes it) with optional text before it."""
    return {"text": text, "calls": [{"id": f"call_{uuid.uuid4().hex[:24]}", "name": name, "args": args}]}


def pieces(text: str, size: int = 8) -> list[str]:
    """Cut text into word pieces of about `size` characters, the way providers stream tokens."""
    out: list[str] = []
    for word in re.findall(r"\S+\s*|\s+", text):
        if out and len(out[-1]) + len(word) <= size:
            out[-1] += word
        else:
            out.append(word)
    return out


class ScriptedServer:
    """A loopback HTTP server answering POSTs from a script. Subclasses implement `answer`, which returns
    (status, content type, body chunks); chunks are written and flushed one by one, so a streamed answer
    arrives as the real API sends it."""

    def __init__(self, script: list[dict[str, Any]]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.paths: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                with fake.lock:
                    fake.requests.append(body)
                    fake.headers.append(headers)
                    fake.paths.append(self.path)
                    item = fake.script.pop(0) if fake.script else text_reply("(script exhausted)")
                if item.get("delay"):
                    time.sleep(item["delay"])
                    item = {**text_reply("(too late)"), **item}
                status, content_type, chunks = fake.answer(self.path, headers, body, item)
                try:
                    self.send_response(status)
                    self.send_header("content-type", content_type)
                    self.end_headers()  # HTTP/1.0: the body ends when the connection closes
                    for chunk in chunks:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    return

        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path: str, headers: dict[str, str], body: dict[str, Any],
               item: dict[str, Any]) -> tuple[int, str, Iterable[bytes]]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def streamed(self) -> list[bool]:
        return [bool(r.get("stream")) for r in self.requests]

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def json_body(payload: dict[str, Any]) -> list[bytes]:
    return [json.dumps(payload).encode()]
