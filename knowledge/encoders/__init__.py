"""The text encoders: one interface for documents and queries, so both always share one embedding space.

`EMBEDDING_ENCODER` picks the one of search, for stored documents and queries alike:

* `static` (default): a Model2Vec static model distilled from the bundled MiniLM (a token-vector lookup and a
  mean) — the choice of `partpilot bench encoders` (docs/encoders.md);
* `minilm-fp32`: the bundled all-MiniLM-L6-v2 exported to ONNX (sentence-transformers if that fails);
* `minilm-int8`: the same export with its weights quantized to int8 by onnxruntime (dynamic quantization).

The local planner reads a chat message's meaning with MiniLM whatever search uses (`NLU_ENCODER`): a static
model averages words, and intents live in how words go together (`embed_sentence`).

Every derived file is built locally from the bundled model (nothing is downloaded) by `partpilot embeddings
build`, or on first use, and cached under `PARTPILOT_HOME/models`. Vectors made by different encoders are not
comparable: switching encoders means re-embedding the store (`partpilot embeddings reembed`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Literal, Protocol, get_args

import numpy as np

from knowledge.settings import get_settings

log = logging.getLogger(__name__)
EncoderName = Literal["minilm-fp32", "minilm-int8", "static"]
ENCODERS: tuple[EncoderName, ...] = get_args(EncoderName)
DEFAULT_ENCODER: EncoderName = "static"
# MiniLM itself: what the others are measured against (and whose cached vectors carry no encoder suffix)
REFERENCE_ENCODER: EncoderName = "minilm-fp32"
_lock = threading.Lock()
_override: list[EncoderName] = []


class Encoder(Protocol):
    """Turns text into unit-length float32 vectors of the schema's dimensions."""

    def encode(self, text: str) -> np.ndarray:
        """One text (a search query), on one thread: concurrency comes from requests."""
        ...

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """Many texts (documents), one row each, on every core."""
        ...


def active_encoder_name() -> EncoderName:
    """The encoder in use: a `use_encoder` block's, else the `EMBEDDING_ENCODER` setting."""
    return _override[-1] if _override else get_settings().embedding_encoder


@contextmanager
def use_encoder(name: EncoderName) -> Iterator[None]:
    """Make `name` the encoder of queries and documents inside the block (the encoder benchmark)."""
    from knowledge.embeddings import _embed_query_cached

    _override.append(name)
    _embed_query_cached.cache_clear()
    try:
        yield
    finally:
        _override.pop()
        _embed_query_cached.cache_clear()


def get_encoder(name: EncoderName | None = None) -> Encoder:
    """The encoder `name` (default: the active one), building its files on first use."""
    with _lock:  # concurrent first searches would otherwise build the same files twice at once
        return _load(name or active_encoder_name())


def encoder_built(name: EncoderName) -> bool:
    """Whether the files `name` needs exist (checked without building anything, or importing torch)."""
    if name == "minilm-fp32":
        from knowledge.query_encoder import onnx_path

        return onnx_path().exists()
    if name == "minilm-int8":
        from knowledge.encoders.minilm_int8 import int8_path

        return int8_path().exists()
    from knowledge.encoders.static import static_model_dir

    return (static_model_dir() / "config.json").exists()


def warm_encoder() -> None:
    """Load the active encoder and run it once, so a server's first request pays for neither. Only the
    configured encoder loads (an ONNX session or a static model): serving never needs torch."""
    get_encoder().encode("warm up")


@lru_cache(maxsize=len(ENCODERS))
def _load(name: EncoderName) -> Encoder:
    if name == "minilm-fp32":
        from knowledge.embeddings import SentenceTransformersEncoder
        from knowledge.query_encoder import get_query_encoder

        return get_query_encoder() or SentenceTransformersEncoder()
    if name == "minilm-int8":
        from knowledge.encoders.minilm_int8 import load_int8_encoder

        return load_int8_encoder()
    if name == "static":
        from knowledge.encoders.static import load_static_encoder

        return load_static_encoder()
    raise ValueError(f"unknown encoder {name!r}; choose one of {', '.join(ENCODERS)}")


def build_encoder(name: EncoderName, stage: Callable[[str], None] | None = None) -> bool:
    """Build the files `name` needs under PARTPILOT_HOME (a no-op when they exist); True when something was
    built. `stage` is told what is being done, for a progress display."""
    if name == "minilm-fp32":
        from knowledge.query_encoder import ensure_onnx_export

        return ensure_onnx_export(stage)
    if name == "minilm-int8":
        from knowledge.encoders.minilm_int8 import ensure_int8_model

        return ensure_int8_model(stage)
    if name == "static":
        from knowledge.encoders.static import ensure_static_model

        return ensure_static_model(stage)
    raise ValueError(f"unknown encoder {name!r}; choose one of {', '.join(ENCODERS)}")


# A cosine threshold set for MiniLM, moved into another encoder's space so that the same share of unrelated
# (words, part text) pairs passes it: quantile-matched on the demo catalog (MiniLM 0.45 → static 0.557,
# 0.55 → 0.64; a static model's unrelated pairs sit higher, a part's own words a little lower).
_SIMILARITY_FROM_MINILM: dict[EncoderName, tuple[float, float]] = {
    "minilm-fp32": (1.0, 0.0), "minilm-int8": (1.0, 0.0), "static": (0.83, 0.183)}


def similarity_floor(minilm_cosine: float) -> float:
    """The active encoder's cosine equivalent to `minilm_cosine` (a "similar enough" floor of matching rules)."""
    slope, offset = _SIMILARITY_FROM_MINILM[active_encoder_name()]
    return round(minilm_cosine * slope + offset, 3)
