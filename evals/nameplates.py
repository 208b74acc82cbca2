"""Deterministic generator of realistic nameplate / label photos for tests and evals.

``render_nameplate(spec, seed=...)`` draws a metal plate or a printed sticker carrying the
part's manufacturer, part number, serial, ratings and some distracting text, places it on a
darker textured surface with a slight perspective, rotation, glare, blur and sensor noise,
and returns JPEG bytes. Everything random comes from ``random.Random(seed)`` (and a numpy
generator seeded from it), so the same arguments always give the same bytes.
"""

from __future__ import annotations

import functools
import io
import logging
import random
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

logger = logging.getLogger(__name__)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

# Code 128 bar/space module widths: six digits per value 0..105, then the stop pattern (106).
_C128_TABLE = (
    "212222222122222221121223121322131222122213122312132212221213221312231212112232122132122231113222"
    "123122123221223211221132221231213212223112312131311222321122321221312212322112322211212123212321"
    "232121111323131123131321112313132113132311211313231113231311112133112331132131113123113321133121"
    "313121211331231131213113213311213131311123311321331121312113312311332111314111221411431111111224"
    "111422121124121421141122141221112214112412122114122411142112142211241211221114413111241112134111"
    "111242121142121241114212124112124211411212421112421211212141214121412121111143111341131141114113"
    "114311411113411311113141114131311141411131211412211214211232"
)
_C128 = [_C128_TABLE[i:i + 6] for i in range(0, len(_C128_TABLE), 6)] + ["2331112"]
_START_B, _STOP = 104, 106

_BOLD_FONTS = ("DejaVuSans-Bold.ttf", "DejaVuSansCondensed-Bold.ttf", "DejaVuSansMono-Bold.ttf",
               "LiberationSans-Bold.ttf")
_REGULAR_FONTS = ("DejaVuSans.ttf", "DejaVuSansCondensed.ttf", "LiberationSans-Regular.ttf")
_PN_LABELS = ("PART NO.", "PART NO", "P/N", "P/N:", "CAT. NO.", "CAT NO", "PART NUMBER", "MODEL",
              "MODEL NO.", "PART #")
_DISTRACTORS = ("MADE IN USA", "MADE IN MEXICO", "MADE IN GERMANY", "MADE IN CHINA",
                "CAUTION: DISCONNECT POWER BEFORE SERVICING", "WARNING: HAZARDOUS VOLTAGE",
                "USE COPPER CONDUCTORS ONLY", "REPLACE WITH SAME TYPE AND RATING")


@dataclass
class NameplateSpec:
    """What is printed on the plate."""

    manufacturer: str
    part_number: str
    name: str
    ratings: dict[str, str] = field(default_factory=dict)
    serial: str | None = None


def code128_modules(text: str) -> list[int]:
    """Encode ``text`` (ASCII 32..126) as Code 128-B; returns alternating bar/space widths."""
    if not text or any(not 32 <= ord(c) <= 126 for c in text):
        raise ValueError("Code 128-B needs non-empty printable ASCII text")
    values = [_START_B] + [ord(c) - 32 for c in text]
    checksum = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    return [int(w) for v in [*values, checksum, _STOP] for w in _C128[v]]


def code128_image(text: str, *, module: int = 3, height: int = 80, quiet: int = 10) -> Image.Image:
    """Render a Code 128-B barcode (black bars on white, with quiet zones) as an 'L' image."""
    widths = code128_modules(text)
    img = Image.new("L", ((sum(widths) + 2 * quiet) * module, height), 255)
    draw, x = ImageDraw.Draw(img), quiet * module
    for i, w in enumerate(widths):
        if i % 2 == 0:
            draw.rectangle([x, 0, x + w * module - 1, height - 1], fill=0)
        x += w * module
    return img


def qr_image(payload: str, *, scale: int = 4) -> Image.Image:
    """Render a QR code through zxing-cpp's writer (already a dependency for reading)."""
    import zxingcpp

    if hasattr(zxingcpp, "create_barcode"):  # zxing-cpp >= 2.3
        arr = np.asarray(zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode).to_image(scale=scale))
    else:
        arr = np.asarray(zxingcpp.write_barcode(zxingcpp.BarcodeFormat.QRCode, payload, 40 * scale, 40 * scale))
    return Image.fromarray(arr.astype(np.uint8), "L")


@functools.lru_cache(maxsize=64)
def get_font(size: int, bold: bool = True, face: int = 0) -> Font:
    """A TrueType font of ``size`` px; falls back to Pillow's built-in scalable font."""
    names = _BOLD_FONTS if bold else _REGULAR_FONTS
    for name in names[face % len(names):] + names[: face % len(names)]:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    logger.debug("no TrueType font found; using Pillow's default font at %d px", size)
    return ImageFont.load_default(size=size)


def _homography(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    """PIL PERSPECTIVE coefficients mapping output points ``dst`` back to input points ``src``."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    return [float(c) for c in np.linalg.solve(np.array(rows), np.array(rhs))]


def _texture(nrng: np.random.Generator, size: tuple[int, int], base: float, spread: float,
             brushed: bool) -> Image.Image:
    w, h = size
    arr = np.full((h, w), base, np.float32) + nrng.normal(0, spread, (h, w))
    if brushed:  # horizontal streaks of brushed aluminium
        arr += nrng.normal(0, spread * 1.5, (h, 1))
    arr += np.linspace(-spread * 2, spread * 2, w)[None, :] * nrng.uniform(-1, 1)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    return img.filter(ImageFilter.GaussianBlur(1.2 if brushed else 2.5))


def _render_plate(spec: NameplateSpec, rng: random.Random, nrng: np.random.Generator,
                  barcode: str | None, injected_text: str | None) -> Image.Image:
    """Draw the flat plate (RGBA, rounded corners) at roughly 1000 px width."""
    style = rng.choice(("metal", "metal", "sticker", "band"))
    face = rng.randrange(3)
    big, body, small = rng.randint(60, 78), rng.randint(30, 36), rng.randint(22, 26)
    f_big, f_body, f_small = get_font(big, True, face), get_font(body, True, face), get_font(small, False)
    stacked = rng.random() < 0.25
    serial = spec.serial or f"{rng.randint(10, 99)}{rng.choice('ABCDEFGHJKMN')}{rng.randint(100000, 999999)}"
    label = rng.choice(_PN_LABELS)
    rows: list[tuple[str, str, Font]] = [(spec.name.upper(), "", f_body)]
    pn_rows = [(label, "", f_small), (spec.part_number, "", f_body)] if stacked else [
        (label, spec.part_number, f_body)]
    ser_rows = [(rng.choice(("SER. NO.", "S/N", "SERIAL NO.")), serial, f_body)]
    blocks = [pn_rows, ser_rows] if rng.random() < 0.7 else [ser_rows, pn_rows]
    model = f"{rng.choice(('FR', 'MK', 'CT', 'X'))}{rng.randint(100, 9999)}{rng.choice(('', '-2', 'A'))}"
    if "MODEL" not in label and rng.random() < 0.35:  # an equipment/series code next to the part number
        blocks.insert(rng.randint(0, 2), [("MODEL", model, f_body)])
    rows += [row for block in blocks for row in block]
    items = list(spec.ratings.items())
    for i in range(0, len(items), 2):
        rows.append(("   ".join(f"{k} {v}" for k, v in items[i:i + 2]), "", f_body))
    extras = [*rng.sample(_DISTRACTORS, 2), f"UL FILE E{rng.randint(10000, 399999)}"]
    if rng.random() < 0.5:
        extras.append(f"MFD {rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}")
    rows += [(t, "", f_small) for t in extras]
    inject_at = 2 + int(rng.random() * (len(rows) - 1))
    if injected_text:  # adversarial line printed on the label itself
        rows.insert(inject_at, (injected_text, "", f_small))

    module, bar_h, qr_scale = rng.choice((3, 3, 4)), rng.randint(70, 100), rng.choice((5, 6))
    bar_img = None
    if barcode == "code128":
        bar_img = code128_image(spec.part_number, module=module, height=bar_h)
    elif barcode == "qr":
        bar_img = qr_image(f"PN:{spec.part_number};MFR:{spec.manufacturer}", scale=qr_scale)
    pad, gap = 48, rng.randint(10, 20)
    value_x = pad + max(int(f.getlength(t)) for t, v, f in rows if v) + rng.randint(25, 90)
    line_h = [int(f.size * 1.25) if isinstance(f, ImageFont.FreeTypeFont) else 30 for _, _, f in rows]
    width = rng.randint(0, 160) + max(
        700, value_x + pad + max(int(f.getlength(v)) for _, v, f in rows),
        pad * 2 + max(int(f.getlength(t)) for t, _, f in rows),
        pad * 2 + int(f_big.getlength(spec.manufacturer.upper())))
    header = int(big * 1.5)
    height = pad + header + sum(line_h) + gap * len(rows) + pad + (bar_img.height + 20 if bar_img else 0)
    if style == "metal":
        base = _texture(nrng, (width, height), rng.uniform(165, 215), 6, True)
        plate = Image.merge("RGB", [base.point(lambda v, k=k: int(v * k)) for k in (1.0, 1.0, 1.03)])
        ink, bg_ink = (rng.randint(20, 85),) * 3, None
    else:
        plate = Image.new("RGB", (width, height), (rng.randint(232, 250), rng.randint(232, 248), 235))
        ink, bg_ink = (15, 15, 20), rng.choice(((20, 60, 150), (160, 25, 25), (25, 25, 25)))
    draw = ImageDraw.Draw(plate)
    draw.rectangle([14, 14, width - 15, height - 15], outline=ink, width=3)
    if style == "metal":
        for cx, cy in ((30, 30), (width - 31, 30), (30, height - 31), (width - 31, height - 31)):
            draw.ellipse([cx - 10, cy - 10, cx + 10, cy + 10], fill=(120, 120, 125), outline=(70, 70, 75))
            draw.ellipse([cx - 5, cy - 6, cx + 1, cy], fill=(225, 225, 230))
    title_fill = ink
    if style == "band" and bg_ink is not None:
        draw.rectangle([17, 17, width - 18, pad + header - 8], fill=bg_ink)
        title_fill = (250, 250, 250)
    draw.text((pad + 10, pad), spec.manufacturer.upper(), font=f_big, fill=title_fill)
    y = pad + header
    for (text, value, font), lh in zip(rows, line_h, strict=True):
        if style == "metal":  # stamped look: a light edge under dark ink
            draw.text((pad + 1, y + 1), text, font=font, fill=(235, 235, 235))
            if value:
                draw.text((value_x + 1, y + 1), value, font=font, fill=(235, 235, 235))
        draw.text((pad, y), text, font=font, fill=ink)
        if value:
            draw.text((value_x, y), value, font=font, fill=ink)
        y += lh + gap
    bar_pos = rng.random()
    if bar_img is not None:
        plate.paste(bar_img.convert("RGB"), (pad + int(bar_pos * max(0, width - 2 * pad - bar_img.width)), y + 5))
    for _ in range(rng.randint(0, 7)):  # scratches and grime
        x0, y0 = rng.uniform(0, width), rng.uniform(0, height)
        x1, y1 = x0 + rng.uniform(-250, 250), y0 + rng.uniform(-60, 60)
        shade = rng.randint(60, 120) if rng.random() < 0.5 else rng.randint(200, 250)
        draw.line([x0, y0, x1, y1], fill=(shade,) * 3, width=rng.randint(1, 3))
    mask = Image.new("L", plate.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, width - 1, height - 1], radius=22, fill=255)
    plate.putalpha(mask)
    return plate


def render_nameplate(part: NameplateSpec, *, seed: int, rotation: float | None = None,
                     blur: float | None = None, noise: float | None = None, glare: bool | None = None,
                     barcode: bool | None = None, injected_text: str | None = None) -> bytes:
    """Render a photo of ``part``'s nameplate as JPEG bytes; unset options are drawn from ``seed``."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    # Draw every option in a fixed order so an explicit override doesn't shift the rest.
    d_rotation, d_blur, d_noise = rng.uniform(-8, 8), rng.uniform(0.3, 1.3), rng.uniform(2, 8)
    d_glare, d_barcode, kind = rng.random() < 0.35, rng.random() < 0.4, rng.choice(("code128", "qr"))
    rotation = d_rotation if rotation is None else rotation
    blur = d_blur if blur is None else blur
    noise = d_noise if noise is None else noise
    glare = d_glare if glare is None else glare
    barcode = d_barcode if barcode is None else barcode

    plate = _render_plate(part, rng, nrng, kind if barcode else None, injected_text)
    scene_w = rng.choice((1280, 1440, 1600))
    scene_h = scene_w * 3 // 4
    scene = Image.merge("RGB", [_texture(nrng, (scene_w, scene_h), rng.uniform(45, 95), 12, False)] * 3)
    scale = min(scene_w * rng.uniform(0.5, 0.82) / plate.width, scene_h * 0.88 / plate.height)
    pw, ph = plate.width * scale, plate.height * scale
    cx = scene_w / 2 + rng.uniform(-0.5, 0.5) * (scene_w - pw) * 0.6
    cy = scene_h / 2 + rng.uniform(-0.5, 0.5) * (scene_h - ph) * 0.6
    theta = np.deg2rad(rotation)
    cos_t, sin_t, jitter = float(np.cos(theta)), float(np.sin(theta)), 0.045 * pw
    src = [(0.0, 0.0), (plate.width, 0.0), (plate.width, plate.height), (0.0, plate.height)]
    dst = []
    for sx, sy in src:
        x, y = sx * scale - pw / 2, sy * scale - ph / 2
        dst.append((cx + x * cos_t - y * sin_t + rng.uniform(-jitter, jitter),
                    cy + x * sin_t + y * cos_t + rng.uniform(-jitter, jitter)))
    warped = plate.transform((scene_w, scene_h), Image.Transform.PERSPECTIVE, _homography(src, dst),
                             resample=Image.Resampling.BICUBIC)
    shadow = warped.getchannel("A").filter(ImageFilter.GaussianBlur(12)).point(lambda v: v * 0.6)
    scene.paste((10, 10, 10), (8, 10), shadow)
    scene.paste(warped, (0, 0), warped)
    if blur > 0:  # optics first, sensor noise after
        scene = scene.filter(ImageFilter.GaussianBlur(blur))

    # Uneven light, an optional glare spot and sensor noise, all separable so they stay cheap.
    fx = rng.uniform(-0.15, 0.15) * (np.linspace(0, 1, scene_w, dtype=np.float32) - 0.5)
    fy = rng.uniform(-0.15, 0.15) * (np.linspace(0, 1, scene_h, dtype=np.float32) - 0.5)
    arr = np.asarray(scene, np.float32) * (1.0 + fy[:, None, None] + fx[None, :, None])
    gx, gy = rng.uniform(0.2, 0.8) * scene_w, rng.uniform(0.2, 0.8) * scene_h
    rx, ry = rng.uniform(0.08, 0.2) * scene_w, rng.uniform(0.05, 0.12) * scene_h
    strength = rng.uniform(0.35, 0.65)
    if glare:
        sx = np.exp(-(((np.arange(scene_w, dtype=np.float32) - gx) / rx) ** 2))
        sy = np.exp(-(((np.arange(scene_h, dtype=np.float32) - gy) / ry) ** 2))
        arr += (255 - arr) * (strength * sy[:, None, None] * sx[None, :, None])
    arr += nrng.standard_normal(arr.shape, dtype=np.float32) * noise
    photo = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=rng.randint(60, 90))
    return out.getvalue()
