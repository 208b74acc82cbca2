"""Agent turns in the background, one at a time per conversation.

Webhooks must be answered within the platform's deadline (Slack 3 s, Twilio 15 s) while an agent turn may
take longer, so adapters enqueue the turn here and acknowledge at once. Turns of one conversation run in
arrival order and never overlap (a "YES" cannot overtake the message that asked the question); different
conversations run in parallel on a small thread pool."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)


class ConversationWorker:
    def __init__(self, max_workers: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="channel-turn")
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Callable[[], None]]] = {}
        self._idle = threading.Condition(self._lock)

    def submit(self, conversation_key: str, job: Callable[[], None]) -> None:
        """Run `job` after every earlier job of the same conversation."""
        with self._lock:
            queue = self._queues.get(conversation_key)
            if queue is not None:  # a drain for this conversation is already running or scheduled
                queue.append(job)
                return
            self._queues[conversation_key] = deque([job])
        self._pool.submit(self._drain, conversation_key)

    def _drain(self, conversation_key: str) -> None:
        while True:
            with self._lock:
                queue = self._queues[conversation_key]
                if not queue:
                    del self._queues[conversation_key]
                    self._idle.notify_all()
                    return
                job = queue[0]
            try:
                job()
            except Exception:  # one failed turn must not stop the conversation's later messages
                log.exception("channel turn failed in %s", conversation_key)
            with self._lock:
                queue.popleft()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no job is queued or running (tests and benchmarks); False on timeout."""
        with self._lock:
            return self._idle.wait_for(lambda: not self._queues, timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
