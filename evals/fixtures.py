"""Task fixtures on a fresh store: SQL look-ups, tool-made marketplace rows, generated nameplate photos; and
`${name.path}` references to them in any string of the task."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, text

from evals.model import Action, PhotoFixture, Task
from knowledge import clock
from tools.context import Caller, caller_by_email
from tools.registry import ToolKind, get_tool, invoke
from tools.results import ToolFailure

_REF = re.compile(r"\$\{([A-Za-z_][\w.]*)\}")


class FixtureError(RuntimeError):
    """The task's own setup or reference path failed: a broken task, not a weak agent."""


def lookup(ctx: dict[str, Any], path: str) -> Any:
    value: Any = ctx
    for part in path.split("."):
        if isinstance(value, list):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise FixtureError(f"unknown reference ${{{path}}}")
    return value


def resolve(value: Any, ctx: dict[str, Any]) -> Any:
    """Replace `${a.b}` references; a string that is exactly one reference keeps the value's type."""
    if isinstance(value, str):
        whole = _REF.fullmatch(value)
        if whole:
            return lookup(ctx, whole.group(1))
        return _REF.sub(lambda m: str(lookup(ctx, m.group(1))), value)
    if isinstance(value, list):
        return [resolve(v, ctx) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, ctx) for k, v in value.items()}
    return value


@lru_cache(maxsize=64)
def _nameplate(manufacturer: str, part_number: str, name: str, injected: str | None, seed: int,
               rotation: float, blur: float) -> bytes:
    from evals.nameplates import NameplateSpec, render_nameplate

    return render_nameplate(NameplateSpec(manufacturer=manufacturer, part_number=part_number, name=name),
                            seed=seed, rotation=rotation, blur=blur, noise=2, glare=False, barcode=True,
                            injected_text=injected)


def _photo(engine: Engine, owner: Caller, photo: PhotoFixture) -> str:
    from tools.photos.store import save_photo

    image = _nameplate(photo.manufacturer, photo.part_number, photo.name, photo.injected_text, photo.seed,
                       photo.rotation, photo.blur)
    return save_photo(engine, owner, image)


def run_action(engine: Engine, task: Task, action: Action, ctx: dict[str, Any], label: str) -> Any:
    """Run one fixture or reference tool call directly through the registry (no agent)."""
    who = caller_by_email(engine, resolve(action.as_user, ctx) if action.as_user else task.caller.user,
                          channel=task.caller.channel)
    args = resolve(action.args, ctx)
    result = invoke(engine, who, action.tool, args, idempotency_key=f"eval-{label}-{uuid.uuid4()}")
    if isinstance(result, ToolFailure) and get_tool(action.tool).kind is ToolKind.WRITE:
        raise FixtureError(f"{task.id}: {label} {action.tool} failed: {result.message}")
    data = result.model_dump(mode="json")
    if action.save:
        ctx[action.save] = data
    return data


def apply_setup(engine: Engine, task: Task) -> dict[str, Any]:
    """Run the task's fixtures; the returned context also offers `${in_1_days}` … `${in_14_days}` (ISO times on the
    eval's clock, for auctions: SQL's now() does not move with it)."""
    ctx: dict[str, Any] = {f"in_{days}_days": (clock.now() + timedelta(days=days)).isoformat(timespec="seconds")
                           for days in range(1, 15)}
    with engine.connect() as conn:
        for fixture in task.setup.sql:
            row = conn.execute(text(fixture.sql), resolve(fixture.params, ctx)).mappings().first()
            if row is None:
                raise FixtureError(f"{task.id}: setup query {fixture.save!r} found nothing")
            ctx[fixture.save] = {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in row.items()}
    for action in task.setup.actions:
        run_action(engine, task, action, ctx, "setup")
    for photo in task.setup.photos:
        owner = caller_by_email(engine, photo.owner or task.caller.user)
        ctx[photo.save] = _photo(engine, owner, photo)
    return ctx


def replay_reference(engine: Engine, task: Task, ctx: dict[str, Any]) -> None:
    """The gold path: every reference action the user would agree to, run in order."""
    for action in task.evaluation.reference_actions:
        if action.declined:
            continue
        run_action(engine, task, action, ctx, "gold")
