"""The three text encoders: 384-d unit vectors, one space for queries and documents, int8 close to fp32, the
static model built once, and the encoder benchmark's report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from knowledge.embeddings import embed_documents, embed_query, embed_texts, part_embedding_text
from knowledge.encoders import ENCODERS, EncoderName, build_encoder, get_encoder, use_encoder
from knowledge.models.base import EMBEDDING_DIMS
from knowledge.settings import get_settings

pytestmark = pytest.mark.long_module(30)  # seconds, all its tests (tests/conftest.py orders by it)

PARTS = [
    {"manufacturer": "Otis", "name": "Door operator motor", "subcategory": "door equipment",
     "keywords": ["door motor", "operator"], "compatible_equipment": ["Gen2", "Gen2 Comfort"],
     "description": "1/4 HP DC motor for the car door operator."},
    {"manufacturer": "Copeland", "name": "Scroll compressor 4 ton", "subcategory": "compressors",
     "keywords": ["R-410A", "scroll"], "compatible_equipment": ["Carrier 24ACC6"],
     "description": "208/230 V single phase scroll compressor for R-410A systems."},
    {"manufacturer": "Sporlan", "name": "Thermostatic expansion valve", "subcategory": "valves",
     "keywords": ["TXV", "R-404A"], "compatible_equipment": [], "description": "Externally equalized, 3 ton."},
    {"manufacturer": "Titan", "name": "Run capacitor 45/5 uF 440 V", "subcategory": "capacitors",
     "keywords": ["dual run", "440V"], "compatible_equipment": ["Trane XR13"], "description": "Round can."},
    {"manufacturer": "Philips", "name": "SpO2 sensor", "subcategory": "patient monitoring",
     "keywords": ["pulse oximetry"], "compatible_equipment": ["IntelliVue MX450"], "description": "Adult clip."},
]
TEXTS = [part_embedding_text(p) for p in PARTS]


@pytest.fixture(scope="session")
def built_encoders() -> None:
    """Every encoder's files, built once under the test PARTPILOT_HOME (kept between runs like the ONNX export:
    distilling the static model takes ~16 s on an idle 2-core machine, ~75 s on a busy one)."""
    for name in ENCODERS:
        build_encoder(name)


@pytest.mark.parametrize("name", ENCODERS)
def test_each_encoder_gives_unit_vectors_of_the_schema_dims(built_encoders: None, name: EncoderName) -> None:
    encoder = get_encoder(name)
    batch = encoder.encode_batch(TEXTS)
    single = encoder.encode("door operator for a gen2")
    assert batch.shape == (len(TEXTS), EMBEDDING_DIMS) and batch.dtype == np.float32
    assert single.shape == (EMBEDDING_DIMS,)
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-4)
    assert abs(float(np.linalg.norm(single)) - 1.0) < 1e-4


# int8 quantizes activations with one scale per batch, so a padded batch moves a text's vector a little.
@pytest.mark.parametrize(("name", "floor"), [("minilm-fp32", 0.9999), ("minilm-int8", 0.98), ("static", 0.9999)])
def test_query_and_document_paths_share_one_space(built_encoders: None, name: EncoderName, floor: float) -> None:
    texts = [t.lower() for t in TEXTS]
    with use_encoder(name):
        documents = embed_documents(texts)
        queries = np.array([embed_query(t) for t in texts], dtype=np.float32)
        chunked = embed_texts(texts, batch_size=2)
    assert float(np.min(np.sum(documents * queries, axis=1))) > floor
    assert float(np.min(np.sum(documents * chunked, axis=1))) > floor


def test_static_inference_gives_model2vecs_own_vectors(built_encoders: None) -> None:
    """Ours maps the matrix and pools with numpy; model2vec's StaticModel is the reference, on part texts and on
    the edges: an empty text, a text of no known token, one past the token limit, text the tokenizer splits."""
    from model2vec import StaticModel

    from knowledge.encoders.static import static_model_dir

    texts = [*TEXTS, "", "\u2603\u2603", "R-410A txv 3t " * 400, "Sp\u00f6rlan 45/5 \u00b5F 440V cap", "gen2 door op"]
    ours = get_encoder("static").encode_batch(texts)
    model = StaticModel.from_pretrained(str(static_model_dir()))
    reference = np.asarray(model.encode(texts, use_multiprocessing=False), dtype=np.float32)
    norms = np.linalg.norm(reference, axis=1, keepdims=True)
    reference = reference / np.clip(norms, 1e-9, None)
    assert np.allclose(ours, reference, atol=1e-6)
    assert not ours[len(TEXTS)].any()  # no token at all: the zero vector, as model2vec gives


def test_int8_stays_close_to_fp32_on_part_texts(built_encoders: None) -> None:
    fp32 = get_encoder("minilm-fp32").encode_batch(TEXTS)
    int8 = get_encoder("minilm-int8").encode_batch(TEXTS)
    assert float(np.min(np.sum(fp32 * int8, axis=1))) > 0.9


def test_the_setting_chooses_the_encoder_of_search_queries(built_encoders: None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.embeddings import _embed_query_cached

    assert get_settings().embedding_encoder == "static"  # the default `bench encoders` chose (docs/encoders.md)
    default = np.array(embed_query("scroll compressor r-410a"))
    assert np.allclose(default, get_encoder("static").encode("scroll compressor r-410a"), atol=1e-6)
    monkeypatch.setattr(get_settings(), "embedding_encoder", "minilm-fp32")
    _embed_query_cached.cache_clear()
    try:
        minilm = np.array(embed_query("scroll compressor r-410a"))
        assert np.allclose(minilm, get_encoder("minilm-fp32").encode("scroll compressor r-410a"), atol=1e-6)
        assert not np.allclose(minilm, default, atol=1e-2)
    finally:
        _embed_query_cached.cache_clear()


def test_chat_messages_are_read_by_minilm_whatever_search_uses(built_encoders: None,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.embeddings import _embed_sentence_cached, embed_sentence

    message = "got a contactor in the van?"
    _embed_sentence_cached.cache_clear()
    try:
        for search_encoder in ("static", "minilm-int8"):
            monkeypatch.setattr(get_settings(), "embedding_encoder", search_encoder)
            _embed_sentence_cached.cache_clear()
            read = np.array(embed_sentence(message))
            assert np.allclose(read, get_encoder("minilm-fp32").encode(message), atol=1e-6)
        monkeypatch.setattr(get_settings(), "nlu_encoder", "minilm-int8")
        _embed_sentence_cached.cache_clear()
        assert np.allclose(embed_sentence(message), get_encoder("minilm-int8").encode(message), atol=1e-6)
    finally:
        _embed_sentence_cached.cache_clear()


def test_static_model_is_built_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.encoders import static

    monkeypatch.setattr(get_settings(), "partpilot_home", tmp_path)
    calls: list[Path] = []

    def fake_distill(target: Path) -> None:
        calls.append(target)
        target.mkdir(parents=True)
        (target / "config.json").write_text("{}")

    monkeypatch.setattr(static, "distill_static_model", fake_distill)
    stages: list[str] = []
    assert build_encoder("static", stages.append) is True
    assert build_encoder("static", stages.append) is False
    assert calls == [static.static_model_dir()] and str(tmp_path) in str(calls[0])
    assert stages == ["distilling MiniLM into a static model"]


def test_embeddings_build_command_is_a_no_op_when_built(built_encoders: None) -> None:
    from partpilot.cli import app

    result = CliRunner().invoke(app, ["embeddings", "build", "--encoder", "static"])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(app, ["embeddings", "build", "--encoder", "bert"]).exit_code != 0


def test_encoder_bench_writes_the_documented_report(engine: Engine, built_encoders: None, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge import encoders
    from partpilot.bench import encoders as bench

    # The real bench encodes the whole catalog with MiniLM (minutes on two cores): here every name, for documents
    # and queries alike, is served by the static model, so what is tested is the procedure and the report.
    static = get_encoder("static")
    monkeypatch.setattr(encoders, "_load", lambda name: static)
    stages: dict[str, int] = {}

    def progress(stage: str, advance: int, total: int) -> None:
        stages[stage] = stages.get(stage, 0) + advance

    out = tmp_path / "encoders.json"
    report = bench.run_encoder_bench(out, parts=100, max_queries=4, encoders=("static",), progress=progress,
                                     main=engine)
    assert json.loads(out.read_text()) == report
    assert set(report) == {"parts", "queries", "cpu_count", "criteria", "encoders", "recommended", "default"}
    assert list(report["encoders"]) == ["minilm-fp32", "static"] and report["queries"] == 4  # fp32: the reference
    keys = {"texts_per_s", "encode_seconds", "hybrid_top1", "hybrid_recall_at_5", "hybrid_mrr",
            "hybrid_top1_counting_builds", "vector_recall_at_10", "vector_top1", "vector_recall_at_5",
            "cosine_to_fp32_mean", "cosine_to_fp32_min"}
    for row in report["encoders"].values():
        assert set(row) == keys
        assert row["hybrid_top1"] >= 0.75 and row["vector_recall_at_10"] > 0.5
        assert row["hybrid_top1"] <= row["hybrid_top1_counting_builds"]
        assert row["cosine_to_fp32_mean"] == pytest.approx(1.0, abs=1e-4)  # the same model stood in for all
    assert report["recommended"] in (*ENCODERS, None)
    assert stages["encoders"] == 2 and stages["encode:static"] == report["parts"]
    with engine.connect() as conn:  # the scratch database is gone
        name = f"{engine.url.database}_encoders"
        assert not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()


def test_recommendation_needs_quality_and_speed() -> None:
    from partpilot.bench.encoders import recommend

    def row(top1: float, speed: float) -> dict[str, Any]:
        return {"hybrid_top1_counting_builds": top1, "texts_per_s": speed}

    assert recommend({"minilm-fp32": row(0.96, 80), "minilm-int8": row(0.955, 160),
                      "static": row(0.90, 40000)}) is None
    assert recommend({"minilm-fp32": row(0.96, 80), "minilm-int8": row(0.955, 1500),
                      "static": row(0.951, 40000)}) == "static"
    assert recommend({"minilm-fp32": row(0.96, 80), "minilm-int8": row(0.955, 1500),
                      "static": row(0.94, 40000)}) == "minilm-int8"


def test_similarity_floors_set_on_minilm_move_with_the_encoder() -> None:
    from knowledge.encoders import similarity_floor

    for name in ("minilm-fp32", "minilm-int8"):
        with use_encoder(name):
            assert similarity_floor(0.55) == 0.55 and similarity_floor(0.45) == 0.45
    with use_encoder("static"):  # quantile-matched on the demo catalog (docs/encoders.md)
        assert similarity_floor(0.55) == pytest.approx(0.64, abs=0.005)
        assert similarity_floor(0.45) == pytest.approx(0.557, abs=0.005)
