"""The photo as an image: checked (size, format, pixels) and decoded upright, and its text found (OCR boxes with
their recognised text). What the text says is reading.py's concern."""

from __future__ import annotations

import io
import os
import threading
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 60_000_000
MAX_SIDE = 1600  # long side the photo is reduced to before barcode decoding and text recognition
DET_SIDE = 1024  # long side of the (cheaper) copy that text *detection* runs on
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
_HEIF_BRANDS = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypheim", b"ftypheis", b"ftypmif1", b"ftypmsf1")


class PhotoRejected(ValueError):
    """The bytes are not a photo we can read; ``reason`` is a message fit to show the technician."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def load_photo(image_bytes: bytes) -> Image.Image:
    """Validate and decode photo bytes to an upright RGB image with long side <= MAX_SIDE."""
    if not isinstance(image_bytes, bytes | bytearray | memoryview):
        raise PhotoRejected("Expected the photo's bytes.")
    data = bytes(image_bytes)
    if not data:
        raise PhotoRejected("The photo is empty (0 bytes). Please send it again.")
    if len(data) > MAX_BYTES:
        raise PhotoRejected(f"The photo is {len(data) / 1024 / 1024:.1f} MB; the limit is 10 MB. "
                            "Please send a smaller or lower-resolution photo.")
    if data[4:12] in _HEIF_BRANDS:
        raise PhotoRejected("HEIC/HEIF photos can't be read here. Please send the photo as JPEG "
                            "(most phones do this when sharing, or set the camera to 'Most Compatible').")
    try:
        img = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise PhotoRejected("That file is not an image I can read. Please send a JPEG, PNG or WebP photo.") from exc
    if img.format not in ACCEPTED_FORMATS:
        raise PhotoRejected(f"{img.format} images aren't supported. Please send a JPEG, PNG or WebP photo.")
    if img.width * img.height > MAX_PIXELS:
        raise PhotoRejected(f"The photo is {img.width}x{img.height} pixels, which is too large to process.")
    try:
        if img.format in ("JPEG", "MPO"):
            img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # let libjpeg decode big photos at reduced size
        img.load()
        img = ImageOps.exif_transpose(img)  # type: ignore[assignment]
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoRejected("The photo looks corrupted or incomplete (maybe the upload was cut off). "
                            "Please take or send it again.") from exc
    img = img.convert("RGB")  # type: ignore[assignment]
    if max(img.size) > MAX_SIDE:
        img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return img


_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()


def _ocr_engine() -> Any:
    """The RapidOCR engine, loaded once (its ONNX models ship inside the wheel)."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            from rapidocr_onnxruntime import RapidOCR

            # No angle classifier (plates are roughly upright); detection size is set by DET_SIDE.
            kwargs: dict[str, Any] = {"use_cls": False, "det_limit_side_len": 480, "det_limit_type": "min"}
            threads = int(os.environ.get("PARTPILOT_OCR_THREADS", "0") or 0)
            if threads > 0:  # 1 is faster on a CPU shared with other busy processes
                kwargs |= {"intra_op_num_threads": threads, "inter_op_num_threads": 1}
            _ENGINE = RapidOCR(**kwargs)
    return _ENGINE


def ocr(img: Image.Image) -> list[tuple[np.ndarray, str, float]]:
    """Detect text on a DET_SIDE copy, recognise crops from the sharper MAX_SIDE image."""
    engine = _ocr_engine()
    bgr = np.ascontiguousarray(np.asarray(img)[:, :, ::-1])
    ratio = min(1.0, DET_SIDE / max(img.size))
    small = img.resize((round(img.width * ratio), round(img.height * ratio)), Image.Resampling.BILINEAR)
    try:
        boxes, _ = engine.text_det(np.ascontiguousarray(np.asarray(small)[:, :, ::-1]))
        if boxes is None or len(boxes) == 0:
            return []
        boxes = [np.asarray(b, np.float32) / ratio for b in engine.sorted_boxes(boxes)]
        texts, _ = engine.text_rec(engine.get_crop_img_list(bgr, boxes))
    except AttributeError:  # a RapidOCR without these internals: use its one-call API
        result, _ = engine(bgr)
        return [(np.asarray(b, np.float32), t, float(s)) for b, t, s in result or []]
    return [(b, t, float(s)) for b, (t, s) in zip(boxes, texts, strict=True) if t.strip() and s >= 0.5]
