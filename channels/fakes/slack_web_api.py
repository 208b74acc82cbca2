"""A fake Slack Web API: auth.test, chat.postMessage / chat.update / chat.postEphemeral and
conversations.replies (with message metadata) with Bearer tokens and Slack's JSON responses, and private file
downloads that need the bot token (a login page without it)."""

from __future__ import annotations

import json
import threading
import time
from typing import Any
from urllib.parse import parse_qs

from channels.fakes._http import LoopbackServer, form_or_json

BOT_USER_ID, BOT_ID, TEAM_ID = "UBOT0001", "BBOT0001", "T0PARTS1"


class FakeSlackWebApi:
    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.file_requests: list[dict[str, str]] = []
        self._files: dict[str, tuple[bytes, str]] = {}
        self._ts = int(time.time() * 1_000_000)  # unique across runs: tests claim deliveries by ts
        self._lock = threading.Lock()
        self._threads: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.server = LoopbackServer(self._handle)
        self.base_url = f"{self.server.url}/api/"

    def close(self) -> None:
        self.server.close()

    def add_file(self, name: str, data: bytes, mimetype: str) -> str:
        """Host a private file; returns its url_private_download."""
        self._files[name] = (data, mimetype)
        return f"{self.server.url}/files-pri/{TEAM_ID}-F{len(self._files):05d}/download/{name}"

    def posted(self, method: str = "chat.postMessage") -> list[dict[str, Any]]:
        with self._lock:
            return [payload for name, payload in self.calls if name == method]

    def _next_ts(self) -> str:
        self._ts += 1
        return f"{self._ts // 1_000_000}.{self._ts % 1_000_000:06d}"

    def _handle(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str, bytes]:
        if path.startswith("/files-pri/"):
            return self._file(path, headers)
        method, _, query = path.removeprefix("/api/").partition("?")
        payload = {**{k: v[0] for k, v in parse_qs(query).items()}, **form_or_json(headers, body)}
        if headers.get("authorization") != f"Bearer {self.token}":
            return self._json({"ok": False, "error": "invalid_auth"})
        for name in ("blocks", "metadata"):
            if isinstance(payload.get(name), str):
                payload[name] = json.loads(payload[name])
        with self._lock:
            payload["_received_at"] = time.time()  # when it arrived, for benchmarks timing replies
            self.calls.append((method, payload))
            if method == "auth.test":
                return self._json({"ok": True, "url": "https://partpilot-test.slack.com/", "team": "Partpilot Test",
                                   "user": "partpilot", "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID,
                                   "is_enterprise_install": False})
            if method in ("chat.postMessage", "chat.update"):
                if not payload.get("channel") or not (payload.get("text") or payload.get("blocks")):
                    return self._json({"ok": False, "error": "no_text"})
                ts = payload.get("ts") if method == "chat.update" else self._next_ts()
                payload["_response_ts"] = ts  # what Slack answered, for tests that act on the posted message
                message = {"type": "message", "subtype": "bot_message", "text": payload.get("text", ""),
                           "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts, "blocks": payload.get("blocks", [])}
                if payload.get("thread_ts"):
                    message["thread_ts"] = payload["thread_ts"]
                if method == "chat.postMessage":
                    thread = (payload["channel"], str(payload.get("thread_ts") or ts))
                    self._threads.setdefault(thread, []).append({**message, "metadata": payload.get("metadata")})
                return self._json({"ok": True, "channel": payload["channel"], "ts": ts, "message": message})
            if method == "conversations.replies":
                return self._replies(payload)
            if method == "chat.postEphemeral":
                return self._json({"ok": True, "message_ts": self._next_ts()})
        return self._json({"ok": False, "error": "unknown_method"})

    def _replies(self, query: dict[str, Any]) -> tuple[int, str, bytes]:
        """The thread's messages; their metadata only with include_all_metadata, as Slack does."""
        thread = self._threads.get((str(query.get("channel")), str(query.get("ts"))), [])
        with_metadata = str(query.get("include_all_metadata")).lower() in ("1", "true")
        messages = [{k: v for k, v in m.items() if k != "metadata" or (with_metadata and v)} for m in thread]
        return self._json({"ok": True, "messages": messages, "has_more": False})

    def _file(self, path: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
        with self._lock:
            self.file_requests.append({"path": path, "authorization": headers.get("authorization", "")})
        name = path.rsplit("/", 1)[-1]
        if headers.get("authorization") != f"Bearer {self.token}" or name not in self._files:
            return 200, "text/html; charset=utf-8", b"<html><body>Sign in to Slack</body></html>"
        data, mimetype = self._files[name]
        return 200, mimetype, data

    @staticmethod
    def _json(data: dict[str, Any]) -> tuple[int, str, bytes]:
        return 200, "application/json; charset=utf-8", json.dumps(data).encode()
