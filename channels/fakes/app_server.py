"""The real ASGI app under uvicorn on a free loopback port, in a thread (tests and the channels bench post
signed webhooks to it over HTTP, and the fake Twilio posts status callbacks back to it)."""

from __future__ import annotations

import threading
import time
from typing import Any, Literal

import uvicorn


class AppServer:
    def __init__(self, app: Any, lifespan: Literal["on", "off"] = "off") -> None:
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                                    lifespan=lifespan))
        self._thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = ""

    def __enter__(self) -> AppServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)
