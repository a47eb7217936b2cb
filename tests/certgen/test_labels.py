"""A courier prints labels: exact page size, a scannable waybill, and only masked personal data.

Every check reads the real PDF with independent tools (poppler's pdfinfo/pdftotext/pdffonts,
zbarimg), not with our own code.
"""

from __future__ import annotations

import copy
import re
import subprocess
from pathlib import Path

import pytest

from certgen.labels import EXAMPLE, LabelData, LabelDataError, LabelSizeError, render_label_pdf, render_labels_pdf

MM = 72 / 25.4


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def page_size_mm(pdf: Path) -> list[tuple[float, float]]:
    out = run("pdfinfo", "-f", "1", "-l", "999", str(pdf))
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    return [(round(float(w) / MM, 2), round(float(h) / MM, 2)) for w, h in sizes]


def barcodes(pdf: Path, tmp_path: Path) -> list[str]:
    """Rasterise every page at 200 dpi and decode with zbarimg; returns 'TYPE:value' strings."""
    prefix = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(prefix)], check=True)
    found: list[str] = []
    for png in sorted(tmp_path.glob(f"{pdf.stem}-*.png")):
        result = subprocess.run(["zbarimg", "-q", str(png)], capture_output=True, text=True)
        found.extend(result.stdout.split())
    return found


def label(**changes: object) -> LabelData:
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return LabelData.from_dict(data)


@pytest.mark.parametrize("size, expected", [("100x150", (100.0, 150.0)), ("76x130", (76.0, 130.0))])
def test_label_has_exact_size_scannable_waybill_and_masked_recipient(size, expected, tmp_path):
    pdf = tmp_path / f"label-{size}.pdf"
    pdf.write_bytes(render_label_pdf(label(), size))

    assert page_size_mm(pdf) == [expected]
    codes = barcodes(pdf, tmp_path)
    assert "CODE-128:EA123456785CN" in codes
    assert "QR-Code:WZ-2026-000123" in codes

    text = run("pdftotext", "-layout", str(pdf), "-")
    assert "王**" in text
    assert "131****1907" in text
    # 隐私面单: name and phone masked, the address in full (the courier must find the door)
    assert "浙江省温州市鹿城区五马街道解放街123号3幢501室" in "".join(text.split())
    assert "13155551907" not in text.replace(" ", "")
    assert "1907" in text and "5555" not in text
    assert "小明" not in text
    # the sender (the issuing authority) and the contents are printed in full
    assert "温州市鹿城区行政审批服务局" in text
    assert "行政许可决定书" in text and "许可证正本" in text
    assert "WZ-2026-000123" in text


def test_only_the_embedded_cjk_font_is_used(tmp_path):
    pdf = tmp_path / "label.pdf"
    pdf.write_bytes(render_label_pdf(label(), "100x150"))
    fonts = run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts, "the label has text"
    for line in fonts:
        assert "WenQuanYi" in line
        assert re.search(r"\byes\s+yes\s+yes\b", line), f"font not embedded+subset+unicode: {line}"


def test_batch_prints_every_label_of_a_dispatch_list_in_one_pdf(tmp_path):
    waybills = ["EA000000014CN", "EA000000028CN", "EA000000031CN"]
    labels = [label(waybill=w, case_ref=f"WZ-2026-00000{i}") for i, w in enumerate(waybills)]
    pdf = tmp_path / "batch.pdf"
    pdf.write_bytes(render_labels_pdf(labels, "76x130"))

    assert page_size_mm(pdf) == [(76.0, 130.0)] * 3
    codes = barcodes(pdf, tmp_path)
    assert [c for c in codes if c.startswith("CODE-128:")] == [f"CODE-128:{w}" for w in waybills]


def test_a_long_address_and_company_recipient_stay_inside_the_label(tmp_path):
    data = copy.deepcopy(EXAMPLE)
    data["recipient"] = {
        "name": "温州市鹿城区好味道餐饮管理有限公司",
        "phone": "+86 139-0577-2468",
        "address": "浙江省温州市鹿城区" + "五马街道解放街" * 10 + "999号",
    }
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_label_pdf(LabelData.from_dict(data), "76x130"))
    text = run("pdftotext", str(pdf), "-")
    assert "温州****公司" in text
    assert "139****2468" in text
    assert "0577" not in text.replace("0577-88960000", "")
    assert "999" not in text
    assert "CODE-128:EA123456785CN" in barcodes(pdf, tmp_path)


@pytest.mark.parametrize(
    "change, key",
    [
        ({"waybill": ""}, "waybill"),
        ({"contents": []}, "contents"),
        ({"recipient": {"name": "王小明", "address": "浙江省"}}, "recipient.phone"),
        ({"recipient": {"name": "王小明", "phone": "call me", "address": "浙江省"}}, "recipient.phone"),
        ({"sender": "温州"}, "sender"),
        ({"case_ref": None}, "case_ref"),
    ],
)
def test_bad_label_data_names_the_key(change, key):
    data = copy.deepcopy(EXAMPLE)
    data.update(change)
    with pytest.raises(LabelDataError) as info:
        LabelData.from_dict(data)
    assert key in str(info.value)
    assert info.value.message_zh


def test_unknown_size_is_refused():
    with pytest.raises(LabelSizeError):
        render_label_pdf(label(), "A4")


def test_a_long_carrier_name_shrinks_instead_of_overprinting(tmp_path):
    pdf = tmp_path / "carrier.pdf"
    pdf.write_bytes(render_label_pdf(label(carrier="中国邮政速递物流股份有限公司温州市分公司"), "76x130"))
    text = run("pdftotext", "-layout", str(pdf), "-")
    assert "中国邮政速递物流股份有限公司温州市分公司" in text.replace(" ", "")
    assert "政务服务" in text
    assert "CODE-128:EA123456785CN" in barcodes(pdf, tmp_path)
