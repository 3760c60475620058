"""Draw a square cover from the mood's palette and the genre's shapes, with the title and artist on it.

The same seed gives the same cover. The words sit on a panel whose strength is raised until
the text meets a contrast ratio of at least 7:1 against every pixel behind it (WCAG's AAA
level), so they stay readable whatever the colours and for every kind of colour vision:
contrast here is about lightness, which colour-blind viewers see as well as anyone.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .settings import COVER_PREVIEW_SIZE as PREVIEW_SIZE

EXPORT_SIZE = 3000
MIN_CONTRAST = 7.0
INK = {"light": (250, 250, 250), "dark": (17, 17, 17)}


@dataclass(frozen=True)
class Cover:
    image: Image.Image
    contrast: float  # the lowest contrast between the text colour and any pixel of its panel


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB colours (any shape ending in 3)."""
    c = np.asarray(rgb, dtype=np.float64) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(a: Any, b: Any) -> np.ndarray:
    la, lb = luminance(a), luminance(b)
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    for name in (("DejaVuSans-Bold.ttf", "DejaVuSans.ttf")[not bold], "LiberationSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)  # Pillow's own font, always there


def render_cover(mood: Any, genre: Any, *, title: str, artist: str, seed: int, size: int = EXPORT_SIZE) -> Cover:
    palette = [_rgb(c) for c in mood.palette]
    rng = random.Random(seed)
    image = _background(palette[0], palette[1], size, rng.random())
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    SHAPES[genre.shapes](ImageDraw.Draw(layer), size, palette, rng)
    image = Image.alpha_composite(image.convert("RGBA"), layer)
    return _words(image, title, artist, size)


def _background(top: tuple[int, int, int], bottom: tuple[int, int, int], size: int, tilt: float) -> Image.Image:
    """A smooth two-colour gradient: worked out on a small grid and scaled up, which looks the same and is quick."""
    small = 256
    y, x = np.mgrid[0:small, 0:small].astype(np.float32) / small
    mix = np.clip(0.75 * y + (tilt - 0.5) * 0.5 * x, 0, 1)[..., None]
    pixels = (1 - mix) * np.array(top, dtype=np.float32) + mix * np.array(bottom, dtype=np.float32)
    return Image.fromarray(np.round(pixels).astype(np.uint8), "RGB").resize((size, size), Image.BILINEAR)


def _tint(colour: tuple[int, int, int], alpha: int) -> tuple[int, int, int, int]:
    return (*colour, alpha)


def _circles(draw: ImageDraw.ImageDraw, s: int, palette: list, rng: random.Random) -> None:
    for i in range(7):
        r = s * rng.uniform(0.08, 0.32)
        cx, cy = s * rng.uniform(0.1, 0.9), s * rng.uniform(0.08, 0.62)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_tint(palette[2 + i % (len(palette) - 2)], rng.randint(110, 220)))


def _stripes(draw: ImageDraw.ImageDraw, s: int, palette: list, rng: random.Random) -> None:
    angle = rng.uniform(0.5, 1.1)
    dx, dy = math.cos(angle) * 2 * s, math.sin(angle) * 2 * s
    for i in range(9):
        offset = s * (i / 9 * 1.6 - 0.3) + rng.uniform(-0.03, 0.03) * s
        width = s * rng.uniform(0.03, 0.09)
        x0 = offset
        polygon = [(x0 - dx, -dy), (x0 + width - dx, -dy), (x0 + width + dx, dy), (x0 + dx, dy)]
        draw.polygon(polygon, fill=_tint(palette[2 + i % (len(palette) - 2)], rng.randint(120, 230)))


def _shards(draw: ImageDraw.ImageDraw, s: int, palette: list, rng: random.Random) -> None:
    for i in range(14):
        cx, cy = s * rng.uniform(0, 1), s * rng.uniform(0, 0.7)
        points = [(cx + s * rng.uniform(-0.28, 0.28), cy + s * rng.uniform(-0.28, 0.28)) for _ in range(3)]
        draw.polygon(points, fill=_tint(palette[2 + i % (len(palette) - 2)], rng.randint(100, 210)))


def _grid(draw: ImageDraw.ImageDraw, s: int, palette: list, rng: random.Random) -> None:
    horizon = s * rng.uniform(0.5, 0.58)
    r = s * rng.uniform(0.2, 0.27)
    cx = s * rng.uniform(0.4, 0.6)
    draw.ellipse((cx - r, horizon - 1.6 * r, cx + r, horizon + 0.4 * r), fill=_tint(palette[3 % len(palette)], 255))
    for i in range(6):  # the sun's cut-out bands
        y = horizon - r * (0.9 - i * 0.22)
        draw.rectangle((cx - r, y, cx + r, y + r * 0.03 * (i + 1)), fill=_tint(palette[1], 255))
    draw.rectangle((0, horizon, s, s), fill=_tint(palette[0], 255))
    line = max(2, s // 300)
    for i in range(-12, 13):
        draw.line((s / 2 + i * s * 0.04, horizon, s / 2 + i * s * 0.35, s), fill=_tint(palette[2], 230), width=line)
    for i in range(1, 12):
        y = horizon + (s - horizon) * (i / 11) ** 1.8
        draw.line((0, y, s, y), fill=_tint(palette[2], 230), width=line)


def _rings(draw: ImageDraw.ImageDraw, s: int, palette: list, rng: random.Random) -> None:
    cx, cy = s * rng.uniform(0.3, 0.7), s * rng.uniform(0.25, 0.5)
    radius = s * 0.7
    i = 0
    while radius > s * 0.03:
        width = int(s * rng.uniform(0.01, 0.045))
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius),
                     outline=_tint(palette[2 + i % (len(palette) - 2)], rng.randint(140, 240)), width=width)
        radius -= s * rng.uniform(0.035, 0.07)
        i += 1


def _waves(draw: ImageDraw.ImageDraw, s: int, palette: list, rng: random.Random) -> None:
    xs = np.linspace(0, s, 200)
    for i in range(6):
        base = s * (0.25 + i * 0.1)
        amp, freq, phase = s * rng.uniform(0.02, 0.07), rng.uniform(1, 3), rng.uniform(0, 2 * math.pi)
        ys = base + amp * np.sin(2 * math.pi * freq * xs / s + phase)
        draw.polygon([*zip(xs.tolist(), ys.tolist()), (s, s), (0, s)],
                     fill=_tint(palette[2 + i % (len(palette) - 2)], rng.randint(70, 140)))


SHAPES = {"circles": _circles, "stripes": _stripes, "shards": _shards, "grid": _grid, "rings": _rings, "waves": _waves}


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _words(image: Image.Image, title: str, artist: str, s: int) -> Cover:
    draw = ImageDraw.Draw(image)
    margin = int(s * 0.07)
    size = int(s * 0.095)
    while True:  # shrink the title until it fits in two lines
        font = _font(size, bold=True)
        lines = _wrap(draw, title, font, s - 2 * margin)
        if (len(lines) <= 2 and all(draw.textlength(line, font=font) <= s - 2 * margin for line in lines)) or size < s * 0.03:
            break
        size = int(size * 0.9)
    small = _font(int(size * 0.5), bold=False)
    gap = int(size * 0.25)
    height = len(lines) * int(size * 1.15) + gap + int(size * 0.6)
    box = (0, s - margin - height - margin // 2, s, s)

    crop = image.convert("RGB").crop(box)
    full = np.asarray(crop)  # uint8: channel-wise extremes over every pixel are quick to find
    ink_name = "light" if luminance(np.asarray(crop.reduce(8), dtype=np.float64).reshape(-1, 3)).mean() < 0.25 else "dark"
    ink = INK[ink_name]
    panel_colour = np.array(INK["dark" if ink_name == "light" else "light"], dtype=np.float64)
    # Luminance rises with every channel, so the channel-wise brightest (or darkest) colour behind the text
    # bounds every real pixel: a panel that makes that colour readable makes all of them readable.
    hardest = (full.max(axis=(0, 1)) if ink_name == "light" else full.min(axis=(0, 1))).astype(np.float64)
    worst = 1.0
    alpha8 = 255
    for alpha8 in range(90, 256, 5):  # the lightest panel that keeps every pixel readable
        alpha = alpha8 / 255
        worst = float(contrast_ratio(hardest * (1 - alpha) + panel_colour * alpha, ink))
        if worst >= MIN_CONTRAST + 0.1:  # a little over, for the rounding of composited pixels to whole values
            break
    panel = Image.new("RGBA", (box[2] - box[0], box[3] - box[1]), (*[int(v) for v in panel_colour], alpha8))
    image.alpha_composite(panel, (box[0], box[1]))
    draw = ImageDraw.Draw(image)
    y = box[1] + margin // 2
    for line in lines:
        draw.text((margin, y), line, font=font, fill=ink)
        y += int(size * 1.15)
    draw.text((margin, y + gap), artist, font=small, fill=ink)
    return Cover(image.convert("RGB"), worst)


def png_bytes(image: Image.Image, fast: bool = True) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1 if fast else 6)
    return buffer.getvalue()


def preview(mood: Any, genre: Any, *, title: str, artist: str, seed: int, size: int = PREVIEW_SIZE) -> bytes:
    """A small JPEG of the cover for the notebook (a few tens of kB in a saved notebook), drawn large and
    scaled down so its edges are smooth."""
    cover = render_cover(mood, genre, title=title, artist=artist, seed=seed, size=size * 2)
    buffer = io.BytesIO()
    cover.image.resize((size, size), Image.LANCZOS).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()
