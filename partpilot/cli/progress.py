"""Progress bars for long jobs that report in stages (`progress(stage, advance, total)`): one bar per stage,
with its rate, as the seed, the benchmarks and re-embedding show them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

StageProgress = Callable[[str, int, int], None]
STAGE_LABELS = {"encode": "encoding parts", "copy": "copying parts", "index": "building search indexes"}


class RateColumn(ProgressColumn):
    """Items per second of a task (parts encoded, copied)."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f}/s" if task.speed else "", style="progress.data.speed")


def stage_label(stage: str) -> str:
    """A stage's words: the named ones, `embedding <table>` for `embed:<table>`, else the stage as given."""
    if stage in STAGE_LABELS:
        return STAGE_LABELS[stage]
    return f"embedding {stage.split(':', 1)[1]}" if stage.startswith("embed:") else stage


@contextmanager
def stage_bars(console: Console, hidden: Callable[[str], bool] = lambda stage: False) -> Iterator[StageProgress]:
    """A `progress(stage, advance, total)` callback drawing a bar per stage on `console` (stages for which
    `hidden` says so are not drawn)."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                  TimeRemainingColumn(), console=console) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, advance: int, total: int) -> None:
            if hidden(stage):
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage_label(stage), total=total)
            bar.advance(tasks[stage], advance)

        yield progress
