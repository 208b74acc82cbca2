"""The text and vector a listing is searched by."""

from __future__ import annotations

from typing import Any

from knowledge.embeddings import embed_documents


def vector_literal(vector: Any) -> str:
    return "[" + ",".join(f"{float(x):.6f}" for x in vector) + "]"


def embed_one(text_value: str) -> list[float]:
    return [float(x) for x in embed_documents([text_value])[0]]


def listing_embedding_text(manufacturer: str, part_number: str, name: str, description: str) -> str:
    """Same text the seed loader embeds listings from, so new and seeded listings are comparable."""
    return f"{manufacturer} {part_number} {name}. {description}"
