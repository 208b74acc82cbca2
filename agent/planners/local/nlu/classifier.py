"""The intent classifier: a linear SVM over the MiniLM sentence embedding, character n-grams and
negation-marked word n-grams of the masked message; its scores become probabilities through a softmax
whose temperature is fitted on cross-validated predictions, so that its confidence means what it says.
Trained from data/train in seconds and cached on disk under PARTPILOT_HOME keyed by the data and this code,
so a planner starts without retraining."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from agent.planners.local.nlu import features
from agent.planners.local.nlu.examples import DATA_DIR, NLU_DIR, Example

log = logging.getLogger(__name__)
EMBEDDING_WEIGHT = 1.5
C = 1.0
FOLDS = 3
CODE_VERSION = "2"


@dataclass(frozen=True)
class Ranked:
    intent: str
    confidence: float


def embed_examples(texts: Sequence[str]) -> np.ndarray:
    """The examples' vectors, as `embed_sentence` computes them at run time (lower case); vectors computed before
    are read from the on-disk embedding cache, so retraining after an edit embeds only the new lines."""
    from knowledge.embedding_cache import EmbeddingCache, cache_path, embed_documents_cached, model_key
    from knowledge.embeddings import embed_sentences
    from knowledge.settings import get_settings

    cache = EmbeddingCache(cache_path(), model_key(get_settings().nlu_encoder))
    return np.asarray(embed_documents_cached([t.strip().lower() for t in texts], cache, embed_sentences),
                      dtype=np.float32)


class IntentModel:
    """Fitted vectorizers, the linear model and its temperature."""

    def __init__(self) -> None:
        self.chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True, min_df=1)
        self.words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                     token_pattern=r"(?u)[^\s]+")
        self.model = LinearSVC(C=C, tol=1e-3, random_state=0)  # the same data trains the same model
        self.temperature = 1.0
        self.labels: list[str] = []

    def _matrix(self, masked: Sequence[str], embeddings: np.ndarray, fit: bool = False) -> Any:
        words = [features.word_features(m) for m in masked]
        if fit:
            chars, toks = self.chars.fit_transform(masked), self.words.fit_transform(words)
        else:
            chars, toks = self.chars.transform(masked), self.words.transform(words)
        return sparse.hstack([chars, toks, sparse.csr_matrix(embeddings * EMBEDDING_WEIGHT)]).tocsr()

    def fit(self, masked: Sequence[str], embeddings: np.ndarray, intents: Sequence[str],
            temperature: float | None = None) -> IntentModel:
        """Fit the model; the softmax temperature is fitted on cross-validated scores unless given."""
        y = np.asarray(intents)
        self.temperature = temperature if temperature is not None else _fit_temperature(masked, embeddings, y)
        self.model.fit(self._matrix(masked, embeddings, fit=True), y)
        self.labels = [str(c) for c in self.model.classes_]
        return self

    def rank(self, masked: str, embedding: np.ndarray) -> list[Ranked]:
        logits = self._logits(masked, embedding)
        probs = _softmax(logits / self.temperature)
        order = np.argsort(-probs)
        return [Ranked(self.labels[i], float(probs[i])) for i in order[:5]]


    def _logits(self, masked: str, embedding: np.ndarray) -> np.ndarray:
        """`decision_function` of one message, from the same tf-idf features and weights, computed directly: for
        one short text, sklearn's input checks and sparse matrices cost ten times the arithmetic."""
        coef = self.model.coef_
        if coef.shape[0] == 1:  # two intents: sklearn's one-column form
            return np.asarray(self.model.decision_function(self._matrix([masked], embedding[None, :]))[0])
        analyzers = self.__dict__.get("_analyzers")
        if analyzers is None:
            analyzers = self.__dict__["_analyzers"] = (self.chars.build_analyzer(), self.words.build_analyzer())
        n_chars, n_words = len(self.chars.idf_), len(self.words.idf_)
        cols_c, vals_c = _tfidf(self.chars, analyzers[0](masked))
        cols_w, vals_w = _tfidf(self.words, analyzers[1](features.word_features(masked)))
        dense = (embedding * EMBEDDING_WEIGHT).astype(np.float64)  # as hstack upcasts the float32 block
        return np.asarray(coef[:, cols_c] @ vals_c + coef[:, n_chars + cols_w] @ vals_w
                          + coef[:, n_chars + n_words:] @ dense + self.model.intercept_)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_analyzers"}


def _tfidf(vectorizer: TfidfVectorizer, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """One text's l2-normalised sublinear tf-idf, as (column, value) pairs in column order like sklearn's."""
    vocabulary = vectorizer.vocabulary_
    counts = Counter(vocabulary[t] for t in terms if t in vocabulary)
    order = sorted(counts)
    cols = np.array(order, dtype=np.intp)
    values = (np.log(np.array([counts[c] for c in order], dtype=np.float64)) + 1.0) * vectorizer.idf_[cols]
    norm = np.sqrt(np.dot(values, values))
    return cols, values / norm if norm > 0 else values


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=-1, keepdims=True))
    return np.asarray(z / z.sum(axis=-1, keepdims=True))


def _fit_temperature(masked: Sequence[str], embeddings: np.ndarray, y: np.ndarray) -> float:
    """The temperature that makes cross-validated probabilities honest (least negative log-likelihood)."""
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=7)
    logits: list[np.ndarray] = []
    truth: list[int] = []
    labels = sorted(set(y))
    index = {label: i for i, label in enumerate(labels)}
    for train, held in folds.split(np.zeros(len(y)), y):
        part = IntentModel()
        part.model.fit(part._matrix([masked[i] for i in train], embeddings[train], fit=True), y[train])
        scores = part.model.decision_function(part._matrix([masked[i] for i in held], embeddings[held]))
        full = np.full((len(held), len(labels)), -1e4)
        for j, label in enumerate(part.model.classes_):
            full[:, index[str(label)]] = scores[:, j]
        logits.append(full)
        truth.extend(index[str(label)] for label in y[held])
    stacked, target = np.vstack(logits), np.asarray(truth)
    best, best_nll = 1.0, float("inf")
    for temperature in np.geomspace(0.02, 3.0, 90):
        probs = _softmax(stacked / temperature)
        nll = float(-np.log(np.clip(probs[np.arange(len(target)), target], 1e-12, None)).mean())
        if nll < best_nll:
            best, best_nll = float(temperature), nll
    return best


def data_fingerprint() -> str:
    from knowledge.settings import get_settings

    digest = hashlib.sha256(CODE_VERSION.encode())
    digest.update(get_settings().nlu_encoder.encode())  # a model trained on one encoder's vectors reads no other's
    import sklearn

    digest.update(sklearn.__version__.encode())
    for path in [NLU_DIR / "domain.yml", NLU_DIR / "patterns.yml", Path(features.__file__), Path(__file__),
                 *sorted((DATA_DIR / "train").glob("*.yml")), *sorted((DATA_DIR / "test").glob("*.yml"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def train(examples: Sequence[Example], masked: Sequence[str]) -> IntentModel:
    started = time.perf_counter()
    embeddings = embed_examples([features.spoken(m) for m in masked])
    model = IntentModel().fit(masked, embeddings, [e.intent for e in examples])
    log.info("intent model trained on %d examples in %.1f s (T=%.2f)", len(examples),
             time.perf_counter() - started, model.temperature)
    return model


_lock = threading.Lock()


def cached_model(cache_dir: Path, build: Any) -> IntentModel:
    """The model for the current data: from the cache file, else trained by `build()` and cached."""
    path = cache_dir / f"intents-{data_fingerprint()}.pkl"
    with _lock:
        if path.exists():
            try:
                with path.open("rb") as fh:
                    model: IntentModel = pickle.load(fh)
                return model
            except Exception:  # a stale or partial cache file is rebuilt, never trusted
                log.warning("intent model cache %s unreadable; retraining", path)
        model = build()
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        with partial.open("wb") as fh:
            pickle.dump(model, fh)
        partial.replace(path)
        for older in cache_dir.glob("intents-*.pkl"):  # models of earlier data are never read again
            if older != path:
                older.unlink(missing_ok=True)
        return model
