"""Courier labels as ZPL II for thermal printers (8 dots/mm: 100x150 mm is 800x1200 dots).

Text is sent UTF-8 (``^CI28``) in a configurable printer font, or — for printers without a CJK
font — Chinese text is rendered here with our embedded font and sent as a ``^GF`` graphic field.
The waybill stays a native ``^BC`` Code 128 barcode and the case reference a native ``^BQ`` QR
code, so both print at the printer's full sharpness.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from certgen.fonts import cjk_font_path
from certgen.errors import LabelDataError, LabelError
from certgen.labels.layout import Layout, Zone, load_layout
from certgen.labels.model import LabelData
from certgen.labels.pdf import HEADER_TAG
from certgen.text import wrap_measured

DOTS_PER_MM = 8
_PT_TO_MM = 25.4 / 72


@dataclass(frozen=True)
class ZplOptions:
    """How text is printed.

    ``text_mode="font"`` sends every string as UTF-8 in ``printer_font`` (a font stored on the
    printer, e.g. ``E:SIMSUN.TTF``); ``"graphic"`` renders non-ASCII text to ``^GF`` bitmaps.
    """

    text_mode: Literal["font", "graphic"] = "graphic"
    printer_font: str = "E:SIMSUN.TTF"

    def __post_init__(self) -> None:
        if self.text_mode not in ("font", "graphic"):
            raise LabelError(f"text_mode must be 'font' or 'graphic', got {self.text_mode!r}")
        if not self.printer_font or any(c in self.printer_font for c in "^~,\n"):
            raise LabelError(f"bad printer font name {self.printer_font!r}")


def field_data(text: str) -> str:
    """Escape text for ``^FH^FD``: the control characters become ``_hh`` hex escapes."""
    out = []
    for char in text:
        if char in "^~_" or ord(char) < 32:
            out.extend(f"_{b:02X}" for b in char.encode("utf-8"))
        else:
            out.append(char)
    return "".join(out)


def _run(count: int, char: str) -> str:
    """ZPL ASCII-compression repeat count for ``count`` copies of a hex digit."""
    parts = []
    while count > 0:
        chunk = min(count, 419)
        count -= chunk
        prefix = ""
        if chunk >= 20:
            prefix += chr(ord("g") + chunk // 20 - 1)
            chunk %= 20
        if chunk:
            prefix += chr(ord("G") + chunk - 1)
        parts.append(prefix + char)
    return "".join(parts)


def compress_rows(data: bytes, row_bytes: int) -> str:
    """Compressed ASCII hex of a 1-bit image (``:`` same row, ``,`` zeros to row end, G-z runs)."""
    out: list[str] = []
    previous = None
    for start in range(0, len(data), row_bytes):
        row = data[start : start + row_bytes].hex().upper()
        if row == previous:
            out.append(":")
            continue
        previous = row
        body = row.rstrip("0")
        tail = "," if len(body) < len(row) else ""
        i = 0
        while i < len(body):
            j = i
            while j < len(body) and body[j] == body[i]:
                j += 1
            out.append(_run(j - i, body[i]) if j - i > 1 else body[i])
            i = j
        out.append(tail)
    return "".join(out)


def _pil_font(size: int) -> ImageFont.FreeTypeFont:
    path, index = cjk_font_path()
    return _pil_font_at(path, index, size)


@lru_cache(maxsize=32)
def _pil_font_at(path: Path, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size=size, index=index)


@lru_cache(maxsize=1024)  # header, sender and captions repeat on every label of a batch
def graphic_field(text: str, height: int) -> tuple[str, int, int]:
    """Render text to a ``^GFA`` command; returns (command, width_dots, height_dots)."""
    font = _pil_font(height)
    left, top, right, bottom = font.getbbox(text)
    width = max(1, right - min(left, 0))
    rows = max(1, max(bottom, height))
    image = Image.new("1", (width, rows), 0)
    ImageDraw.Draw(image).text((-min(left, 0), 0), text, font=font, fill=1)
    row_bytes = (width + 7) // 8
    data = image.tobytes()  # 1 = black dot, MSB first, rows padded to whole bytes
    total = len(data)
    return f"^GFA,{total},{total},{row_bytes},{compress_rows(data, row_bytes)}", width, rows


def _wrap(text: str, height: int, width: int) -> list[str]:
    return wrap_measured(text, _pil_font(height).getlength, width)


class _Zpl:
    def __init__(self, layout: Layout, options: ZplOptions) -> None:
        self.layout = layout
        self.options = options
        self.out: list[str] = []
        self.pad = round(layout.padding_mm * DOTS_PER_MM)

    @staticmethod
    def dots(value_mm: float) -> int:
        return round(value_mm * DOTS_PER_MM)

    def box(self, zone: Zone) -> tuple[int, int, int, int]:
        return self.dots(zone.x), self.dots(zone.y), self.dots(zone.width), self.dots(zone.height)

    def size(self, points: float) -> int:
        return max(10, round(points * _PT_TO_MM * DOTS_PER_MM))

    def text(self, x: int, y: int, text: str, height: int) -> int:
        """Place one line at (x, y) dots, top-left; returns its width in dots."""
        if self.options.text_mode == "graphic" and not text.isascii():
            command, width, _ = graphic_field(text, height)
            self.out.append(f"^FO{x},{y}{command}^FS")
            return width
        font = "0" if text.isascii() and self.options.text_mode == "graphic" else "@"
        name = "" if font == "0" else f",{self.options.printer_font}"
        self.out.append(f"^FO{x},{y}^A{font}N,{height},{height}{name}^FH^FD{field_data(text)}^FS")
        return round(_pil_font(height).getlength(text))

    def centred(self, zone: Zone, text: str, height: int, y: int) -> None:
        x, _, w, _ = self.box(zone)
        width = round(_pil_font(height).getlength(text))
        self.text(x + max(self.pad, (w - width) // 2), y, text, height)

    def lines(self, zone: Zone, paragraphs: list[tuple[str, int]], indent: int = 0) -> None:
        x, y, w, h = self.box(zone)
        cursor = y + self.pad
        for text, height in paragraphs:
            for line in _wrap(text, height, w - 2 * self.pad - indent):
                if cursor + height > y + h - self.pad // 2:
                    return
                self.text(x + self.pad + indent, cursor, line, height)
                cursor += round(height * 1.15)

    def badge(self, zone: Zone, char: str) -> int:
        x, y, _, h = self.box(zone)
        side = min(round(self.size(zone.font_size) * 1.8), h - 2 * self.pad)
        self.out.append(f"^FO{x + self.pad},{y + self.pad}^GB{side},{side},2^FS")
        glyph = round(side * 0.7)
        self.text(x + self.pad + (side - glyph) // 2, y + self.pad + (side - glyph) // 2, char, glyph)
        return side + self.pad

    def draw(self, label: LabelData) -> str:
        layout = self.layout
        width, height = self.dots(layout.width_mm), self.dots(layout.height_mm)
        self.out = [f"^XA^CI28^PW{width}^LL{height}^LH0,0"]
        for zone in layout.zones.values():
            x, y, w, h = self.box(zone)
            self.out.append(f"^FO{x},{y}^GB{min(w, width - x)},{min(h, height - y)},2^FS")
        self._header(label)
        self._code(label)
        zone = layout.zone("destination")
        big = self.size(zone.font_size)
        _, y, w, h = self.box(zone)
        while big > 12 and _pil_font(big).getlength(label.destination_text) > w - 2 * self.pad:
            big -= 2
        self.centred(zone, label.destination_text, big, y + (h - big) // 2)
        shown = label.masked_recipient
        zone = layout.zone("recipient")
        size = self.size(zone.font_size)
        indent = self.badge(zone, "收")
        self.lines(zone, [(f"{shown.name}    {shown.phone}", round(size * 1.2)), (shown.address, size)], indent)
        zone = layout.zone("sender")
        size = self.size(zone.font_size)
        indent = self.badge(zone, "寄")
        sender = label.sender
        self.lines(zone, [(f"{sender.name}    {sender.phone}", size), (sender.address, size)], indent)
        zone = layout.zone("contents")
        size = self.size(zone.font_size)
        self.lines(zone, [("内件：" + "、".join(label.contents), size), (f"办件编号：{label.case_ref}", size)])
        self._qr(label)
        zone = layout.zone("signature")
        size = self.size(zone.font_size)
        self.lines(zone, [("签收人：", size), ("签收时间：      年    月    日    时", size)])
        self.out.append("^PQ1^XZ")
        return "\n".join(self.out) + "\n"

    def _header(self, label: LabelData) -> None:
        zone = self.layout.zone("header")
        x, y, w, h = self.box(zone)
        size = self.size(zone.font_size)
        tag_width = round(_pil_font(size).getlength(HEADER_TAG))
        big = round(size * 1.3)
        while big > 12 and _pil_font(big).getlength(label.carrier) > w - 3 * self.pad - tag_width:
            big -= 2  # a long carrier name shrinks rather than run into the tag
        self.text(x + self.pad, y + (h - big) // 2, label.carrier, big)
        self.text(x + w - self.pad - tag_width, y + self.pad, HEADER_TAG, size)
        if label.date:
            small = round(size * 0.8)
            date_width = round(_pil_font(small).getlength(label.date))
            self.text(x + w - self.pad - date_width, y + h - self.pad - small, label.date, small)

    def _code(self, label: LabelData) -> None:
        zone = self.layout.zone("code")
        x, y, w, _ = self.box(zone)
        bar_height = self.dots(zone.bar_height_mm)
        modules = 11 * (len(label.waybill) + 2) + 2 + 20  # subset B worst case + quiet zones
        module = max(2, min(4, (w - 2 * self.pad) // modules))
        bar_width = (modules - 20) * module
        left = x + max(self.pad, (w - bar_width) // 2)
        self.out.append(
            f"^FO{left},{y + self.pad}^BY{module},3,{bar_height}"
            f"^BCN,{bar_height},N,N,N,A^FD{label.waybill}^FS"
        )
        size = self.size(zone.font_size)
        self.centred(zone, " ".join(label.waybill), size, y + self.pad + bar_height + size // 3)

    def _qr(self, label: LabelData) -> None:
        zone = self.layout.zone("qr")
        x, y, w, h = self.box(zone)
        caption = self.size(zone.font_size)
        modules = 25 if len(label.case_ref) <= 20 else 33  # QR version 2 / 3 at level M
        magnification = max(1, min(10, (min(w, h - caption) - 2 * self.pad) // modules))
        side = modules * magnification
        # ^BQ places its symbol about 10 dots below ^FO; the caption goes at the zone's bottom
        self.out.append(
            f"^FO{x + (w - side) // 2},{y + self.pad}^BQN,2,{magnification}"
            f"^FH^FDMA,{field_data(label.case_ref)}^FS"
        )
        self.centred(zone, "办件码", caption, y + h - self.pad // 2 - caption)


def render_labels_zpl(
    labels: Iterable[LabelData],
    size: str = "100x150",
    options: ZplOptions | None = None,
    *,
    template_dir: Path | None = None,
) -> str:
    """One ``^XA…^XZ`` block per label, concatenated (a thermal printer prints them in order)."""
    layout = load_layout(size, template_dir)
    blocks = [_Zpl(layout, options or ZplOptions()).draw(label) for label in labels]
    if not blocks:
        raise LabelDataError("no labels to render", message_zh="没有可打印的面单")
    return "".join(blocks)


def render_label_zpl(
    label: LabelData, size: str = "100x150", options: ZplOptions | None = None
) -> str:
    """A single label as ZPL."""
    return render_labels_zpl([label], size, options)

