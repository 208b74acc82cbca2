"""Offline photo pipeline: render synthetic nameplate photos and read part numbers off real ones."""

from tools.photo.decode import PhotoRejected, load_photo
from tools.photo.nameplate import NameplateSpec, code128_image, code128_modules, render_nameplate
from tools.photo.reading import (
    BarcodeReading,
    LabelReading,
    PartNumberCandidate,
    TextLine,
    normalize_part_number,
    read_label,
)

__all__ = [
    "BarcodeReading",
    "LabelReading",
    "NameplateSpec",
    "PartNumberCandidate",
    "PhotoRejected",
    "TextLine",
    "code128_image",
    "code128_modules",
    "load_photo",
    "normalize_part_number",
    "read_label",
    "render_nameplate",
]
