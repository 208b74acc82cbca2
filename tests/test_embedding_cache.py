"""The on-disk embedding cache: what it returns is what was computed, it computes only texts it has not seen
for that model, and a cached vector is the model's vector."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.embedding_cache import EmbeddingCache, embed_documents_cached, model_key
from knowledge.embeddings import embed_documents
from knowledge.models.base import EMBEDDING_DIMS


class CountingEmbedder:
    """A stand-in model: a distinct pseudo-random unit vector per text, and a record of what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.asked += list(texts)
        rows = [np.random.default_rng(abs(hash(t)) % 2**32).standard_normal(EMBEDDING_DIMS) for t in texts]
        return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32)


def test_cache_computes_only_new_texts_and_returns_them_exactly(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite3", "model-a")
    model = CountingEmbedder()
    first = embed_documents_cached(["door operator", "fan motor", "door operator"], cache, model)
    assert model.asked == ["door operator", "fan motor"]
    assert first.shape == (3, EMBEDDING_DIMS) and first.dtype == np.float32
    assert np.array_equal(first[0], first[2])
    again = embed_documents_cached(["fan motor", "door operator", "relay"],
                                   EmbeddingCache(tmp_path / "e.sqlite3", "model-a"), model)
    assert model.asked == ["door operator", "fan motor", "relay"]  # only the new text was computed
    assert np.array_equal(again[0], first[1]) and np.array_equal(again[1], first[0])
    other_model = CountingEmbedder()
    embed_documents_cached(["fan motor"], EmbeddingCache(tmp_path / "e.sqlite3", "model-b"), other_model)
    assert other_model.asked == ["fan motor"]  # another model's vectors are not reused
    assert embed_documents_cached([], cache, model).shape == (0, EMBEDDING_DIMS)


def _must_not_compute(texts: Sequence[str]) -> np.ndarray:
    raise AssertionError(f"computed {list(texts)} again")


def test_cached_vectors_are_the_models_vectors(tmp_path: Path) -> None:
    texts = ["Otis door operator GAA24350BH1", "Copeland scroll compressor ZP49K5E", "Siemens contactor 3RT2"]
    cache = EmbeddingCache(tmp_path / "e.sqlite3", model_key())
    computed = embed_documents_cached(texts, cache)
    cached = embed_documents_cached(texts, cache, embed=_must_not_compute)
    assert np.array_equal(computed, cached)
    assert np.allclose(cached, embed_documents(texts), atol=1e-6)
