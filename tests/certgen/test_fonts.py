"""The embedded CJK font: subsets made without copying the glyph table are reportlab's own, byte for byte."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace

from certgen.fonts import cjk_font_path, register_cjk_font

TEXT = "食品经营许可证 温州市鹿城区市场监督管理局 经营范围：预包装食品（含冷藏冷冻食品）销售 ABC-123 ①②"


def test_a_subset_is_the_same_as_reportlabs_own() -> None:
    face = pdfmetrics.getFont(register_cjk_font()).face
    path, index = cjk_font_path()
    stock = TTFontFace(str(path), subfontIndex=index)
    assert type(face) is not TTFontFace  # the in-place subsetting face is the one registered
    subset = sorted({ord(ch) for ch in TEXT})
    ours = face.makeSubset(subset)
    assert ours == stock.makeSubset(subset)
    assert len(ours) < 200_000  # a subset, not the 10 MB glyph table
