"""A static Model2Vec encoder distilled from the bundled MiniLM: each token's vector computed once by MiniLM,
a text's vector the weighted mean of its tokens' (no transformer at run time).

Distillation runs MiniLM once over its own ~30k-token vocabulary (seconds to a minute on two cores) with the
bundled tokenizer; nothing is downloaded. PCA keeps all 384 dimensions (a rotation that centres the token
vectors and decorrelates the axes, which model2vec finds helps retrieval), so the schema's vector column fits
as it is. The model is written under PARTPILOT_HOME/models once and loaded from there.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.models.base import EMBEDDING_DIMS
from knowledge.settings import get_settings

log = logging.getLogger(__name__)


def static_model_dir() -> Path:
    """Where the distilled model lives: named after the source weights, so a new MiniLM makes a new model."""
    from knowledge.embeddings import model_directory

    source = Path(model_directory()) / "model.safetensors"
    stamp = f"{source.stat().st_size}-{int(source.stat().st_mtime)}" if source.exists() else "custom"
    return get_settings().home / "models" / f"static-minilm-l6-v2-{stamp}-pca{EMBEDDING_DIMS}"


def distill_static_model(target: Path) -> None:
    """Distill the bundled MiniLM into a Model2Vec model at `target` (written elsewhere, then moved in)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    from knowledge.embeddings import model_directory

    source = model_directory()
    tokenizer: Any = AutoTokenizer.from_pretrained(source)  # MiniLM's is a fast (Rust) tokenizer
    model = distill_from_model(AutoModel.from_pretrained(source), tokenizer, pca_dims=EMBEDDING_DIMS,
                               quantize_to="float32", device="cpu")
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(partial, ignore_errors=True)
    model.save_pretrained(str(partial))
    try:
        partial.rename(target)
    except OSError:  # another process finished first; its model is the same
        shutil.rmtree(partial, ignore_errors=True)


def ensure_static_model(stage: Callable[[str], None] | None = None) -> bool:
    """Distill the static model unless it is built already; True when it was built now."""
    target = static_model_dir()
    if (target / "config.json").exists():
        return False
    if stage:
        stage("distilling MiniLM into a static model")
    log.info("distilling a static encoder from MiniLM into %s (once)", target)
    target.parent.mkdir(parents=True, exist_ok=True)
    distill_static_model(target)
    return True


class StaticEncoder:
    """Model2Vec inference: tokenize, look up, weighted mean, normalize. The same code for queries and documents."""

    def __init__(self, directory: Path) -> None:
        from model2vec import StaticModel

        self.model: Any = StaticModel.from_pretrained(str(directory))
        if self.model.dim != EMBEDDING_DIMS:
            raise RuntimeError(f"static model has {self.model.dim} dimensions; the schema expects {EMBEDDING_DIMS}")

    def encode(self, text: str) -> np.ndarray:
        return self.encode_batch([text])[0]

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, EMBEDDING_DIMS), dtype=np.float32)
        # No worker processes: they would not be counted in "two threads" and the lookup is already fast.
        vectors = np.asarray(self.model.encode(list(texts), use_multiprocessing=False), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.clip(norms, 1e-9, None)


def load_static_encoder() -> StaticEncoder:
    ensure_static_model()
    return StaticEncoder(static_model_dir())
