"""Claude's two roles in key-present eval runs: playing the user (`--user llm`) and judging nl_assertions.
Both use the official anthropic client with the configured key, model and base URL."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from evals.conversation import Transcript
from evals.model import LlmUser, Task
from knowledge.settings import Settings

log = logging.getLogger(__name__)
STOP = "###STOP###"


def _client(settings: Settings) -> Any:
    import anthropic

    kwargs: dict[str, Any] = {"api_key": settings.anthropic_api_key, "max_retries": 2,
                              "timeout": settings.anthropic_timeout_seconds}
    if settings.anthropic_base_url:
        kwargs["base_url"] = settings.anthropic_base_url
    return anthropic.Anthropic(**kwargs)


def _text(response: Any) -> str:
    return "".join(getattr(b, "text", "") for b in response.content).strip()


class LlmUserSimulator:
    """τ-bench style: Claude plays the technician from the task's persona and facts, one message at a time,
    and ends the conversation with ###STOP### once the goal is met or cannot be."""

    def __init__(self, settings: Settings, spec: LlmUser, first_message: str) -> None:
        self.client, self.model, self.spec = _client(settings), settings.anthropic_model, spec
        self.first_message = first_message

    def system(self) -> str:
        known = "\n".join(f"- {k}" for k in self.spec.known) or "- (nothing beyond the instructions)"
        unknown = "\n".join(f"- {u}" for u in self.spec.unknown) or "- (nothing specific)"
        return (f"You are playing a user talking to Partpilot, a spare-parts sourcing assistant.\n"
                f"Persona: {self.spec.persona}\nGoal and instructions: {self.spec.instructions}\n"
                f"Facts you know (reveal only when asked or needed):\n{known}\n"
                f"Things you do not know (say so if asked; never invent them):\n{unknown}\n"
                "Write only your next message, short, as a field technician would type it. When the assistant "
                "asks you to confirm an action that serves your goal, answer yes or no plainly. When your goal "
                f"is met or clearly cannot be met, reply with exactly {STOP}.")

    def __call__(self, transcript: Transcript) -> str | None:
        if not transcript.turns:
            return self.first_message
        messages: list[dict[str, str]] = [{"role": "user", "content": "(Start the conversation.)"}]
        for turn in transcript.turns:
            messages.append({"role": "assistant", "content": turn["user"]})
            messages.append({"role": "user", "content": turn["agent"] or "(no reply)"})
        response = self.client.messages.create(model=self.model, max_tokens=300, system=self.system(),
                                               messages=messages)
        reply = _text(response)
        transcript.tokens_in += response.usage.input_tokens
        transcript.tokens_out += response.usage.output_tokens
        return None if not reply or STOP in reply else reply


def judge_nl(settings: Settings, task: Task, transcript: Transcript) -> list[bool]:
    """One verdict per assertion, from Claude reading the whole conversation."""
    lines = []
    for turn in transcript.turns:
        lines += [f"USER: {turn['user']}", f"AGENT: {turn['agent']}"]
    assertions = "\n".join(f"{i + 1}. {a}" for i, a in enumerate(task.evaluation.nl_assertions))
    prompt = ("Conversation between a technician and a parts-sourcing agent:\n\n" + "\n".join(lines) +
              f"\n\nFor each assertion about the AGENT's replies, decide true or false.\n{assertions}\n\n"
              'Answer with JSON only: {"verdicts": [true, false, ...]} in the same order.')
    response = _client(settings).messages.create(model=settings.anthropic_model, max_tokens=200,
                                                 messages=[{"role": "user", "content": prompt}])
    transcript.tokens_in += response.usage.input_tokens
    transcript.tokens_out += response.usage.output_tokens
    match = re.search(r"\{.*\}", _text(response), re.S)
    try:
        verdicts = [bool(v) for v in json.loads(match.group(0))["verdicts"]] if match else []
    except (ValueError, KeyError, TypeError):
        verdicts = []
    if len(verdicts) != len(task.evaluation.nl_assertions):
        log.warning("judge gave %d verdicts for %d assertions on %s", len(verdicts),
                    len(task.evaluation.nl_assertions), task.id)
        return [False] * len(task.evaluation.nl_assertions)
    return verdicts
