"""A static Model2Vec encoder distilled from the bundled MiniLM: each token's vector computed once by MiniLM,
a text's vector the weighted mean of its tokens' (no transformer at run time).

Distillation runs MiniLM once over its own ~30k-token vocabulary (seconds to a minute on two cores) with the
bundled tokenizer; nothing is downloaded. PCA keeps all 384 dimensions (a rotation that centres the token
vectors and decorrelates the axes, which model2vec finds helps retrieval), so the schema's vector column fits
as it is. The model is written under PARTPILOT_HOME/models once and loaded from there.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import struct
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
    """Model2Vec inference, done here with `tokenizers` and numpy: tokenize, look up, mean, normalize. The same
    code for queries and documents, and the same vectors as model2vec's StaticModel.encode.

    The token matrix is mapped from the safetensors file, not read into memory: a server only touches the rows
    of the tokens its queries use, so an idle process does not carry the whole matrix (~45 MB as float32)."""

    def __init__(self, directory: Path) -> None:
        from tokenizers import Tokenizer

        config = json.loads((directory / "config.json").read_text())
        self.matrix = _map_tensor(directory / "model.safetensors", "embeddings")
        if self.matrix.shape[1] != EMBEDDING_DIMS:
            raise RuntimeError(f"static model has {self.matrix.shape[1]} dimensions; the schema expects "
                               f"{EMBEDDING_DIMS}")
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        vocabulary = self.tokenizer.get_vocab()
        if len(vocabulary) != self.matrix.shape[0]:
            raise RuntimeError(f"static model has {self.matrix.shape[0]} vectors for {len(vocabulary)} tokens")
        self.max_tokens: int | None = config.get("max_length")
        if self.max_tokens:
            self.tokenizer.enable_truncation(self.max_tokens)
        # model2vec cuts a text to max_length × the median token length in characters before tokenizing
        self.max_chars = (self.max_tokens or 0) * int(np.median([len(token) for token in vocabulary]))
        unknown = getattr(self.tokenizer.model, "unk_token", None)
        self.unknown_id = self.tokenizer.token_to_id(unknown) if unknown else None

    def encode(self, text: str) -> np.ndarray:
        return self.encode_batch([text])[0]

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), EMBEDDING_DIMS), dtype=np.float32)
        if not texts:
            return out
        cut = [text[: self.max_chars] for text in texts] if self.max_chars else list(texts)
        encodings = self.tokenizer.encode_batch_fast(cut, add_special_tokens=False)
        ids = [[i for i in encoding.ids if i != self.unknown_id] for encoding in encodings]
        rows = [row for row, tokens in enumerate(ids) if tokens]  # a text of no known token stays a zero vector
        if rows:
            counts = np.array([len(ids[row]) for row in rows])
            vectors = self.matrix[np.fromiter((i for row in rows for i in ids[row]), dtype=np.int64)]
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            out[rows] = np.add.reduceat(vectors, starts, axis=0) / counts[:, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-9, None)


def _map_tensor(path: Path, name: str) -> np.ndarray:
    """One float32 tensor of a safetensors file, memory-mapped read-only (the format: an 8-byte little-endian
    header length, a JSON header of names → dtype, shape and byte offsets, then the data)."""
    with path.open("rb") as file:
        header_length = struct.unpack("<Q", file.read(8))[0]
        header = json.loads(file.read(header_length))
    entry = header[name]
    if entry["dtype"] != "F32":
        raise RuntimeError(f"{path}: {name} is {entry['dtype']}, expected F32")
    begin, _ = entry["data_offsets"]
    return np.memmap(path, dtype="<f4", mode="r", offset=8 + header_length + begin, shape=tuple(entry["shape"]))


def load_static_encoder() -> StaticEncoder:
    ensure_static_model()
    return StaticEncoder(static_model_dir())
