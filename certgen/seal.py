"""The visible e-seal (电子印章): a red round seal drawn from the authority's name, or a configured image.

``seal_image(name)`` returns an RGBA ``PIL.Image`` (transparent outside the seal): a red ring,
a five-pointed star in the centre, the authority's name along the upper arc and an optional
horizontal line of text below the star (e.g. 行政审批专用章). Results are cached per process.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from certgen.errors import SealImageError
from certgen.fonts import cjk_font_path

SEAL_RED = (214, 22, 28, 255)


def _font(size: int) -> ImageFont.FreeTypeFont:
    path, index = cjk_font_path()
    return ImageFont.truetype(str(path), size, index=index)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
    draw.polygon(points, fill=SEAL_RED)


@lru_cache(maxsize=32)
def _seal(name: str, subtitle: str, size: int) -> bytes:
    scale = 4  # draw large, downsample: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), SEAL_RED[:3] + (0,))  # colour everywhere: alpha is the shape
    draw = ImageDraw.Draw(image)
    ring = big * 0.035
    draw.ellipse((ring / 2, ring / 2, big - ring / 2, big - ring / 2), outline=SEAL_RED, width=int(ring))
    centre = big / 2
    _star(draw, centre, centre, big * 0.15)
    chars = [c for c in name if not c.isspace()] or ["?"]
    char_size = int(big * (0.13 if len(chars) <= 12 else 0.11 if len(chars) <= 16 else 0.09))
    font = _font(char_size)
    arc = math.radians(min(250.0, 18.0 * len(chars) + 30))
    radius = centre - ring - char_size * 0.75
    for i, char in enumerate(chars):
        t = 0.5 if len(chars) == 1 else i / (len(chars) - 1)
        angle = math.pi / 2 + arc / 2 - t * arc  # left to right along the top
        glyph = Image.new("RGBA", (char_size * 2, char_size * 2), SEAL_RED[:3] + (0,))
        ImageDraw.Draw(glyph).text((char_size, char_size), char, font=font, fill=SEAL_RED, anchor="mm")
        glyph = glyph.rotate(math.degrees(angle - math.pi / 2), resample=Image.BICUBIC)
        x = centre + radius * math.cos(angle) - char_size
        y = centre - radius * math.sin(angle) - char_size
        image.alpha_composite(glyph, (int(x), int(y)))
    if subtitle:
        sub_font = _font(int(big * 0.075))
        draw.text((centre, centre + big * 0.27), subtitle, font=sub_font, fill=SEAL_RED, anchor="mm")
    alpha = image.resize((size, size), Image.LANCZOS).split()[3]
    solid = Image.new("RGB", (size, size), SEAL_RED[:3])
    out = io.BytesIO()
    Image.merge("RGBA", (*solid.split(), alpha)).save(out, "PNG")  # uniform red: compresses to little
    return out.getvalue()


def seal_png(name: str, subtitle: str = "", size: int = 400) -> bytes:
    """PNG bytes of the red round seal for ``name`` (cached per process)."""
    if not name.strip():
        raise SealImageError("authority name is empty", message_zh="发证机关名称为空")
    return _seal(name.strip(), subtitle.strip(), size)


def seal_image(name: str, subtitle: str = "", size: int = 400) -> Image.Image:
    """The seal as an RGBA image."""
    return Image.open(io.BytesIO(seal_png(name, subtitle, size))).convert("RGBA")


def load_seal_image(path: Path) -> Image.Image:
    """A configured seal image (PNG with transparency recommended), bounded in size."""
    try:
        with Image.open(path) as img:
            if img.width * img.height > 4096 * 4096:
                raise SealImageError(f"seal image {path} is too large")
            return img.convert("RGBA")
    except (OSError, ValueError) as exc:
        raise SealImageError(f"cannot read seal image {path}: {exc}") from exc
