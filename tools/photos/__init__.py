"""Photos: read part numbers off nameplate and label photos (offline OCR and barcodes, or a vision model), store what
users send, and identify the part in one.

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.photos.decode import MAX_BYTES
    from tools.photos.identify import IdentifyPartFromPhotoInput, IdentifyPartFromPhotoOutput
    from tools.photos.store import PhotoRejected, save_photo

__getattr__, __all__ = public_schemas(__name__, __file__)
