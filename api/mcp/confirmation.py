"""How an MCP client confirms a WRITE tool: by elicitation when it can ask its user, otherwise by calling the
tool a second time with the same arguments and `confirm: true`.

Either way the write carries an idempotency key derived from the caller, the tool and the canonical JSON of the
arguments, so the confirming retry and any replay of it write once.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from mcp.server.mcpserver import Context
from mcp_types import ClientCapabilities
from pydantic import BaseModel, Field

from tools.context import Caller

CONFIRM_ARG = "confirm"
KEY_ARG = "idempotency_key"

CONFIRM_PROPERTIES: dict[str, Any] = {
    CONFIRM_ARG: {
        "type": "boolean", "default": False,
        "description": "Only for clients that cannot ask their user (no MCP elicitation): the first call returns "
                       "the plain-language summary of the change; after the user agrees, call again with the same "
                       "arguments and confirm: true.",
    },
    KEY_ARG: {
        "type": "string", "minLength": 1, "maxLength": 100,
        "description": "Optional. Calls with the same arguments act once; to repeat an identical change on purpose, "
                       "give each one its own key.",
    },
}


class Confirmation(BaseModel):
    """What the user answers to the elicitation (a yes/no form)."""

    confirm: bool = Field(description="Yes, do it")


class NeedsConfirmation(BaseModel):
    """The answer to an unconfirmed WRITE call from a client without elicitation."""

    ok: bool = False
    needs_confirmation: bool = True
    summary: str
    message: str


def supports_elicitation(ctx: Context[Any, Any]) -> bool:
    """Whether the client declared form elicitation (a bare `elicitation: {}` counts, as in the spec)."""
    try:
        capabilities: ClientCapabilities | None = ctx.client_capabilities
    except (RuntimeError, ValueError):  # no request in flight: called outside a session
        return False
    elicitation = capabilities.elicitation if capabilities is not None else None
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


def split_arguments(arguments: dict[str, Any]) -> tuple[dict[str, Any], bool, str | None]:
    """The tool's own arguments, whether `confirm: true` was sent, and the client's idempotency key if any."""
    own = {k: v for k, v in arguments.items() if k not in (CONFIRM_ARG, KEY_ARG)}
    key = arguments.get(KEY_ARG)
    return own, arguments.get(CONFIRM_ARG) is True, key if isinstance(key, str) and key else None


def write_key(caller: Caller, tool: str, canonical_args: dict[str, Any], client_key: str | None) -> str:
    """`mcp:<sha256>` over caller, tool and arguments (sorted keys): a retry or replay of a call gets its key."""
    material = json.dumps({"user": str(caller.user_id), "tool": tool, "args": canonical_args, "key": client_key},
                          sort_keys=True, separators=(",", ":"), default=str)
    return "mcp:" + hashlib.sha256(material.encode()).hexdigest()


class ConfirmationBook:
    """The WRITE calls (by key) whose summary was returned to the client, awaiting `confirm: true`.

    A `confirm: true` call acts only after the same call was answered with its summary, so the summary reaches
    the conversation before anything changes; a replay after that goes to the idempotent write, which returns the
    stored result. Kept in memory and bounded: after a restart a `confirm: true` call just gets its summary again.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        self._capacity = capacity

    def remember(self, key: str) -> None:
        with self._lock:
            self._keys[key] = None
            self._keys.move_to_end(key)
            while len(self._keys) > self._capacity:
                self._keys.popitem(last=False)

    def may_act(self, key: str) -> bool:
        with self._lock:
            return key in self._keys
