"""Photos users send, stored in the database and referenced by id from conversation turns."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.photo import PhotoRejected, load_photo

_CONTENT_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def save_photo(engine: Engine, caller: Caller, data: bytes, source: str = "upload") -> str:
    """Validate and store a photo; returns its id. Raises PhotoRejected (with a user-facing reason)."""
    image = load_photo(data)
    content_type = _CONTENT_TYPES.get(image.format or "", "image/jpeg")
    photo_id = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO photos (id, user_id, organization_id, content_type, sha256, size_bytes, data, source) "
                 "VALUES (:id, :u, :o, :ct, :h, :n, :d, :s)"),
            {"id": photo_id, "u": caller.user_id, "o": caller.organization_id, "ct": content_type,
             "h": hashlib.sha256(data).hexdigest(), "n": len(data), "d": data, "s": source},
        )
    return str(photo_id)


def load_photo_bytes(session: Session, caller: Caller, photo_id: str) -> bytes | None:
    """The photo's bytes when the caller's organization owns it; None otherwise (not found or not theirs)."""
    try:
        key = uuid.UUID(str(photo_id))
    except ValueError:
        return None
    data = session.execute(
        text("SELECT data FROM photos WHERE id = :id AND organization_id = :o"),
        {"id": key, "o": caller.organization_id},
    ).scalar()
    return bytes(data) if data is not None else None


__all__ = ["PhotoRejected", "load_photo_bytes", "save_photo"]
