"""Test inputs shared by the OCR tests."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas


def born_digital_pdf(pages: int) -> bytes:
    from certgen.fonts import register_cjk_font

    font = register_cjk_font()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, initialFontName=font)
    for n in range(pages):
        canvas.setFont(font, 22)
        canvas.drawString(230, 760, "营业执照")
        canvas.setFont(font, 12)
        rows = [("统一社会信用代码", "91350200776049653A"), ("名称", "厦门市鹭江贸易有限公司"),
                ("法定代表人", "張偉"), ("注册资本", "人民币伍拾万元整"), ("成立日期", "2015年03月12日"),
                ("营业期限", "2015年03月12日至长期"), ("登记机关", "厦门市思明区市场监督管理局")]
        for i, (label, value) in enumerate(rows):
            canvas.drawString(70, 700 - 28 * i, label)
            canvas.drawString(200, 700 - 28 * i, value)
        canvas.drawString(70, 400, f"第 {n + 1} 页")
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
