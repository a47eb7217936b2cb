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
from certgen.licences.model import LicenceContent, LicenceTemplate, TextItem
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


def _text(c: Canvas, item: TextItem, values: dict[str, str], font: str, height: float) -> None:
    try:
        text = item.text.format(**values)
    except (KeyError, IndexError, ValueError):
        text = item.text
    c.setFont(font, item.size)
    x, y = item.x * mm, height - item.y * mm
    if item.align == "centre":
        c.drawCentredString(x, y, text)
    elif item.align == "right":
        c.drawRightString(x, y, text)
    else:
        c.drawString(x, y, text)


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


def render_licence(content: LicenceContent) -> bytes:
    """The unsigned licence PDF (page 1 plus as many annex pages as the body needs)."""
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

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(width, height), initialFontName=font, pageCompression=1)
    c.setTitle(f"{template.name} {content.number}")
    c.setAuthor(content.authority_name)
    c.setSubject(content.identifier)
    c.setCreator("OnceOnly certgen")

    def page_start(annex: int) -> float:
        if layout.frame:
            _frame(c, width, height)
        c.setFillColorRGB(*_INK)
        if annex == 0:
            _text(c, layout.title, values, font, height)
            for item in layout.texts:
                _text(c, item, values, font, height)
            _qr(c, content.verify_url, layout.qr.x * mm, height - (layout.qr.y + layout.qr.size) * mm,
                layout.qr.size * mm)
            return height - body.y * mm
        c.setFont(font, 16)
        c.drawCentredString(width / 2, height - 24 * mm, f"{template.name}（附页 第{annex}页）")
        c.setFont(font, 9)
        c.drawString(body.x * mm, height - 32 * mm, f"许可证编号：{content.number}    证照标识：{content.identifier}")
        return height - 42 * mm

    annex = 0
    y = page_start(annex)
    limit = height - body.bottom * mm
    for index, line in enumerate(lines):
        if y < limit:
            c.setFont(font, body.size * 0.85)
            c.drawRightString((body.x + body.width) * mm, limit - body.leading * 0.6, "（续见附页）")
            c.showPage()
            annex += 1
            y = page_start(annex)
            limit = 22 * mm
            if not line.label and index > 0 and not line.heading:
                line = _Line(f"{_previous_label(lines, index)}（续）", line.text)
        c.setFont(font, body.size)
        if line.heading:
            c.drawString(body.x * mm, y, line.text)
        else:
            if line.label:
                c.drawString(body.x * mm, y, f"{line.label}：")
            c.drawString((body.x + body.label_width) * mm, y, line.text)
        y -= body.leading
    c.showPage()
    c.save()
    return buf.getvalue()


def _previous_label(lines: list[_Line], index: int) -> str:
    for line in reversed(lines[:index]):
        if line.label:
            return line.label
    return ""
