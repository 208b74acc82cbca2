"""Read a nameplate / label photo: validate, decode barcodes, OCR, and rank part-number candidates.

All text found on a label is *data*. Lines that look like instructions to an AI are reported in
``suspicious_text`` (and candidates from them are ranked down) but nothing here ever acts on them.
"""

from __future__ import annotations

import logging
import math
import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image
from pydantic import BaseModel
from rapidfuzz import fuzz

from knowledge.partnumbers import normalize_part_number
from tools.photos.decode import load_photo, ocr

logger = logging.getLogger(__name__)

Source = Literal["barcode", "ocr_label", "ocr_token"]

_PN_LABEL = re.compile(
    r"(?<![A-Z])(?:(PART\s*(?:N[O0]|NUMBER|#)|P\s*/\s*N|CAT(?:ALOG)?\.?\s*(?:N[O0]|#))"
    r"|(MODEL(?:\s*(?:N[O0]|NUMBER|#))?|ORDER\s*N[O0]|ITEM\s*N[O0]))\s*[.:#]*\s*")
_SER_LABEL = re.compile(r"(?<![A-Z])(?:SERIAL|SER\.?|S\s*/\s*N)\s*(?:N[O0]|NUMBER|#)?\s*[.:#]*\s*")
_NOISE_ROW = re.compile(
    r"(?<![A-Z])(VOLTS?|AMPS?|HZ|PH|KW|HP|FLA|LRA|RLA|MCA|MOP|PSIG|WATTS|UL|FILE|MFD|DATE|LOT|REV|MADE|"
    r"WARNING|CAUTION)(?![A-Z])|(?<![A-Z0-9])E\d{5,6}(?![0-9])|^UL|^MFD")
_SUSPICIOUS = re.compile(r"IGNORE|DISREGARD|INSTRUCTION|ASSISTANT|SYSTEM\s*:|PROMPT|YOUAREN|FORGET")
_TOKEN_OK = re.compile(r"^[A-Z0-9][A-Z0-9\-./]{2,18}[A-Z0-9]$")


class TextLine(BaseModel):
    text: str
    confidence: float


class BarcodeReading(BaseModel):
    format: str
    text: str


class PartNumberCandidate(BaseModel):
    text: str
    normalized: str
    source: Source
    confidence: float


class LabelReading(BaseModel):
    text_lines: list[TextLine] = []
    barcodes: list[BarcodeReading] = []
    part_number_candidates: list[PartNumberCandidate] = []
    manufacturer_candidates: list[str] = []
    suspicious_text: list[str] = []
    width: int = 0
    height: int = 0


@dataclass
class _Seg:  # one OCR box in de-rotated coordinates
    text: str
    score: float
    x: float
    y: float
    h: float


def _rows(ocr: list[tuple[np.ndarray, str, float]]) -> list[list[_Seg]]:
    """Group OCR boxes into text rows, undoing the photo's rotation first."""
    angles = [math.atan2(b[1][1] - b[0][1], b[1][0] - b[0][0]) for b, _, _ in ocr
              if np.linalg.norm(b[1] - b[0]) > 2 * np.linalg.norm(b[3] - b[0])]
    angle = statistics.median(angles) if angles else 0.0
    cos_a, sin_a = math.cos(-angle), math.sin(-angle)
    segs = []
    for box, text, score in ocr:
        xs = box[:, 0] * cos_a - box[:, 1] * sin_a
        ys = box[:, 0] * sin_a + box[:, 1] * cos_a
        segs.append(_Seg(text.strip(), score, float(xs.min()), float(ys.mean()), float(np.ptp(ys))))
    rows: list[list[_Seg]] = []
    for seg in sorted(segs, key=lambda s: s.y):
        row = rows[-1] if rows else None
        if row and abs(seg.y - statistics.fmean(s.y for s in row)) < 0.45 * max(seg.h, row[0].h):
            row.append(seg)
        else:
            rows.append([seg])
    return [sorted(row, key=lambda s: s.x) for row in rows]


def _clean(token: str) -> str:  # strip the punctuation OCR attaches to a token
    return token.strip(" ,;:()[]{}\"'`").rstrip(".").upper()


def _pn_shape(token: str) -> bool:
    """Length 4-20, has a digit, mostly alphanumeric with - . / allowed."""
    if not _TOKEN_OK.match(token) or not any(c.isdigit() for c in token):
        return False
    return sum(c.isalnum() for c in token) >= 0.75 * len(token)


def _payload_fields(text: str) -> dict[str, str]:
    """``PN:X;MFR:Y`` style barcode payloads as {"PN": "X", "MFR": "Y"}."""
    pairs = (f.split(":", 1) for f in re.split(r"[;\n|]", text) if ":" in f)
    return {k.strip().upper(): v.strip() for k, v in pairs if v.strip()}


def _first_value(text: str) -> str:
    """First token of ``text``, re-joining pieces OCR split at a dash or slash."""
    tokens = text.split() or [""]
    value = tokens[0]
    for nxt in tokens[1:]:
        if value.endswith(("-", "/")) or nxt.startswith(("-", "/")):
            value += nxt
        else:
            break
    return _clean(value)


def _candidates(rows: list[list[_Seg]], barcodes: list[BarcodeReading],
                suspicious: set[int]) -> list[PartNumberCandidate]:
    found: list[PartNumberCandidate] = []
    texts = [" ".join(s.text for s in row).upper() for row in rows]
    scores = [min(s.score for s in row) for row in rows]
    for bc in barcodes:
        pn = _payload_fields(bc.text).get("PN") or _payload_fields(bc.text).get("P/N")
        if pn:
            found.append(PartNumberCandidate(text=pn, normalized=normalize_part_number(pn),
                                             source="barcode", confidence=0.97))
        elif _pn_shape(_clean(bc.text)):  # a bare value: likely the part number, unless it's a GTIN
            conf = 0.45 if bc.format.startswith(("EAN", "UPC")) else 0.92
            found.append(PartNumberCandidate(text=bc.text.strip(), normalized=normalize_part_number(bc.text),
                                             source="barcode", confidence=conf))
    serials: set[str] = set()
    for i, text in enumerate(texts):
        for m in _SER_LABEL.finditer(text):
            value = _first_value(text[m.end():]) or (_first_value(texts[i + 1]) if i + 1 < len(texts) else "")
            serials.add(normalize_part_number(value))
    for i, text in enumerate(texts):
        penalty = 0.5 if i in suspicious else 1.0
        for m in _PN_LABEL.finditer(text):
            value, score = _first_value(text[m.end():]), scores[i]
            if not value and i + 1 < len(texts) and not _SER_LABEL.match(texts[i + 1]):
                value, score = _first_value(texts[i + 1]), scores[i + 1]
            if len(value) >= 3 and any(c.isdigit() for c in value):
                base = 0.9 if m.group(1) else 0.75  # PART NO / P/N / CAT NO outrank MODEL / ORDER NO
                found.append(PartNumberCandidate(text=value, normalized=normalize_part_number(value),
                                                 source="ocr_label", confidence=base * score**0.5 * penalty))
        noisy = bool(_NOISE_ROW.search(text))
        for raw in text.split():
            token = _clean(raw)
            if not _pn_shape(token):
                continue
            conf = 0.45 + (0.1 if any(c.isalpha() for c in token) else -0.15) + min(len(token), 12) * 0.01
            conf *= (0.4 if noisy else 1.0) * penalty * scores[i]
            found.append(PartNumberCandidate(text=token, normalized=normalize_part_number(token),
                                             source="ocr_token", confidence=conf))
    for cand in found:
        if cand.normalized in serials:  # the value printed after SER/S/N (a serial barcode too)
            cand.confidence *= 0.3
    return _merge([c for c in found if len(c.normalized) >= 3])


def _merge(found: list[PartNumberCandidate]) -> list[PartNumberCandidate]:
    """One candidate per normalized form: the best-scored sighting, nudged up when others agree."""
    best: dict[str, PartNumberCandidate] = {}
    sources: dict[str, set[str]] = {}
    for cand in found:
        sources.setdefault(cand.normalized, set()).add(cand.source)
        if cand.normalized not in best or cand.confidence > best[cand.normalized].confidence:
            best[cand.normalized] = cand
    for key, cand in best.items():
        cand.confidence = round(min(0.99, cand.confidence + 0.04 * (len(sources[key]) - 1)), 3)
    return sorted(best.values(), key=lambda c: -c.confidence)


def _manufacturers(rows: list[list[_Seg]], barcodes: list[BarcodeReading],
                   known: Sequence[str]) -> list[str]:
    def squash(s: str) -> str:
        return re.sub(r"[^A-Z0-9]", "", s.upper())

    pieces = [s.text for row in rows for s in row] + [" ".join(s.text for s in row) for row in rows]
    pieces += [_payload_fields(bc.text).get("MFR", "") for bc in barcodes]
    scored: list[tuple[float, str]] = []
    for name in filter(squash, known):
        target, n_words, best = squash(name), len(name.split()), 0.0
        for piece in pieces:  # whole box, whole row, word windows, and (OCR drops spaces) a prefix
            words = piece.split()
            windows = [" ".join(words[i:i + n_words]) for i in range(max(1, len(words) - n_words + 1))]
            prefix = [squash(piece)[: len(target)]] if len(target) >= 5 else []
            best = max([best, *(fuzz.ratio(target, squash(w)) for w in [piece, *windows, *prefix])])
        if best >= 85:
            scored.append((best, name))
    return [name for _, name in sorted(scored, key=lambda t: -t[0])]


def read_barcodes(img: Image.Image) -> list[BarcodeReading]:
    """Every 1D/2D code zxing-cpp finds (de-duplicated), e.g. Code128 or a QR with "PN:...;MFR:..."."""
    import zxingcpp

    found = [BarcodeReading(format=getattr(b.format, "name", str(b.format)), text=b.text)
             for b in zxingcpp.read_barcodes(img) if b.text]
    return [b for i, b in enumerate(found) if b not in found[:i]]


def read_label(image_bytes: bytes, known_manufacturers: Sequence[str] = ()) -> LabelReading:
    """Read a nameplate photo. Raises PhotoRejected for anything that isn't a readable photo."""
    start = time.perf_counter()
    img = load_photo(image_bytes)
    barcodes = read_barcodes(img)
    rows = _rows(ocr(img))
    lines = [TextLine(text=" ".join(s.text for s in row),
                      confidence=round(statistics.fmean(s.score for s in row), 3)) for row in rows]
    flagged = {i for i, line in enumerate(lines) if _SUSPICIOUS.search(line.text.upper().replace(" ", ""))}
    suspicious = [lines[i].text for i in sorted(flagged)]
    suspicious += [bc.text for bc in barcodes if _SUSPICIOUS.search(bc.text.upper().replace(" ", ""))]
    reading = LabelReading(
        text_lines=lines, barcodes=barcodes,
        part_number_candidates=_candidates(rows, barcodes, flagged),
        manufacturer_candidates=_manufacturers(rows, barcodes, known_manufacturers),
        suspicious_text=suspicious, width=img.width, height=img.height)
    logger.debug("read_label: %d lines, %d barcodes, %d candidates in %.2fs", len(lines), len(barcodes),
                 len(reading.part_number_candidates), time.perf_counter() - start)
    return reading
