"""Render a licence to PDF with reportlab: embedded subset CJK font, vector QR code, annex pages.

Body rows flow downwards; a long value (经营范围) wraps, and whatever does not fit above the body's
bottom edge continues on annex pages (附页) — text is never cut off. The seal is not drawn here:
it is the visible appearance of the signature (``seal_box`` gives its place).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import qrcode
import qrcode.constants
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from certgen.fonts import register_cjk_font
from certgen.licences.model import LicenceContent, LicenceTemplate
from certgen.text import wrap

_FRAME = (0.55, 0.12, 0.1)
_INK = (0.1, 0.1, 0.1)


@dataclass(frozen=True)
class _Line:
    label: str  # printed only on a row's first line
    text: str
    heading: bool = False


def cn_date(value: date | None) -> str:
    return "长期" if value is None else f"{value.year}年{value.month}月{value.day}日"


def text_values(content: LicenceContent) -> dict[str, str]:
    """Every value a template's text items may use (``{key}`` placeholders)."""
    validity = f"{cn_date(content.valid_from)}至{cn_date(content.valid_until)}" if content.valid_until else "长期"
    return {
        **content.values, "number": content.number, "identifier": content.identifier,
        "authority_name": content.authority_name, "authority_code": content.authority_code,
        "issue_date": cn_date(content.issue_date), "valid_from": cn_date(content.valid_from),
        "valid_until": cn_date(content.valid_until), "validity": validity, "name": content.template.name,
        "verify_url": content.verify_url,
    }


def _row_lines(content: LicenceContent, row: str, labels: dict[str, str], values: dict[str, str],
               font: str, size: float, width: float) -> list[_Line]:
    if row == "permits":
        out: list[_Line] = []
        for permit in content.permits:
            out.append(_Line("", f"【{permit.label}】", heading=True))
            kind = content.template.permit_kind(permit.kind)
            for label, text in (("许可证编号", permit.number), (kind.scope_label if kind else "经营范围", permit.scope),
                                ("有效期至", cn_date(permit.valid_until))):
                out.extend(_Line(label if i == 0 else "", t) for i, t in enumerate(wrap(text, font, size, width)))
        return out
    text = values.get(row, "")
    return [_Line(labels[row] if i == 0 else "", t) for i, t in enumerate(wrap(text or "—", font, size, width))]


def _labels(template: LicenceTemplate) -> dict[str, str]:
    labels = {f.key: f.label for f in template.fields}
    labels.update(number="许可证编号", validity="有效期", authority_name="发证机关", issue_date="发证日期",
                  identifier="证照标识")
    labels.update(dict(template.layout.labels))
    return labels


def _frame(c: Canvas, width: float, height: float) -> None:
    c.setStrokeColorRGB(*_FRAME)
    c.setLineWidth(2.2)
    c.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
    c.setLineWidth(0.6)
    c.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    c.setStrokeColorRGB(*_INK)


def qr_matrix(text: str) -> list[list[bool]]:
    """QR modules (error correction M). The mask is fixed: valid per ISO 18004 and much faster."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=2)
    code.add_data(text.encode("utf-8"))
    code.make(fit=True)
    return code.get_matrix()


def _qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as one filled vector path (plus its 4-module quiet zone, white)."""
    matrix = qr_matrix(url)
    n = len(matrix)
    module = size / (n + 8)
    c.setFillColorRGB(1, 1, 1)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    path = c.beginPath()
    for row, cells in enumerate(matrix):
        top = y + size - (row + 4) * module
        col = 0
        while col < n:
            if cells[col]:
                start = col
                while col < n and cells[col]:
                    col += 1
                path.rect(x + (start + 4) * module, top - module, (col - start) * module, module)
            col += 1
    c.drawPath(path, stroke=0, fill=1)
    c.setFillColorRGB(*_INK)


def seal_box(template: LicenceTemplate) -> tuple[float, float, float, float]:
    """The seal's place on page 1 in PDF points (x1, y1, x2, y2), for ``sign_pdf(seal_box=...)``."""
    _, height = template.layout.size_mm
    s = template.layout.seal
    return (s.x * mm, (height - s.y - s.size) * mm, (s.x + s.size) * mm, (height - s.y) * mm)


class _PdfSurface:
    """The layout walk's surface for PDF: a reportlab canvas."""

    def __init__(self, c: Canvas, font: str) -> None:
        self.c, self.font = c, font

    def text(self, x: float, y: float, text: str, size: float, align: str = "left") -> None:
        self.c.setFillColorRGB(*_INK)
        self.c.setFont(self.font, size)
        if align == "centre":
            self.c.drawCentredString(x, y, text)
        elif align == "right":
            self.c.drawRightString(x, y, text)
        else:
            self.c.drawString(x, y, text)

    def frame(self, width: float, height: float) -> None:
        _frame(self.c, width, height)

    def qr(self, url: str, x: float, y: float, size: float) -> None:
        _qr(self.c, url, x, y, size)

    def next_page(self) -> None:
        self.c.showPage()


def render_licence(content: LicenceContent) -> bytes:
    """The unsigned licence PDF (page 1 plus as many annex pages as the body needs)."""
    from certgen.licences.walk import walk

    template, layout = content.template, content.template.layout
    font = register_cjk_font()
    width_mm, height_mm = layout.size_mm
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(width_mm * mm, height_mm * mm), initialFontName=font, pageCompression=1)
    c.setTitle(f"{template.name} {content.number}")
    c.setAuthor(content.authority_name)
    c.setSubject(content.identifier)
    c.setCreator("OnceOnly certgen")
    walk(content, _PdfSurface(c, font))
    c.showPage()
    c.save()
    return buf.getvalue()


def _previous_label(lines: list[_Line], index: int) -> str:
    for line in reversed(lines[:index]):
        if line.label:
            return line.label
    return ""
