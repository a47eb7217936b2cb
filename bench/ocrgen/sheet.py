"""A drawing surface in millimetres on an A4 page at a given dpi, recording what it prints."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageFont

A4_MM = (210.0, 297.0)

#: (label, path, face index) — several Debian CJK fonts, used through Pillow only.
FONTS = [
    ("wqy-zenhei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("wqy-microhei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("noto-sans-sc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("noto-serif-sc", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("uming-cn", "/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("ukai-cn", "/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
]
TITLE_FONT = ("noto-serif-sc-bold", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2)


@lru_cache(maxsize=256)
def _font(path: str, index: int, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, max(6, px), index=index)


@dataclass
class Sheet:
    dpi: int
    font: tuple[str, str, int]
    size_mm: tuple[float, float] = A4_MM
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.scale = self.dpi / 25.4
        w, h = (int(round(v * self.scale)) for v in self.size_mm)
        self.image = Image.new("RGB", (w, h), (255, 255, 255))
        self.draw = ImageDraw.Draw(self.image)

    def px(self, mm: float) -> int:
        return int(round(mm * self.scale))

    def ft(self, pt: float, font: tuple[str, str, int] | None = None) -> ImageFont.FreeTypeFont:
        _, path, index = font or self.font
        return _font(path, index, int(round(pt * self.dpi / 72)))

    def width_mm(self, text: str, pt: float, font: tuple[str, str, int] | None = None) -> float:
        return self.ft(pt, font).getlength(text) / self.scale

    def text(self, x: float, y: float, text: str, pt: float = 12, *, record: bool = True,
             font: tuple[str, str, int] | None = None, fill: tuple[int, int, int] = (20, 20, 20),
             anchor: str = "la") -> None:
        """Draw ``text`` with its top-left (or ``anchor``) at ``(x, y)`` mm; record it as truth."""
        self.draw.text((self.px(x), self.px(y)), text, font=self.ft(pt, font), fill=fill, anchor=anchor)
        if record:
            self.lines.append(text)

    def centre(self, y: float, text: str, pt: float, *, font: tuple[str, str, int] | None = None) -> None:
        self.text(self.size_mm[0] / 2, y, text, pt, font=font, anchor="ma")

    def wrap(self, text: str, pt: float, width: float) -> list[str]:
        out, cur = [], ""
        for ch in text:
            if cur and self.width_mm(cur + ch, pt) > width:
                out.append(cur)
                cur = ch
            else:
                cur += ch
        if cur:
            out.append(cur)
        return out

    def paragraphs(self, y: float, paras: list[str], *, gap: float, x: float = 28, pt: float = 12,
                   width: float = 154, leading: float = 8.5) -> float:
        """Body text: each paragraph wrapped to ``width`` mm; returns the y below the last one."""
        for para in paras:
            for part in self.wrap(para, pt, width):
                self.text(x, y, part, pt)
                y += leading
            y += gap
        return y

    def rect(self, x0: float, y0: float, x1: float, y1: float, *, width: float = 0.3,
             outline: tuple[int, int, int] = (40, 40, 40), fill: tuple[int, int, int] | None = None) -> None:
        self.draw.rectangle((self.px(x0), self.px(y0), self.px(x1), self.px(y1)), outline=outline,
                            fill=fill, width=max(1, self.px(width)))

    def rule(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.3) -> None:
        self.draw.line((self.px(x0), self.px(y0), self.px(x1), self.px(y1)), fill=(40, 40, 40),
                       width=max(1, self.px(width)))

    def seal(self, cx: float, cy: float, text: str, radius: float = 20.0) -> None:
        """A red round seal (ring, text on the arc, star) composited over whatever is below."""
        size = self.px(radius * 2 + 2)
        layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        red = (215, 40, 45, 255)
        c = size / 2
        r = self.px(radius)
        d.ellipse((c - r, c - r, c + r, c + r), outline=red, width=max(2, self.px(1.0)))
        star_r = self.px(radius * 0.28)
        pts = []
        for i in range(10):
            ang = -math.pi / 2 + i * math.pi / 5
            rr = star_r if i % 2 == 0 else star_r * 0.4
            pts.append((c + rr * math.cos(ang), c + rr * math.sin(ang)))
        d.polygon(pts, fill=red)
        font = self.ft(radius * 0.62, TITLE_FONT)
        n = len(text)
        span = min(250.0, 22.0 * n)
        for i, ch in enumerate(text):
            ang = math.radians(-90 - span / 2 + span * (i + 0.5) / n)
            glyph = Image.new("RGBA", (self.px(radius * 0.5),) * 2, (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=red, anchor="mm")
            glyph = glyph.rotate(-math.degrees(ang) - 90, resample=Image.BICUBIC)
            gx = c + (r * 0.72) * math.cos(ang) - glyph.width / 2
            gy = c + (r * 0.72) * math.sin(ang) - glyph.height / 2
            layer.alpha_composite(glyph, (int(gx), int(gy)))
        # Stamp ink multiplies with what is printed below: black text stays black, paper turns red.
        ink = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        ink.alpha_composite(layer, (self.px(cx) - size // 2, self.px(cy) - size // 2))
        tint = Image.new("RGB", self.image.size, (255, 255, 255))
        tint.paste(ink.convert("RGB"), mask=ink.getchannel("A"))
        self.image = ImageChops.multiply(self.image, tint)
        self.draw = ImageDraw.Draw(self.image)
