"""Fast embeddings (one query, or document batches when seeding): the bundled MiniLM exported once to
ONNX and run with onnxruntime.

sentence-transformers costs ~17 ms per short query on a 2-core CPU; the same weights under onnxruntime
cost ~7 ms, which matters inside a 30 ms search budget. The export is derived locally from the bundled
model (nothing downloaded) and checked against sentence-transformers by a test.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.settings import get_settings

log = logging.getLogger(__name__)
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_export_lock = threading.Lock()
_MAX_TOKENS = 256  # sentence-transformers' max_seq_length for MiniLM (sentence_bert_config.json)


def _model_dir() -> Path:
    from knowledge.embeddings import model_directory

    return Path(model_directory())


def onnx_path() -> Path:
    """Where the fp32 ONNX export is (or will be) under PARTPILOT_HOME; `onnx_file` makes it."""
    source = _model_dir() / "model.safetensors"
    stamp = f"{source.stat().st_size}-{int(source.stat().st_mtime)}" if source.exists() else "custom"
    return get_settings().home / "models" / f"minilm-l6-v2-{stamp}.onnx"


def _export(target: Path) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(_model_dir())).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(_model_dir()))

    class _LastHidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = tokenizer(["door operator"], return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    torch.onnx.export(
        _LastHidden(model), tuple(sample[k] for k in _INPUTS), str(partial), input_names=list(_INPUTS),
        output_names=["last_hidden_state"], opset_version=17, dynamo=False,
        dynamic_axes={name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")},
    )
    partial.replace(target)


def _load_tokenizer() -> Any:
    """MiniLM's fast tokenizer from its tokenizer.json, through `tokenizers` alone: `transformers`'
    AutoTokenizer would import torch (~450 MB resident) into every serving process."""
    from tokenizers import Tokenizer

    file = _model_dir() / "tokenizer.json"
    if file.exists():
        tokenizer = Tokenizer.from_file(str(file))
    else:  # a configured model without one: transformers converts its slow tokenizer (and loads torch)
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(str(_model_dir())).backend_tokenizer
    # The file pads every text to 128 tokens and cuts there; sentence-transformers cuts at 256, pads to the batch.
    tokenizer.enable_truncation(max_length=_MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_type_id=0, pad_token="[PAD]")
    return tokenizer


class QueryEncoder:
    def __init__(self, onnx_file: Path) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # one query at a time; concurrency comes from requests
        self.session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self._onnx_file = onnx_file
        self._batch_session: Any = None
        self.tokenizer = _load_tokenizer()

    def encode(self, text: str) -> np.ndarray:
        return self._run(self.session, [text])[0]

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """Many documents at once, on every core (seeding: no requests compete for them)."""
        if self._batch_session is None:
            import onnxruntime as ort

            self._batch_session = ort.InferenceSession(str(self._onnx_file), ort.SessionOptions(),
                                                       providers=["CPUExecutionProvider"])
        # Sorting by length keeps padding, and so wasted work, small within each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), 32):
            index = order[start : start + 32]
            out[index] = self._run(self._batch_session, [texts[i] for i in index])
        return out

    def _run(self, session: Any, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        enc = {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
               "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
               "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64)}
        hidden = session.run(None, enc)[0]
        mask = enc["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


def ensure_onnx_export(stage: Callable[[str], None] | None = None) -> bool:
    """Export MiniLM to ONNX under PARTPILOT_HOME unless that is done already; True when it exported now."""
    target = onnx_path()
    if target.exists():
        return False
    if stage:
        stage("exporting MiniLM to ONNX")
    log.info("exporting MiniLM to ONNX at %s (once)", target)
    _export(target)
    return True


def onnx_file() -> Path:
    """The fp32 ONNX export, made first if missing."""
    ensure_onnx_export()
    return onnx_path()


def get_query_encoder() -> QueryEncoder | None:
    """The ONNX encoder, exporting it on first use; None (fall back to sentence-transformers) if that fails."""
    with _export_lock:  # concurrent first searches would otherwise import transformers twice at once
        return _load_query_encoder()


@lru_cache(maxsize=1)
def _load_query_encoder() -> QueryEncoder | None:
    try:
        return QueryEncoder(onnx_file())
    except Exception:  # the fallback is slower but equivalent, so search keeps working
        log.exception("ONNX query encoder unavailable; using sentence-transformers for queries")
        return None
