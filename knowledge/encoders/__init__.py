"""The text encoders: one interface for documents and queries, so both always share one embedding space.

`EMBEDDING_ENCODER` picks one for the whole application:

* `minilm-fp32` (default): the bundled all-MiniLM-L6-v2 exported to ONNX (sentence-transformers if that fails);
* `minilm-int8`: the same export with its weights quantized to int8 by onnxruntime (dynamic quantization);
* `static`: a Model2Vec static model distilled from the bundled MiniLM (a token-vector lookup and a mean).

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
DEFAULT_ENCODER: EncoderName = "minilm-fp32"
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
