"""The eval task format (one YAML file per task under evals/tasks/<suite>/), parsed into pydantic models.

A task names its caller, the fixtures it needs (marketplace rows made through tools, rows looked up by SQL,
generated nameplate photos), a scripted user (turns plus conditional replies), optional instructions for an
LLM-played user, and the evaluation criteria. Strings may refer to fixtures as `${name.path}`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

TASKS_DIR = Path(__file__).resolve().parent / "tasks"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Action(_Strict):
    """One tool call: as the task's caller unless `as` names another demo user; `save` names its output."""

    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    as_user: str | None = Field(default=None, alias="as")
    save: str | None = None
    declined: bool = False  # a reference write the user is expected to refuse: proposed, never replayed


class SqlFixture(_Strict):
    """A row the task needs to know about (e.g. an inventory item id); its first row is saved as a dict."""

    save: str
    sql: str
    params: dict[str, Any] = Field(default_factory=dict)


class PhotoFixture(_Strict):
    """A generated nameplate photo, stored for `owner` (default: the caller) and saved as its photo id."""

    save: str
    manufacturer: str
    part_number: str
    name: str
    injected_text: str | None = None
    owner: str | None = None
    seed: int = 7
    rotation: float = 0.0
    blur: float = 0.3


class Setup(_Strict):
    sql: list[SqlFixture] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    photos: list[PhotoFixture] = Field(default_factory=list)
    # The conversation opens as the reply to the caller's newest notification (it arrived on their phone or in
    # Slack, and the person answers it there): the notice is entered into the conversation first.
    answering_notice: bool = False


class Turn(_Strict):
    text: str
    photos: list[str] = Field(default_factory=list)


class ConditionalReply(_Strict):
    """What the scripted user says when the agent asks something, before the next scripted turn.

    `when: confirm` fires while a confirmation is pending (optionally only for `tool`); `when: asks` fires
    when the agent's reply matches `pattern` (a case-insensitive regex). `after_turn` (1-based) holds the
    reply back until that many scripted turns have been sent; `times` bounds how often it fires."""

    when: Literal["confirm", "asks"]
    say: str
    tool: str | None = None
    pattern: str | None = None
    after_turn: int = 0
    times: int = 5


class ScriptedUser(_Strict):
    turns: list[Turn]
    replies: list[ConditionalReply] = Field(default_factory=list)

    @field_validator("turns", mode="before")
    @classmethod
    def _short_turns(cls, value: Any) -> Any:
        return [{"text": t} if isinstance(t, str) else t for t in value]


class LlmUser(_Strict):
    """For key-present runs with --user llm: who the user is and what they know."""

    persona: str
    instructions: str
    known: list[str] = Field(default_factory=list)
    unknown: list[str] = Field(default_factory=list)
    max_turns: int = 8


class ActionCheck(_Strict):
    """A tool call pattern: tool name plus argument matchers (see evals.matchers.match_value)."""

    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    executed: bool | None = None  # True: it must have run (a declined write did not)


class Evaluation(_Strict):
    reference_actions: list[Action] = Field(default_factory=list)
    reference_answer: str = ""
    required_actions: list[ActionCheck] = Field(default_factory=list)
    ordering: list[tuple[str, str]] = Field(default_factory=list)
    forbidden_actions: list[ActionCheck] = Field(default_factory=list)
    forbid_unconfirmed_writes: bool = True
    outputs: list[dict[str, Any]] = Field(default_factory=list)
    nl_assertions: list[str] = Field(default_factory=list)


class CallerSpec(_Strict):
    user: str
    channel: Literal["cli", "sms", "slack", "web"] = "cli"


class Task(_Strict):
    id: str
    suite: str = ""
    description: str
    tags: list[str] = Field(default_factory=list)
    caller: CallerSpec
    setup: Setup = Field(default_factory=Setup)
    user: ScriptedUser
    llm_user: LlmUser | None = None
    evaluation: Evaluation

    @property
    def needs_write(self) -> bool:
        return bool(self.evaluation.reference_actions)

    @property
    def needs_answer(self) -> bool:
        return bool(self.evaluation.outputs or self.evaluation.required_actions)


def load_task(path: Path) -> Task:
    data = yaml.safe_load(path.read_text())
    data.setdefault("suite", path.parent.name)
    task = Task.model_validate(data)
    if task.id != path.stem:
        raise ValueError(f"{path}: task id {task.id!r} must equal the file name")
    return task


def load_tasks(suite: str | None = None, root: Path = TASKS_DIR) -> list[Task]:
    """All tasks (or one suite's), sorted by suite then id."""
    paths = sorted(root.glob(f"{suite or '*'}/*.yaml"))
    if suite and not paths:
        known = sorted(p.name for p in root.iterdir() if p.is_dir())
        raise ValueError(f"no tasks in suite {suite!r}; suites: {', '.join(known)}")
    return [load_task(p) for p in paths]


class SuiteSettings(_Strict):
    """A suite is a folder of tasks under evals/tasks; its optional `suite.yml` says how it is used."""

    held_out: bool = False  # measured and reported, but not part of the test floor (conversations still unseen)
    about: str = ""


def suite_settings(root: Path = TASKS_DIR) -> dict[str, SuiteSettings]:
    """Every suite (a folder with tasks), with its settings."""
    suites: dict[str, SuiteSettings] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and any(p.glob("*.yaml"))):
        settings_file = folder / "suite.yml"
        data = yaml.safe_load(settings_file.read_text()) if settings_file.exists() else {}
        suites[folder.name] = SuiteSettings.model_validate(data or {})
    return suites
