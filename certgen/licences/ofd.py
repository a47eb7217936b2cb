"""Render a licence as an OFD document: the same template, the same positions as the PDF renderer.

The layout walk is the PDF renderer's (``certgen.licences.walk``: same font metrics from
reportlab, same wrapping and annex pages); this surface records text objects, frames and the QR
code in OFD's millimetre coordinates. The seal is not page content: it is the picture of the SESeal,
shown where the signature's stamp annotation says (``certgen.ofd.sign``).
"""

from __future__ import annotations

import io
import json
from datetime import datetime

from PIL import Image as PilImage
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from certgen.fonts import register_cjk_font
from certgen.licences.attachment import ATTACHMENT_NAME, licence_json
from certgen.licences.model import LicenceContent
from certgen.licences.render import qr_matrix
from certgen.licences.walk import walk
from certgen.ofd.document import Image, OfdDocument, Page, Rect, Text
from certgen.ofd.sign import OfdSealer, Stamp, seal_package

_FRAME = (140, 31, 26)
_INK = (26, 26, 26)
_PT = 25.4 / 72  # mm per point


class _OfdSurface:
    """The layout walk's surface for OFD: records objects in OFD units (mm from the top-left)."""

    def __init__(self, font: str, width: float, height: float) -> None:
        self.font, self.width, self.height = font, width, height  # points
        self.pages: list[Page] = [Page(width * _PT, height * _PT)]

    def next_page(self) -> None:
        self.pages.append(Page(self.width * _PT, self.height * _PT))

    def text(self, x: float, y: float, text: str, size: float, align: str = "left") -> None:
        if not text:
            return
        advances = tuple(stringWidth(ch, self.font, size) * _PT for ch in text)
        start = x * _PT - (sum(advances) if align == "right" else sum(advances) / 2 if align == "centre" else 0)
        self.pages[-1].items.append(Text(start, (self.height - y) * _PT, size * _PT, text, advances, _INK))

    def frame(self, width: float, height: float) -> None:
        for inset, line_width in ((8 * mm, 2.2), (10 * mm, 0.6)):  # as certgen.licences.render._frame
            self.pages[-1].items.append(Rect(inset * _PT, inset * _PT, (width - 2 * inset) * _PT,
                                             (height - 2 * inset) * _PT, line_width * _PT, _FRAME))

    def qr(self, url: str, x: float, y: float, size: float) -> None:
        self.pages[-1].items.append(Image("qr", x * _PT, (self.height - y - size) * _PT, size * _PT, size * _PT))


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
    width_mm, height_mm = layout.size_mm
    surface = _OfdSurface(register_cjk_font(), width_mm * mm, height_mm * mm)
    walk(content, surface)

    data = licence_json(content)
    metadata = [(k, ",".join(v) if isinstance(v, list) else "" if v is None else str(v))
                for k, v in data["metadata"].items()]
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return OfdDocument(
        title=f"{template.name} {content.number}", author=content.authority_name, subject=content.identifier,
        creation_date=content.issue_date, custom_data=metadata, pages=surface.pages,
        images={"qr": qr_png(content.verify_url)}, attachments=[(ATTACHMENT_NAME, payload, "json")],
    )


def render_licence_ofd(content: LicenceContent, sealer: OfdSealer, *, when: datetime | None = None) -> bytes:
    """The sealed OFD package of a licence: render, attach the JSON, seal with SM2 (GB/T 38540)."""
    files, page_ids = licence_document(content).files()
    seal = content.template.layout.seal
    return seal_package(files, sealer, Stamp(page_ids[0], seal.x, seal.y, seal.size), when=when)
