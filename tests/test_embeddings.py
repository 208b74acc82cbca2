"""Embeddings come from the bundled MiniLM, offline; the fast ONNX query path equals sentence-transformers."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.embeddings import SentenceTransformersEncoder, embed_documents, embed_texts
from knowledge.encoders import use_encoder
from knowledge.query_encoder import get_query_encoder

pytestmark = pytest.mark.long_module(50)  # seconds, all its tests (tests/conftest.py orders by it)


def test_bundled_model_gives_384_unit_vectors() -> None:
    vectors = embed_texts(["door operator motor for Otis Gen2", "scroll compressor 4 ton R-410A"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_onnx_query_encoder_matches_sentence_transformers() -> None:
    encoder = get_query_encoder()
    assert encoder is not None, "the ONNX export must work offline"
    for query in ["door operator for a gen2", "GAA26800LC1", "spo2 sensor intellivue", "40 amp contactor"]:
        reference = SentenceTransformersEncoder().encode(query.lower())
        assert float(encoder.encode(query.lower()) @ reference) > 0.9999


def test_similar_descriptions_are_closer_than_unrelated() -> None:
    a, b, c = embed_texts(["elevator door operator motor", "door motor for lift car door", "hvac air filter"])
    assert a @ b > a @ c


def test_document_batches_match_sentence_transformers_despite_padding() -> None:
    # Lengths differ a lot, so the batch is padded: the mask must keep padding out of the mean.
    texts = ["relay", "Otis GAA26800LC1 door operator motor, 1/4 HP, fits Gen2 and Gen2 Comfort " * 3,
             "Carrier 40 amp contactor", *[f"bag filter 24x24 MERV {n}" for n in range(40)]]
    with use_encoder("minilm-fp32"):
        fast = embed_documents(texts)
    reference = SentenceTransformersEncoder().encode_batch(texts)
    assert fast.shape == reference.shape == (len(texts), 384)
    assert float(np.min(np.sum(fast * reference, axis=1))) > 0.9999
