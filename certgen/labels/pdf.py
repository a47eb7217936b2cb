"""Courier labels as PDF: one page per label, embedded CJK font, Code 128 waybill and QR code."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import qrcode
import qrcode.constants
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from certgen.fonts import register_cjk_font
from certgen.errors import LabelDataError
from certgen.labels.layout import Layout, Zone, load_layout
from certgen.labels.model import LabelData
from certgen.text import wrap

HEADER_TAG = "政务服务 · 快递送达"
MAX_BAR_WIDTH_MM = 0.5


@lru_cache(maxsize=256)
def qr_matrix(text: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code modules (level M, quiet zone drawn by the zone's own margin) from ``qrcode``."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(text)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


class _Page:
    """Draws one label on a canvas, zone by zone, converting top-left mm to PDF points."""

    def __init__(self, canvas: Canvas, layout: Layout, font: str) -> None:
        self.c = canvas
        self.layout = layout
        self.font = font
        self.pad = layout.padding_mm * mm

    def box(self, zone: Zone) -> tuple[float, float, float, float]:
        """(left, bottom, width, height) in points."""
        top = (self.layout.height_mm - zone.y) * mm
        return zone.x * mm, top - zone.height * mm, zone.width * mm, zone.height * mm

    def frame(self, zone: Zone) -> None:
        x, y, w, h = self.box(zone)
        self.c.setLineWidth(0.6)
        self.c.rect(x, y, w, h)

    def lines(self, zone: Zone, texts: Sequence[tuple[str, float]], indent: float = 0.0) -> None:
        """Write (text, size) paragraphs top-down inside the zone; overflow is cut, never spilled."""
        x, y, w, h = self.box(zone)
        left = x + self.pad + indent
        cursor = y + h - self.pad
        bottom = y + self.pad * 0.5
        for text, size in texts:
            for line in wrap(text, self.font, size, w - 2 * self.pad - indent):
                cursor -= size * 1.15
                if cursor < bottom:
                    return
                self.c.setFont(self.font, size)
                self.c.drawString(left, cursor, line)

    def badge(self, zone: Zone, char: str) -> float:
        """A boxed single character (收/寄) at the zone's left; returns the indent it takes."""
        x, y, w, h = self.box(zone)
        side = min(zone.font_size * 1.8, h - 2 * self.pad)
        top = y + h - self.pad
        self.c.rect(x + self.pad, top - side, side, side)
        self.c.setFont(self.font, side * 0.7)
        self.c.drawCentredString(x + self.pad + side / 2, top - side * 0.78, char)
        return side + self.pad

    def header(self, label: LabelData) -> None:
        zone = self.layout.zone("header")
        x, y, w, h = self.box(zone)
        size = zone.font_size
        room = w - 3 * self.pad - stringWidth(HEADER_TAG, self.font, size)
        big = size * 1.3
        while big > 5 and stringWidth(label.carrier, self.font, big) > room:
            big -= 0.5  # a long carrier name shrinks rather than run into the tag
        self.c.setFont(self.font, big)
        self.c.drawString(x + self.pad, y + (h - big) / 2 + big * 0.15, label.carrier)
        self.c.setFont(self.font, size)
        self.c.drawRightString(x + w - self.pad, y + h / 2 + size * 0.1, HEADER_TAG)
        if label.date:
            self.c.setFont(self.font, size * 0.8)
            self.c.drawRightString(x + w - self.pad, y + self.pad * 0.7, label.date)

    def code(self, label: LabelData) -> None:
        zone = self.layout.zone("code")
        x, y, w, h = self.box(zone)
        bar_height = zone.bar_height_mm * mm
        probe = Code128(label.waybill, barWidth=1, barHeight=bar_height, humanReadable=False)
        bar_width = min(MAX_BAR_WIDTH_MM * mm, (w - 2 * self.pad) / probe.width)
        barcode = Code128(label.waybill, barWidth=bar_width, barHeight=bar_height, humanReadable=False)
        top = y + h - self.pad
        barcode.drawOn(self.c, x + (w - barcode.width) / 2, top - bar_height)
        spaced = " ".join(label.waybill)
        self.c.setFont(self.font, zone.font_size)
        self.c.drawCentredString(x + w / 2, top - bar_height - zone.font_size * 1.2, spaced)

    def destination(self, label: LabelData) -> None:
        zone = self.layout.zone("destination")
        x, y, w, h = self.box(zone)
        text = label.destination_text
        size = zone.font_size
        while size > 6 and stringWidth(text, self.font, size) > w - 2 * self.pad:
            size -= 0.5
        self.c.setFont(self.font, size)
        self.c.drawCentredString(x + w / 2, y + (h - size) / 2 + size * 0.15, text)

    def recipient(self, label: LabelData) -> None:
        zone = self.layout.zone("recipient")
        shown = label.masked_recipient
        indent = self.badge(zone, "收")
        size = zone.font_size
        self.lines(zone, [(f"{shown.name}    {shown.phone}", size * 1.2), (shown.address, size)], indent)

    def sender(self, label: LabelData) -> None:
        zone = self.layout.zone("sender")
        indent = self.badge(zone, "寄")
        size = zone.font_size
        sender = label.sender
        self.lines(zone, [(f"{sender.name}    {sender.phone}", size), (sender.address, size)], indent)

    def contents(self, label: LabelData) -> None:
        zone = self.layout.zone("contents")
        size = zone.font_size
        self.lines(
            zone,
            [("内件：" + "、".join(label.contents), size), (f"办件编号：{label.case_ref}", size)],
        )

    def qr(self, label: LabelData) -> None:
        zone = self.layout.zone("qr")
        x, y, w, h = self.box(zone)
        caption = zone.font_size
        side = min(w, h - caption * 1.6) - 3 * self.pad  # leave a quiet zone round the symbol
        matrix = qr_matrix(label.case_ref)
        module = side / len(matrix)
        left, top = x + (w - side) / 2, y + h - 1.5 * self.pad
        path = self.c.beginPath()
        for row, cells in enumerate(matrix):  # one rectangle per horizontal run of dark modules
            col = 0
            while col < len(cells):
                if not cells[col]:
                    col += 1
                    continue
                start = col
                while col < len(cells) and cells[col]:
                    col += 1
                path.rect(left + start * module, top - (row + 1) * module, (col - start) * module, module)
        self.c.drawPath(path, stroke=0, fill=1)
        self.c.setFont(self.font, caption)
        self.c.drawCentredString(x + w / 2, y + self.pad / 2 + caption * 0.2, "办件码")

    def signature(self, label: LabelData) -> None:
        zone = self.layout.zone("signature")
        size = zone.font_size
        self.lines(zone, [("签收人：", size), ("签收时间：      年    月    日    时", size)])

    def draw(self, label: LabelData) -> None:
        for zone in self.layout.zones.values():
            self.frame(zone)
        self.header(label)
        self.code(label)
        self.destination(label)
        self.recipient(label)
        self.sender(label)
        self.contents(label)
        self.qr(label)
        self.signature(label)


def render_labels_pdf(
    labels: Iterable[LabelData], size: str = "100x150", *, template_dir: Path | None = None
) -> bytes:
    """One PDF with one page per label (a dispatch list prints in one go)."""
    layout = load_layout(size, template_dir)
    font = register_cjk_font()
    buffer = io.BytesIO()
    page_size = (layout.width_mm * mm, layout.height_mm * mm)
    canvas = Canvas(buffer, pagesize=page_size, initialFontName=font, initialFontSize=9)
    canvas.setTitle("快递面单 courier labels")
    canvas.setCreator("OnceOnly certgen")
    count = 0
    for label in labels:
        _Page(canvas, layout, font).draw(label)
        canvas.showPage()
        count += 1
    if count == 0:
        raise LabelDataError("no labels to render", message_zh="没有可打印的面单")
    canvas.save()
    return buffer.getvalue()


def render_label_pdf(label: LabelData, size: str = "100x150", *, template_dir: Path | None = None) -> bytes:
    """A single label as a one-page PDF."""
    return render_labels_pdf([label], size, template_dir=template_dir)
