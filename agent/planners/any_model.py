"""Any chat model as the planner, named `provider:model` (PLANNER_MODEL or `--planner`) and built by langchain's
`init_chat_model`: `anthropic`, `openai` (also any OpenAI-compatible server at OPENAI_BASE_URL: vLLM, the
llama.cpp server, LM Studio, OpenRouter) and `ollama`. The graph binds the registry's tools to it and gives it
the same system prompt as Claude, so its tool calls go through the same confirmations.

Each provider's failures (connection refused, timeouts, 5xx, rate limits) are listed by `provider_errors`, which
the graph turns into the same clear "unavailable" reply it gives for Claude."""

from __future__ import annotations

import importlib
from typing import Any

from langchain_core.language_models import BaseChatModel

from knowledge.settings import Settings

PROVIDERS = ("anthropic", "openai", "ollama")
# the library each provider's client errors come from, and those errors' names in it
_ERRORS = {"anthropic": ("anthropic", ("APIError",)), "openai": ("openai", ("APIError",)),
           "ollama": ("ollama", ("ResponseError", "RequestError")), "httpx": ("httpx", ("HTTPError",))}


def is_model_spec(kind: str) -> bool:
    """Whether a planner name is a `provider:model` spec rather than one of the built-in planners."""
    return ":" in kind


def parse_model_spec(spec: str) -> tuple[str, str]:
    """`provider:model` split at the first colon (model names may hold more: `ollama:qwen2.5:7b`).

    Raises:
        ValueError: for an unknown provider or an empty model name, saying what is accepted.
    """
    provider, _, model = spec.partition(":")
    provider = provider.strip().lower()
    if provider not in PROVIDERS or not model.strip():
        raise ValueError(f"unknown planner {spec!r}: use local, claude or provider:model with provider one of "
                         f"{', '.join(PROVIDERS)} (e.g. openai:gpt-4.1-mini, ollama:qwen2.5:7b)")
    return provider, model.strip()


def _provider_kwargs(provider: str, settings: Settings) -> dict[str, Any]:
    if provider == "anthropic":
        if not settings.anthropic_api_key:
            raise RuntimeError("An anthropic: planner needs ANTHROPIC_API_KEY; use --planner local to run offline.")
        kwargs: dict[str, Any] = {"api_key": settings.anthropic_api_key, "max_tokens": 1024,
                                  "timeout": settings.anthropic_timeout_seconds, "max_retries": 1}
        if settings.anthropic_base_url:
            kwargs["base_url"] = settings.anthropic_base_url
        return kwargs
    if provider == "openai":
        if not (settings.openai_api_key or settings.openai_base_url):
            raise RuntimeError("An openai: planner needs OPENAI_API_KEY, or OPENAI_BASE_URL for an "
                               "OpenAI-compatible server (vLLM, llama.cpp, LM Studio).")
        kwargs = {"timeout": settings.planner_timeout_seconds, "max_retries": 1,
                  # local servers ignore the key, but the client refuses to start without one
                  "api_key": settings.openai_api_key or "not-needed"}
        if settings.openai_base_url:
            # compatible servers speak Chat Completions, not OpenAI's newer Responses API
            kwargs.update(base_url=settings.openai_base_url, use_responses_api=False)
        return kwargs
    kwargs = {"client_kwargs": {"timeout": settings.planner_timeout_seconds}}
    if settings.ollama_base_url:
        kwargs["base_url"] = settings.ollama_base_url
    return kwargs


def any_model_planner(spec: str, settings: Settings) -> BaseChatModel:
    """The chat model named by `spec` (`provider:model`), configured from the settings.

    Raises:
        ValueError: the spec names no supported provider.
        RuntimeError: the provider's key or address is missing.
    """
    from langchain.chat_models import init_chat_model

    provider, model = parse_model_spec(spec)
    return init_chat_model(model, model_provider=provider, **_provider_kwargs(provider, settings))


def provider_errors() -> tuple[type[BaseException], ...]:
    """The client errors of every installed provider library that mean "the model service failed", imported only
    now (when a planner call has already failed), so an unused provider's library is never loaded for this."""
    found: list[type[BaseException]] = []
    for module_name, names in _ERRORS.values():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        found.extend(getattr(module, name) for name in names if hasattr(module, name))
    # the ollama client reports a refused connection as the built-in ConnectionError
    return (*found, ConnectionError)
