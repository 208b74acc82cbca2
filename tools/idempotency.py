"""Exactly-once WRITE tools: the (user, key) pair is claimed in the same transaction as the write.

A second call with the same key waits for the first to commit (unique index), then returns the stored
result instead of acting again. A failed call stores nothing, so it may be retried with the same key.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.registry import ToolContext
from tools.results import ToolFailed, ToolFailure

_CLAIM = text(
    "INSERT INTO tool_calls (idempotency_key, tool_name, user_id, args_hash) VALUES (:k, :t, :u, :h) "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key"
)
_STORED = text("SELECT tool_name, args_hash, result FROM tool_calls WHERE idempotency_key = :k")
_SAVE = text("UPDATE tool_calls SET result = CAST(:r AS jsonb) WHERE idempotency_key = :k")


def args_hash(args: BaseModel) -> str:
    return hashlib.sha256(json.dumps(args.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


def run_write(engine: Engine, caller: Caller, spec: Any, args: BaseModel, key: str) -> BaseModel:
    from tools.registry import ToolContext

    scoped = f"{caller.user_id}:{key}"
    digest = args_hash(args)
    with Session(engine) as session, session.begin():
        claimed = session.execute(_CLAIM, {"k": scoped, "t": spec.name, "u": caller.user_id, "h": digest}).scalar()
        if claimed is None:
            stored = session.execute(_STORED, {"k": scoped}).one()
            if stored.tool_name != spec.name or stored.args_hash != digest:
                return ToolFailure(error="conflict", message="This idempotency key was already used for a "
                                   "different action; use a new key.")
            return spec.output_model.model_validate(stored.result)
        try:
            output = spec.fn(ToolContext(caller, session, engine, idempotency_key=scoped), args)
        except ToolFailed as failed:
            session.rollback()
            return failed.failure
        if isinstance(output, ToolFailure):
            session.rollback()
            return output
        session.execute(_SAVE, {"k": scoped, "r": output.model_dump_json()})
        return output


# The SQL length of the per-row idempotency_key columns (tool_calls allows longer scoped keys).
ROW_KEY_MAX = 200


def row_key(ctx: ToolContext) -> str | None:
    """The idempotency key stored on the created row (its unique index backs up the tool_calls claim)."""
    key = ctx.idempotency_key
    if key is None or len(key) <= ROW_KEY_MAX:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()
