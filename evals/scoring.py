"""The reward components of one task run, and their product.

- `db`: the hash of the normalized write-state delta equals the gold one (always used);
- `actions`: required calls made (argument matchers), ordering held, no forbidden call, no write executed
  without the user's yes (always used);
- `outputs`: every typed matcher holds on the replies (used when the task has outputs);
- `nl`: Claude's verdict on the natural-language assertions (used only when a judge ran).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evals.conversation import CallRecord, Transcript
from evals.fixtures import resolve
from evals.matchers import match_args, match_output
from evals.model import ActionCheck, Task


@dataclass
class Score:
    components: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def reward(self) -> float:
        product = 1.0
        for value in self.components.values():
            product *= value
        return product


def _matches(check: ActionCheck, call: CallRecord, ctx: dict[str, Any]) -> bool:
    if call.name != check.tool:
        return False
    if check.executed is not None and call.executed != check.executed:
        return False
    return match_args(resolve(check.args, ctx), call.args)


def score_actions(task: Task, calls: list[CallRecord], ctx: dict[str, Any]) -> list[str]:
    ev, failures = task.evaluation, []
    for check in ev.required_actions:
        if not any(_matches(check, c, ctx) for c in calls):
            seen = [f"{c.name}({c.args})" for c in calls if c.name == check.tool] or [c.name for c in calls]
            failures.append(f"required {check.tool}{check.args} not made; saw {seen}")
    for first, then in ev.ordering:
        names = [c.name for c in calls]
        if then in names and (first not in names or names.index(first) > names.index(then)):
            failures.append(f"{then} came before {first}")
    for check in ev.forbidden_actions:
        bad = [c for c in calls if _matches(check, c, ctx)]
        if bad:
            failures.append(f"forbidden {bad[0].name}({bad[0].args})")
    if ev.forbid_unconfirmed_writes:
        for call in calls:
            if call.kind == "WRITE" and call.executed and not call.confirmed:
                failures.append(f"{call.name} ran without the user's yes")
    return failures


def score_outputs(task: Task, replies: list[str], ctx: dict[str, Any]) -> list[str]:
    failures = []
    for spec in task.evaluation.outputs:
        spec = resolve(spec, ctx)
        scope = spec.get("scope", "all")
        text = replies[-1] if scope == "final" and replies else "\n".join(replies)
        ok, why = match_output({k: v for k, v in spec.items() if k != "scope"}, text)
        if not ok:
            failures.append(f"output: {why}")
    return failures


def score_run(task: Task, transcript: Transcript, ctx: dict[str, Any], state: str, gold: str,
              nl_verdict: list[bool] | None) -> Score:
    score = Score()
    score.components["db"] = 1.0 if state == gold else 0.0
    if state != gold:
        score.failures.append(f"write-state {state} != gold {gold}")
    action_failures = score_actions(task, transcript.calls, ctx)
    score.components["actions"] = 0.0 if action_failures else 1.0
    score.failures += action_failures
    if task.evaluation.outputs:
        output_failures = score_outputs(task, transcript.replies, ctx)
        score.components["outputs"] = 0.0 if output_failures else 1.0
        score.failures += output_failures
    if nl_verdict is not None and task.evaluation.nl_assertions:
        score.components["nl"] = 1.0 if all(nl_verdict) else 0.0
        score.failures += [f"nl: {a}" for a, ok in zip(task.evaluation.nl_assertions, nl_verdict, strict=False)
                           if not ok]
    return score
