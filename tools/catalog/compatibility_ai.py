"""An optional second opinion from Claude when the catalog cannot decide whether a part fits.

Off unless ANTHROPIC_API_KEY is set. Tests inject their own reasoner with `set_compatibility_reasoner`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from knowledge.settings import get_settings

log = logging.getLogger(__name__)


class AiOpinion(BaseModel):
    compatible: bool
    confidence: float = Field(ge=0, le=1)
    reasoning: str
    warnings: list[str] = Field(default_factory=list)


CompatibilityReasoner = Callable[[dict[str, Any]], AiOpinion | None]
_override: CompatibilityReasoner | None = None


def set_compatibility_reasoner(reasoner: CompatibilityReasoner | None) -> None:
    """Replace the reasoner (None restores the default: Claude when a key is set, else nothing)."""
    global _override
    _override = reasoner


def current_reasoner() -> CompatibilityReasoner | None:
    if _override is not None:
        return _override
    return claude_opinion if get_settings().anthropic_api_key else None


_OPINION_TOOL = {
    "name": "compatibility_opinion",
    "description": "Record whether the part fits the equipment.",
    "input_schema": AiOpinion.model_json_schema(),
}


def claude_opinion(facts: dict[str, Any]) -> AiOpinion | None:
    """Ask Claude (forced tool call) whether the part fits; None when the call fails."""
    import anthropic

    settings = get_settings()
    client = anthropic.Anthropic(api_key=settings.anthropic_api_key, base_url=settings.anthropic_base_url)
    prompt = (
        "A field technician asks whether this part fits this equipment. The parts catalog has no "
        "compatibility record either way. Judge from the specifications only; say how sure you are and "
        "what to check before installing.\n\n" + json.dumps(facts, default=str, indent=1)
    )
    try:
        response = client.messages.create(  # type: ignore[call-overload]
            model=settings.anthropic_model, max_tokens=600, tools=[_OPINION_TOOL],
            tool_choice={"type": "tool", "name": "compatibility_opinion"},
            messages=[{"role": "user", "content": prompt}],
        )
        for block in response.content:
            if block.type == "tool_use":
                return AiOpinion.model_validate(block.input)
    except Exception:  # an opinion is optional: any API failure leaves the verdict unknown
        log.warning("compatibility opinion from Claude failed", exc_info=True)
    return None
