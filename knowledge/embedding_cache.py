"""Document embeddings remembered on disk, so that seeding the same world again embeds nothing new.

Seeding embeds ~3,800 texts (~80 s on two cores); a second database for a test, or a `seed --reset`, asks
for the same texts again. Vectors are kept in one SQLite file under `PARTPILOT_HOME/cache`, keyed by the model
(its directory and weights file) and the sha256 of the text, as the float32 bytes the model produced.
SQLite because several processes (parallel test sessions) may seed at once: writers queue on its lock.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from knowledge.embeddings import embed_documents, model_directory
from knowledge.models.base import EMBEDDING_DIMS
from knowledge.settings import get_settings

if TYPE_CHECKING:
    from knowledge.encoders import EncoderName

log = logging.getLogger(__name__)
_LOOKUP_CHUNK = 500  # SQLite caps the number of bound parameters per statement


def cache_path() -> Path:
    return get_settings().home / "cache" / "embeddings.sqlite3"


def model_key(encoder: EncoderName | None = None) -> str:
    """Which model made a vector: its directory, and its weights file's size and time (a new model misses), and
    the encoder derived from it (`encoder`, default the active one; MiniLM's key is unchanged from before there
    was a choice)."""
    from knowledge.encoders import REFERENCE_ENCODER, active_encoder_name

    directory = Path(model_directory())
    weights = directory / "model.safetensors"
    stamp = f"{weights.stat().st_size}-{int(weights.stat().st_mtime)}" if weights.exists() else "custom"
    encoder = encoder or active_encoder_name()
    suffix = "" if encoder == REFERENCE_ENCODER else f"|{encoder}"
    return f"{directory.resolve()}|{stamp}|{EMBEDDING_DIMS}{suffix}"


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    """Vectors by (model, text) in one SQLite file."""

    def __init__(self, path: Path, model: str) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn, conn:
            conn.execute("CREATE TABLE IF NOT EXISTS models (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)")
            conn.execute("CREATE TABLE IF NOT EXISTS vectors (model INTEGER NOT NULL, digest BLOB NOT NULL, "
                         "vector BLOB NOT NULL, PRIMARY KEY (model, digest))")
            conn.execute("INSERT OR IGNORE INTO models (key) VALUES (?)", (model,))
            self.model = int(conn.execute("SELECT id FROM models WHERE key = ?", (model,)).fetchone()[0])

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=60)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def get(self, texts: Sequence[str]) -> dict[bytes, np.ndarray]:
        """Cached vectors of these texts, by the text's digest."""
        digests = list(dict.fromkeys(_digest(t) for t in texts))
        found: dict[bytes, np.ndarray] = {}
        with closing(self._connect()) as conn:
            for start in range(0, len(digests), _LOOKUP_CHUNK):
                chunk = digests[start : start + _LOOKUP_CHUNK]
                rows = conn.execute(f"SELECT digest, vector FROM vectors WHERE model = ? AND digest IN "
                                    f"({','.join('?' * len(chunk))})", [self.model, *chunk])
                for digest, blob in rows:
                    found[digest] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [(self.model, _digest(t), np.asarray(v, dtype=np.float32).tobytes())
                for t, v in zip(texts, vectors, strict=True)]
        with closing(self._connect()) as conn, conn:
            conn.executemany("INSERT OR IGNORE INTO vectors (model, digest, vector) VALUES (?, ?, ?)", rows)


def embed_documents_cached(texts: Sequence[str], cache: EmbeddingCache | None = None,
                           embed: Callable[[Sequence[str]], np.ndarray] | None = None) -> np.ndarray:
    """`embed_documents` (or `embed`), reading the vectors of texts embedded before from the cache and adding
    the new ones to it."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIMS), dtype=np.float32)
    cache = cache or EmbeddingCache(cache_path(), model_key())
    known = cache.get(texts)
    missing = list(dict.fromkeys(t for t in texts if _digest(t) not in known))
    if missing:
        fresh = (embed or embed_documents)(missing)
        cache.put(missing, fresh)
        known.update((_digest(t), np.asarray(v, dtype=np.float32)) for t, v in zip(missing, fresh, strict=True))
    log.debug("embeddings: %d cached, %d computed", len(texts) - len(missing), len(missing))
    return np.vstack([known[_digest(t)] for t in texts])
