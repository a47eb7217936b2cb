"""A notice names the clerk who handled it, not the key's technical name (issue 11, defect 6)."""

from __future__ import annotations

import subprocess


def _text(pdf: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    return "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())


def test_the_one_time_notice_prints_the_clerks_display_name(app_client, container, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ocr.identifiers import uscc_check_char

    secret, record = container.archive.keys.create(name="desk clerk", role="clerk", display_name="王小红")
    assert record.shown_name == "王小红"
    clerk = {"Authorization": f"Bearer {secret}"}
    company = "91330302MA2AB1C2D" + uscc_check_char("91330302MA2AB1C2D")
    case = app_client.post("/api/v1/cases", headers=clerk, json={
        "matter_id": "food-business-licence", "owner_code": company, "applicant_name": "温州仁心大药房有限公司"}).json()
    assert case["officer_name"] == "王小红"
    notice = app_client.post(f"/api/v1/cases/{case['id']}/notice", headers=clerk).json()["notice"]
    pdf = app_client.get(f"/api/v1/cases/{case['id']}/notices/{notice['id']}/pdf", headers=clerk).content
    text = _text(pdf, tmp_path)
    assert "经办人：王小红" in text and "deskclerk" not in text

    # the clerk's name is corrected on the key: the next notice prints the new one
    container.archive.keys.set_display_name(record.id, "王晓红")
    again = app_client.post(f"/api/v1/cases/{case['id']}/notice", headers=clerk).json()["notice"]
    pdf = app_client.get(f"/api/v1/cases/{case['id']}/notices/{again['id']}/pdf", headers=clerk).content
    assert "经办人：王晓红" in _text(pdf, tmp_path)
