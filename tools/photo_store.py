"""Photos users send, stored in the database and referenced by id from conversation turns and listings."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.photo import PhotoRejected, load_photo
from tools.results import ToolFailed
from tools.visibility import listing_visibility_sql

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


def attach_listing_photos(session: Session, caller: Caller, listing_id: uuid.UUID,
                          photo_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Show these photos on the listing, in order (repeats dropped). Each must be a photo the caller's
    organization stored; otherwise ToolFailed not_found (another organization's photo is not revealed)."""
    wanted = list(dict.fromkeys(photo_ids))
    if not wanted:
        return []
    owned = set(session.execute(text("SELECT id FROM photos WHERE id = ANY(:ids) AND organization_id = :o"),
                                {"ids": wanted, "o": caller.organization_id}).scalars())
    missing = [str(p) for p in wanted if p not in owned]
    if missing:
        raise ToolFailed("not_found", f"No photo {', '.join(missing)} among the photos you have sent.",
                         hint="Attach photos the user sent in this conversation (their ids), or leave photo_ids out.")
    session.execute(text("INSERT INTO listing_photos (listing_id, photo_id, position) VALUES (:l, :p, :n)"),
                    [{"l": listing_id, "p": photo, "n": n} for n, photo in enumerate(wanted)])
    return wanted


def listing_photo_ids(session: Session, listing_id: uuid.UUID) -> list[uuid.UUID]:
    """The photos shown on a listing, in gallery order."""
    return list(session.execute(text("SELECT photo_id FROM listing_photos WHERE listing_id = :l "
                                     "ORDER BY position, created_at"), {"l": listing_id}).scalars())


def load_listing_photo_bytes(session: Session, caller: Caller, photo_id: str) -> bytes | None:
    """A photo's bytes when the caller's organization stored it or it is shown on a listing the caller may
    see (for channels that display listing galleries); None otherwise."""
    own = load_photo_bytes(session, caller, photo_id)
    if own is not None:
        return own
    try:
        key = uuid.UUID(str(photo_id))
    except ValueError:
        return None
    params: dict[str, object] = {"id": key}
    data = session.execute(text(
        "SELECT p.data FROM photos p JOIN listing_photos lp ON lp.photo_id = p.id "
        "JOIN marketplace_listings l ON l.id = lp.listing_id "
        f"WHERE p.id = :id AND {listing_visibility_sql(caller, params)} LIMIT 1"), params).scalar()
    return bytes(data) if data is not None else None


__all__ = ["PhotoRejected", "attach_listing_photos", "listing_photo_ids", "load_listing_photo_bytes",
           "load_photo_bytes", "save_photo"]
