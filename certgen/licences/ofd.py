"""Render a licence as an OFD document: the same template, the same positions as the PDF renderer.

The layout walk mirrors ``certgen.licences.render`` line for line (same font metrics from
reportlab, same wrapping and annex pages) and records text objects, frames and the QR code in
OFD's millimetre coordinates. The seal is not page content: it is the picture of the SESeal,
shown where the signature's stamp annotation says (``certgen.ofd.sign``).
"""

from __future__ import annotations

import io
import json
from datetime import datetime

import qrcode.image.pil  # noqa: F401  (PIL backend for the QR image)
from PIL import Image as PilImage
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from certgen.fonts import register_cjk_font
from certgen.licences.attachment import ATTACHMENT_NAME, licence_json
from certgen.licences.model import LicenceContent, TextItem
from certgen.licences.render import _labels, _Line, _previous_label, _row_lines, qr_matrix, text_values
from certgen.ofd.document import Image, OfdDocument, Page, Rect, Text
from certgen.ofd.sign import OfdSealer, Stamp, seal_package

_FRAME = (140, 31, 26)
_INK = (26, 26, 26)
_PT = 25.4 / 72  # mm per point


class _Canvas:
    """Records what the PDF renderer would draw, in OFD units (mm from the top-left)."""

    def __init__(self, font: str, width: float, height: float) -> None:
        self.font, self.width, self.height = font, width, height  # points
        self.pages: list[Page] = []
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(Page(self.width * _PT, self.height * _PT))

    def text(self, x: float, y: float, text: str, size: float, align: str = "left") -> None:
        if not text:
            return
        advances = tuple(stringWidth(ch, self.font, size) * _PT for ch in text)
        start = x * _PT - (sum(advances) if align == "right" else sum(advances) / 2 if align == "centre" else 0)
        self.pages[-1].items.append(Text(start, (self.height - y) * _PT, size * _PT, text, advances, _INK))

    def rect(self, x: float, y: float, w: float, h: float, line_width: float) -> None:
        self.pages[-1].items.append(Rect(x * _PT, (self.height - y - h) * _PT, w * _PT, h * _PT,
                                         line_width * _PT, _FRAME))

    def image(self, name: str, x: float, y: float, size: float) -> None:
        self.pages[-1].items.append(Image(name, x * _PT, (self.height - y - size) * _PT, size * _PT, size * _PT))


def _item(c: _Canvas, item: TextItem, values: dict[str, str]) -> None:
    try:
        text = item.text.format(**values)
    except (KeyError, IndexError, ValueError):
        text = item.text
    c.text(item.x * mm, c.height - item.y * mm, text, item.size, item.align)


def qr_png(text: str) -> bytes:
    """The QR code with its 4-module quiet zone as a 1-bit PNG (8 pixels per module)."""
    matrix = qr_matrix(text)
    n = len(matrix) + 8
    image = PilImage.new("1", (n, n), 1)
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            if dark:
                image.putpixel((col + 4, row + 4), 0)
    out = io.BytesIO()
    image.resize((n * 8, n * 8), PilImage.NEAREST).save(out, "PNG", optimize=True)
    return out.getvalue()


def licence_document(content: LicenceContent) -> OfdDocument:
    """The unsealed OFD document of a licence (pages, metadata, JSON attachment)."""
    template, layout = content.template, content.template.layout
    font = register_cjk_font()
    width_mm, height_mm = layout.size_mm
    width, height = width_mm * mm, height_mm * mm
    body = layout.body
    values = text_values(content)
    labels = _labels(template)
    value_width = (body.width - body.label_width) * mm
    lines: list[_Line] = []
    for row in layout.rows:
        lines.extend(_row_lines(content, row, labels, values, font, body.size, value_width))
    c = _Canvas(font, width, height)

    def page_start(annex: int) -> float:
        if layout.frame:
            c.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm, 2.2)
            c.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm, 0.6)
        if annex == 0:
            _item(c, layout.title, values)
            for item in layout.texts:
                _item(c, item, values)
            c.image("qr", layout.qr.x * mm, height - (layout.qr.y + layout.qr.size) * mm, layout.qr.size * mm)
            return height - body.y * mm
        c.text(width / 2, height - 24 * mm, f"{template.name}（附页 第{annex}页）", 16, "centre")
        c.text(body.x * mm, height - 32 * mm, f"许可证编号：{content.number}    证照标识：{content.identifier}", 9)
        return height - 42 * mm

    annex = 0
    y = page_start(annex)
    limit = height - body.bottom * mm
    for index, line in enumerate(lines):
        if y < limit:
            c.text((body.x + body.width) * mm, limit - body.leading * 0.6, "（续见附页）", body.size * 0.85, "right")
            c.new_page()
            annex += 1
            y = page_start(annex)
            limit = 22 * mm
            if not line.label and index > 0 and not line.heading:
                line = _Line(f"{_previous_label(lines, index)}（续）", line.text)
        if line.heading:
            c.text(body.x * mm, y, line.text, body.size)
        else:
            if line.label:
                c.text(body.x * mm, y, f"{line.label}：", body.size)
            c.text((body.x + body.label_width) * mm, y, line.text, body.size)
        y -= body.leading

    data = licence_json(content)
    metadata = [(k, ",".join(v) if isinstance(v, list) else "" if v is None else str(v))
                for k, v in data["metadata"].items()]
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return OfdDocument(
        title=f"{template.name} {content.number}", author=content.authority_name, subject=content.identifier,
        creation_date=content.issue_date, custom_data=metadata, pages=c.pages,
        images={"qr": qr_png(content.verify_url)}, attachments=[(ATTACHMENT_NAME, payload, "json")],
    )


def render_licence_ofd(content: LicenceContent, sealer: OfdSealer, *, when: datetime | None = None) -> bytes:
    """The sealed OFD package of a licence: render, attach the JSON, seal with SM2 (GB/T 38540)."""
    files, page_ids = licence_document(content).files()
    seal = content.template.layout.seal
    return seal_package(files, sealer, Stamp(page_ids[0], seal.x, seal.y, seal.size), when=when)
