"""Render a 一次性告知书 / 补正材料通知书 or a 容缺受理通知书 as an A4 PDF.

Every item of DOMAIN.md §4 appears: title, number, applicant and contact, matter, date of
application, case officer and phone, legal basis, each missing material with its standard, the
issuing department with a place for its e-seal, and the receipt line. The 容缺受理通知书 adds how the
supplement may be given, the deadline and what happens if it is missed, and is printed in two
copies (one page group each). All text uses the embedded CJK font; nothing is left unembedded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from certgen.fonts import register_cjk_font
from certgen.notices.model import NoticeData

__all__ = ["render_notice", "render_notice_layout", "SealSpot", "UNSIGNED_MARK"]

SEAL_RED = colors.HexColor("#D6161C")

UNSIGNED_MARK = "未加盖电子印章 · UNSIGNED"


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER),
        "number": ParagraphStyle("number", parent=base, alignment=TA_CENTER, fontSize=10.5),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=22),
        "plain": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=13, textColor=colors.HexColor("#444444")),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _items_table(data: NoticeData, st: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[Any]] = [[_p("序号", st["cell"]), _p("材料名称", st["cell"]), _p("类别", st["cell"]),
                              _p("应符合的标准", st["cell"])]]
    for index, item in enumerate(data.items, start=1):
        kind = "主要材料" if item.kind == "main" else "次要材料（容缺）"
        rows.append([_p(str(index), st["cell"]), _p(item.name, st["cell"]), _p(kind, st["cell"]),
                     _p(item.standard, st["cell"])])
    table = Table(rows, colWidths=[13 * mm, 52 * mm, 27 * mm, 78 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st["cell"].fontName),  # else the table sets Helvetica
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _body(data: NoticeData, st: dict[str, ParagraphStyle], spots: list[SealSpot]) -> list[Any]:
    applied = f"{data.applied_on.year}年{data.applied_on.month}月{data.applied_on.day}日"
    if data.kind == "correction":
        lead = (f"你（单位）于{applied}提出的“{data.matter_name}”申请（办件编号：{data.case_id}），经审查，"
                f"申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，"
                f"现一次性告知你（单位）需要补正的全部材料如下（共{len(data.items)}项）：")
        after = ["请按上述要求一次性补齐全部材料后重新提交。补正材料齐全、符合法定形式的，本机关将予以受理。"]
    else:
        deadline = data.deadline
        assert deadline is not None  # validate() guarantees it
        due = f"{deadline.year}年{deadline.month}月{deadline.day}日"
        lead = (f"你（单位）于{applied}提出的“{data.matter_name}”申请（办件编号：{data.case_id}），主要申请材料齐全、"
                f"符合法定形式，次要材料尚有欠缺。根据容缺受理制度，本机关决定予以容缺受理。请于{due}前"
                f"补齐下列材料（共{len(data.items)}项）：")
        after = [
            f"补正方式：{'；'.join(data.supplement_methods)}。",
            f"补正期限：{due}前（不超过本事项承诺办理时限"
            + (f"{data.committed_days}个工作日" if data.committed_days is not None else "")
            + "）。",
            f"逾期未补正的后果：{data.consequence}",
        ]
    flow: list[Any] = [
        _p(f"申请人：{data.applicant_name}（{data.owner_code}）", st["plain"]),
        _p(f"联系电话：{data.contact_phone or '—'}", st["plain"]),
        Spacer(1, 3 * mm),
        _p(lead, st["body"]),
        Spacer(1, 2 * mm),
        _items_table(data, st),
        Spacer(1, 3 * mm),
    ]
    flow += [_p(text, st["body"]) for text in after[:-1]]
    # the seal never stands alone on a page: the closing text goes with it onto the same page
    tail: list[Any] = [
        _p(after[-1], st["body"]),
        Spacer(1, 2 * mm),
        _p(f"法律依据：{data.legal_basis}", st["plain"]),
        _p(f"经办人：{data.officer_name}    联系电话：{data.officer_phone or data.department_phone or '—'}", st["plain"]),
    ]
    if data.department_address:
        tail.append(_p(f"办理地点：{data.department_address}", st["plain"]))
    issued = f"{data.issued_on.year}年{data.issued_on.month}月{data.issued_on.day}日"
    flow.append(KeepTogether(tail + [
        Spacer(1, 6 * mm),
        _SealBlock(data.department_name, issued, st["plain"], data.will_be_signed, spots),
        Spacer(1, 6 * mm),
        _p("申请人（签收）：____________________        签收日期：______年____月____日", st["plain"]),
    ]))
    return flow


class _Page:
    """Draws the per-page furniture: notice number, page number and the unsigned mark."""

    def __init__(self, data: NoticeData, font: str) -> None:
        self.data, self.font = data, font

    def __call__(self, canvas: Canvas, doc: Any) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFont(self.font, 9)
        canvas.drawString(20 * mm, 12 * mm, f"{self.data.title}  {self.data.number}")
        canvas.drawRightString(width - 20 * mm, 12 * mm, f"第{canvas.getPageNumber()}页")
        if not self.data.will_be_signed:
            canvas.setFillColor(SEAL_RED)
            canvas.drawString(20 * mm, height - 14 * mm, UNSIGNED_MARK + "：本件尚未加盖电子印章，不作为正式文书")
        canvas.restoreState()


def render_notice(data: NoticeData) -> bytes:
    """The notice as PDF bytes (A4; one page group per copy)."""
    return render_notice_layout(data)[0]


def render_notice_layout(data: NoticeData) -> tuple[bytes, list[SealSpot]]:
    """The notice as PDF bytes, and where the department's e-seal belongs on which pages."""
    data.validate()
    font = register_cjk_font()
    st = _styles(font)
    spots: list[SealSpot] = []
    copy_style = ParagraphStyle("copy", parent=st["small"], alignment=TA_RIGHT)
    story: list[Any] = []
    for index, label in enumerate(data.copy_labels):
        if index:
            story.append(PageBreak())
        story += [_p(label, copy_style), _p(data.title, st["title"]), _p(data.number, st["number"]),
                  Spacer(1, 6 * mm)]
        story += _body(data, st, spots)

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm, bottomMargin=20 * mm,
        title=f"{data.title} {data.number}", author=data.department_name, subject=data.matter_name,
        creator="OnceOnly certgen", initialFontName=font, initialFontSize=11,
    )
    doc.build(story, onFirstPage=_Page(data, font), onLaterPages=_Page(data, font))
    return buffer.getvalue(), spots


@dataclass(frozen=True)
class SealSpot:
    """Where a seal goes: 1-based page number and a box in points from the page's bottom-left."""

    page: int
    x: float
    y: float
    width: float
    height: float


class _SealBlock(Flowable):
    """The issuing department and date, right-aligned, with the seal's place over them."""

    SIZE = 40 * mm

    def __init__(self, department: str, issued: str, style: ParagraphStyle, signed: bool,
                 spots: list[SealSpot]) -> None:
        super().__init__()
        self.department, self.issued, self.style = department, issued, style
        self.signed, self.spots = signed, spots

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.SIZE

    def draw(self) -> None:
        canvas = self.canv
        right = self.width
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.drawRightString(right, self.SIZE * 0.55, self.department)
        canvas.drawRightString(right - 5 * mm, self.SIZE * 0.55 - 7 * mm, self.issued)
        box_x = right - self.SIZE - 10 * mm
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#BBBBBB"))
        canvas.setDash(2, 2)
        canvas.rect(box_x, 0, self.SIZE, self.SIZE)
        if not self.signed:
            canvas.setFillColor(SEAL_RED)
            canvas.drawCentredString(box_x + self.SIZE / 2, 4 * mm, "（未签章）")
        canvas.restoreState()
        abs_x, abs_y = canvas.absolutePosition(box_x, 0)
        self.spots.append(SealSpot(canvas.getPageNumber(), abs_x, abs_y, self.SIZE, self.SIZE))
