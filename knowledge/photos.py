"""Photos in the store: the bytes users sent, by id and owning organization, and the photos shown on a
listing in gallery order. Who may read or attach which photo is the tools' concern (tools/photos/store.py)."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session


def insert_photo(engine: Engine, user_id: uuid.UUID, organization_id: uuid.UUID, content_type: str, data: bytes,
                 source: str) -> uuid.UUID:
    photo_id = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO photos (id, user_id, organization_id, content_type, sha256, size_bytes, data, source) "
                 "VALUES (:id, :u, :o, :ct, :h, :n, :d, :s)"),
            {"id": photo_id, "u": user_id, "o": organization_id, "ct": content_type,
             "h": hashlib.sha256(data).hexdigest(), "n": len(data), "d": data, "s": source},
        )
    return photo_id


def organization_photo(session: Session, photo_id: uuid.UUID, organization_id: uuid.UUID) -> bytes | None:
    """The bytes of a photo this organization stored; None when there is no such photo of theirs."""
    data = session.execute(text("SELECT data FROM photos WHERE id = :id AND organization_id = :o"),
                           {"id": photo_id, "o": organization_id}).scalar()
    return bytes(data) if data is not None else None


def organization_photo_ids(session: Session, photo_ids: list[uuid.UUID], organization_id: uuid.UUID) -> set[uuid.UUID]:
    """Those of `photo_ids` that this organization stored."""
    return set(session.execute(text("SELECT id FROM photos WHERE id = ANY(:ids) AND organization_id = :o"),
                               {"ids": photo_ids, "o": organization_id}).scalars())


def show_on_listing(session: Session, listing_id: uuid.UUID, photo_ids: list[uuid.UUID]) -> None:
    """Add photos to a listing's gallery, in this order."""
    session.execute(text("INSERT INTO listing_photos (listing_id, photo_id, position) VALUES (:l, :p, :n)"),
                    [{"l": listing_id, "p": photo, "n": n} for n, photo in enumerate(photo_ids)])


def listing_photo_ids(session: Session, listing_id: uuid.UUID) -> list[uuid.UUID]:
    """The photos shown on a listing, in gallery order."""
    return list(session.execute(text("SELECT photo_id FROM listing_photos WHERE listing_id = :l "
                                     "ORDER BY position, created_at"), {"l": listing_id}).scalars())
