"""Running the blocking agent in a worker thread and handing its events to the event loop as they come."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)
_END = object()


@lru_cache(maxsize=1)
def agent_executor() -> ThreadPoolExecutor:
    """Threads for agent turns, separate from the default pool so that slow turns never starve the small
    blocking calls (DB lookups) FastAPI runs there."""
    return ThreadPoolExecutor(max_workers=16, thread_name_prefix="agent-turn")


async def iterate_in_thread(make: Callable[[], Iterator[dict[str, Any]]],
                            on_finish: Callable[[], None] = lambda: None) -> AsyncIterator[dict[str, Any]]:
    """Yield what `make()` yields, running it in a worker thread. An exception in the worker becomes an
    `error` event (after logging). When the client goes away the turn still runs to its end (a turn cut off
    between a tool call and its result would leave the conversation unusable); only its events are dropped.
    `on_finish` runs in the worker once the turn is over."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()
    gone = threading.Event()

    def put(item: Any) -> None:
        if not gone.is_set():
            loop.call_soon_threadsafe(queue.put_nowait, item)

    def work() -> None:
        try:
            for event in make():
                put(event)
        except Exception:
            log.exception("agent turn failed")
            put({"type": "error", "message": "Sorry, something went wrong on our side. Nothing was changed "
                                             "unless you had confirmed it; please try again."})
        finally:
            on_finish()
            put(_END)

    # in a copy of this context: the turn's log lines carry the request's id (partpilot/logs.py)
    loop.run_in_executor(agent_executor(), contextvars.copy_context().run, work)
    try:
        while True:
            item = await queue.get()
            if item is _END:
                break
            yield item
    finally:
        gone.set()
