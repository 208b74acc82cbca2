"""Claude as the planner, through langchain-anthropic with the registry's tools bound by the graph."""

from __future__ import annotations

from langchain_anthropic import ChatAnthropic
from langchain_core.language_models import BaseChatModel

from knowledge.settings import Settings


def claude_planner(settings: Settings) -> BaseChatModel:
    """The configured Claude model. Failures surface to the caller of the turn as a clear error."""
    if not settings.anthropic_api_key:
        raise RuntimeError("The Claude planner needs ANTHROPIC_API_KEY; use --planner local to run offline.")
    kwargs: dict[str, object] = {
        "model": settings.anthropic_model,
        "api_key": settings.anthropic_api_key,
        "max_tokens": 1024,
        "timeout": settings.anthropic_timeout_seconds,
        "max_retries": 1,
    }
    if settings.anthropic_base_url:
        kwargs["base_url"] = settings.anthropic_base_url
    return ChatAnthropic(**kwargs)  # type: ignore[arg-type]
