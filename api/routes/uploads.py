"""Photo uploads under /api/v1/uploads: a nameplate or part photo in, a photo id (for chat) out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from api.deps import CallerDep, EngineDep
from api.errors import ERROR_RESPONSES
from tools.photos import PhotoRejected, save_photo

router = APIRouter(prefix="/api/v1/uploads", tags=["uploads"], responses=ERROR_RESPONSES)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"})


class UploadedPhoto(BaseModel):
    id: str
    content_type: str
    size_bytes: int


def _invalid(message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body", "file"), "type": "value_error", "msg": message}])


@router.post("", status_code=201, response_model=UploadedPhoto,
             responses={413: {"description": "Larger than 10 MB"}, 422: {"description": "Not a usable image"}})
async def upload_photo(file: Annotated[UploadFile, File(description="JPEG, PNG or WebP, at most 10 MB")],
                       caller: CallerDep, engine: EngineDep) -> UploadedPhoto:
    """Store a photo (e.g. of a nameplate) for the caller's organization; send its id with a chat message."""
    content_type = (file.content_type or "").lower()
    if content_type not in ACCEPTED_TYPES:
        raise _invalid("Only photos are accepted (JPEG, PNG or WebP).")
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, "The photo is larger than 10 MB; please send a smaller one.")
    if not data:
        raise _invalid("The file is empty.")
    try:
        photo_id = await run_in_threadpool(save_photo, engine, caller, data, "web")
    except PhotoRejected as exc:
        raise _invalid(str(exc)) from exc
    return UploadedPhoto(id=photo_id, content_type=content_type, size_bytes=len(data))
