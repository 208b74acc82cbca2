"""The settings of the store and the layers on it (database, home, embeddings, search, the model provider, the
clock): environment variables and `.env`, read once. The application adds its own (partpilot/config.py)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """What the store, the tools and the agent read. Optional integrations switch on only when their keys are set."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy/Postgres URL. When unset, the embedded PostgreSQL under PARTPILOT_HOME is used.",
    )
    partpilot_home: Path = Field(default=Path("~/.local/share/partpilot"))
    embedded_database_name: str = "partpilot"
    # PostgreSQL's default (128MB) cannot hold a 100k-part catalog's HNSW index, so every vector search
    # copies hundreds of pages in from the OS cache. Applied to the embedded server only.
    embedded_shared_buffers: str = "512MB"
    # Off only for a throwaway cluster (the tests' own): every eval task clones a 40 MB database, and with fsync
    # each clone and drop waits on the disk. Off survives a PostgreSQL crash, not the machine losing power.
    embedded_fsync: bool = True
    embedded_data_dir: Path | None = Field(
        default=None, description="Where the embedded cluster's files live; default PARTPILOT_HOME/pgdata. The "
        "tests put their throwaway cluster in memory (/dev/shm) when there is room: on a slow disk a database "
        "clone takes 0.8 s there and 0.08 s in memory.")

    embedding_model_path: Path | None = Field(
        default=None, description="Directory of a sentence-transformers model; default: the bundled MiniLM."
    )
    embedding_batch_size: int = 64
    embedding_encoder: Literal["minilm-fp32", "minilm-int8", "static"] = Field(
        default="static", description="The encoder of search's documents and queries (docs/encoders.md): a static "
        "Model2Vec model distilled from MiniLM, or MiniLM on ONNX in fp32 or int8. Changing it means re-embedding "
        "the store: `partpilot embeddings reembed`.")
    nlu_encoder: Literal["minilm-fp32", "minilm-int8", "static"] = Field(
        default="minilm-fp32", description="The encoder of chat messages for the local planner's intent model "
        "(docs/encoders.md): MiniLM fp32, which the planner's examples and sentence tests were written against; "
        "int8 reads the held-out intents as well in half the CPU but misreads some multi-change sentences; "
        "static is cheaper still and 0.6 points less accurate.")

    anthropic_api_key: str | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-sonnet-4-5"
    anthropic_timeout_seconds: float = 30.0

    planner_model: str | None = Field(
        default=None, description="The planner as provider:model through init_chat_model (anthropic:…, openai:…, "
        "ollama:…). Unset: Claude when ANTHROPIC_API_KEY is set, else the offline local planner.")
    # read under the names the provider libraries themselves read, so one environment serves both
    openai_api_key: str | None = None
    openai_base_url: str | None = Field(
        default=None, description="An OpenAI-compatible server: vLLM, llama.cpp server, LM Studio, OpenRouter.")
    ollama_base_url: str | None = Field(default=None, description="Ollama's address (default localhost:11434).")
    planner_timeout_seconds: float = Field(
        default=120.0, description="Per planner call for openai and ollama models (local models answer slowly).")

    search_candidates_per_signal: int = 40
    # The catalog's embeddings form tight clusters (a kind of part, its many builds) far apart by trade; a
    # narrow HNSW walk stays in the cluster it entered. Measured at 100k parts, recall@10 of the vector
    # signal: ef_search 200 → 0.91, 300 → 0.95, 400 → 0.956, 500 → 0.957 with no tie tolerance (400 → 0.940),
    # at ~8 ms a walk (512MB shared buffers).
    hnsw_ef_search: int = 500

    hold_expiring_notice_minutes: int = Field(
        default=60, ge=1, le=24 * 60, description="Tell a holder this many minutes before their hold expires.")
    auction_ending_notice_minutes: int = Field(
        default=60, ge=1, le=7 * 24 * 60, description="Tell bidders and watchers this many minutes before an "
        "auction ends.")

    log_level: str = "INFO"

    api_key_cache_seconds: float = Field(
        default=30.0, ge=0, description="How long a process reuses an API key's caller without asking the database "
        "(0: every request asks). A revoke takes effect at once in the process that made it; in every other "
        "process (a server while `partpilot users revoke-key` runs), like a deactivated user or a changed role, "
        "within this many seconds.")

    notification_time_zone: str = Field(
        default="America/Chicago", description="A person's time zone for quiet hours and digests until they set "
        "their own (IANA name).")
    notification_max_per_hour: int = Field(
        default=8, description="Notifications sent to one person per hour on their channel; the rest wait for "
        "the next hourly digest.")
    notification_digest_hour: int = Field(default=7, ge=0, le=23, description="Local hour daily digests go out.")

    clock_offset_days: float = Field(
        default=0.0, validation_alias=AliasChoices("partpilot_clock_offset_days", "clock_offset_days"),
        description="Testing/demo knob: the application's clock runs this many days (may be fractional or "
        "negative) away from real time — the seed, every expiry and auction end, and the evals follow it.")

    @property
    def home(self) -> Path:
        return self.partpilot_home.expanduser()

    @property
    def pgdata(self) -> Path:
        """The embedded cluster's data directory."""
        return (self.embedded_data_dir or self.home / "pgdata").expanduser()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
