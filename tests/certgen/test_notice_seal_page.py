"""The seal of a multi-page notice never stands alone on a page (issue 11, defect 6).

However many materials a one-time notice lists, the page the e-seal is placed on also carries
the notice's closing text (legal basis and the clerk who handled it) — never only the seal.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from certgen.notices import NoticeData, NoticeItem, render_notice_layout


def notice(items: int, kind: str = "correction") -> NoticeData:
    return NoticeData(
        kind=kind, number="温市监补字〔2026〕第0001号", department_name="温州市鹿城区市场监督管理局",  # type: ignore[arg-type]
        applicant_name="温州仁心大药房有限公司", owner_code="91330302MA2AB1C2DX", contact_phone="13100001907",
        matter_name="药品零售企业经营许可", case_id="BJ20261123ABCDEFGH", applied_on=dt.date(2026, 11, 23),
        issued_on=dt.date(2026, 11, 23), officer_name="王小红", officer_phone="0577-88960000",
        legal_basis="《中华人民共和国行政许可法》第三十二条",
        items=tuple(NoticeItem(f"材料{n}", "复印件加盖公章，原件核对，" * 3) for n in range(items)),
        department_address="温州市鹿城区市民中心", deadline=dt.date(2026, 11, 30) if kind == "deficiency" else None,
        supplement_methods=("窗口现场提交",), consequence="视为撤回申请", committed_days=10,
    )


def page_text(pdf: bytes, page: int, tmp_path: Path) -> str:
    path = tmp_path / "n.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return "".join(out.split())


@pytest.mark.parametrize("items", range(1, 31))
def test_the_seal_page_carries_the_closing_text(items: int, tmp_path: Path) -> None:
    pdf, spots = render_notice_layout(notice(items))
    assert spots
    for spot in spots:
        text = page_text(pdf, spot.page, tmp_path)
        assert "经办人：王小红" in text and "法律依据" in text, (items, spot.page)
