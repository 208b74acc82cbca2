"""Photos users send: only images we can read are stored (knowledge/photos.py), an organization reads its own
photos, and another organization's photo is seen only on a listing the caller may see."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from knowledge.photos import (
    insert_photo,
    organization_photo,
    organization_photo_ids,
    show_on_listing,
)
from tools.context import Caller
from tools.photos.decode import PhotoRejected, load_photo
from tools.results import ToolFailed
from tools.rules.visibility import listing_visibility_sql

_CONTENT_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def save_photo(engine: Engine, caller: Caller, data: bytes, source: str = "upload") -> str:
    """Validate and store a photo; returns its id. Raises PhotoRejected (with a user-facing reason)."""
    image = load_photo(data)
    content_type = _CONTENT_TYPES.get(image.format or "", "image/jpeg")
    return str(insert_photo(engine, caller.user_id, caller.organization_id, content_type, data, source))


def load_photo_bytes(session: Session, caller: Caller, photo_id: str) -> bytes | None:
    """The photo's bytes when the caller's organization owns it; None otherwise (not found or not theirs)."""
    try:
        key = uuid.UUID(str(photo_id))
    except ValueError:
        return None
    return organization_photo(session, key, caller.organization_id)


def attach_listing_photos(session: Session, caller: Caller, listing_id: uuid.UUID,
                          photo_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Show these photos on the listing, in order (repeats dropped). Each must be a photo the caller's
    organization stored; otherwise ToolFailed not_found (another organization's photo is not revealed)."""
    wanted = list(dict.fromkeys(photo_ids))
    if not wanted:
        return []
    owned = organization_photo_ids(session, wanted, caller.organization_id)
    missing = [str(p) for p in wanted if p not in owned]
    if missing:
        raise ToolFailed("not_found", f"No photo {', '.join(missing)} among the photos you have sent.",
                         hint="Attach photos the user sent in this conversation (their ids), or leave photo_ids out.")
    show_on_listing(session, listing_id, wanted)
    return wanted


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


__all__ = ["PhotoRejected", "attach_listing_photos", "load_listing_photo_bytes",
           "load_photo_bytes", "save_photo"]
