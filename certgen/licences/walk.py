"""The licence layout walk, shared by the PDF and the OFD renderer: what goes where, on which page.

``walk(content, surface)`` places the frame, title, texts, QR code and the body rows (wrapped,
continued on annex pages) on a ``Surface``; the PDF renderer's surface is a reportlab canvas,
the OFD renderer's records OFD objects. Coordinates are PDF points from the bottom-left.
"""

from __future__ import annotations

from typing import Protocol

from reportlab.lib.units import mm

from certgen.licences.model import LicenceContent, TextItem


class Surface(Protocol):
    font: str

    def text(self, x: float, y: float, text: str, size: float, align: str = "left") -> None: ...

    def frame(self, width: float, height: float) -> None: ...

    def qr(self, url: str, x: float, y: float, size: float) -> None: ...

    def next_page(self) -> None: ...


def _item(s: Surface, item: TextItem, values: dict[str, str], height: float) -> None:
    try:
        text = item.text.format(**values)
    except (KeyError, IndexError, ValueError):
        text = item.text
    s.text(item.x * mm, height - item.y * mm, text, item.size, item.align)


def walk(content: LicenceContent, s: Surface) -> None:
    """Draw the whole licence on ``s`` (page 1, then as many annex pages as the body needs)."""
    from certgen.licences.render import _labels, _Line, _previous_label, _row_lines, text_values

    template, layout = content.template, content.template.layout
    width_mm, height_mm = layout.size_mm
    width, height = width_mm * mm, height_mm * mm
    body = layout.body
    values = text_values(content)
    labels = _labels(template)
    value_width = (body.width - body.label_width) * mm
    lines: list[_Line] = []
    for row in layout.rows:
        lines.extend(_row_lines(content, row, labels, values, s.font, body.size, value_width))

    def page_start(annex: int) -> float:
        if layout.frame:
            s.frame(width, height)
        if annex == 0:
            _item(s, layout.title, values, height)
            for item in layout.texts:
                _item(s, item, values, height)
            s.qr(content.verify_url, layout.qr.x * mm, height - (layout.qr.y + layout.qr.size) * mm,
                 layout.qr.size * mm)
            return height - body.y * mm
        s.text(width / 2, height - 24 * mm, f"{template.name}（附页 第{annex}页）", 16, "centre")
        s.text(body.x * mm, height - 32 * mm, f"许可证编号：{content.number}    证照标识：{content.identifier}", 9)
        return height - 42 * mm

    annex = 0
    y = page_start(annex)
    limit = height - body.bottom * mm
    for index, line in enumerate(lines):
        if y < limit:
            s.text((body.x + body.width) * mm, limit - body.leading * 0.6, "（续见附页）", body.size * 0.85, "right")
            s.next_page()
            annex += 1
            y = page_start(annex)
            limit = 22 * mm
            if not line.label and index > 0 and not line.heading:
                line = _Line(f"{_previous_label(lines, index)}（续）", line.text)
        if line.heading:
            s.text(body.x * mm, y, line.text, body.size)
        else:
            if line.label:
                s.text(body.x * mm, y, f"{line.label}：", body.size)
            s.text((body.x + body.label_width) * mm, y, line.text, body.size)
        y -= body.leading
