"""四性检测 at the door: every file of a self-built corpus is refused with its reason, or accepted and usable.

A refused upload leaves nothing (no object, no catalog row, no temporary file); an accepted one has
its report at ``/checks`` and is readable by OCR's page loader; neither upload nor ``/verify`` ever
answers 500 on any of them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ocr import InputLimits
from ocr.pages import iter_pages
from tests.archive.corpus import Sample, samples

USCC = "91350100M000100Y43"
SAMPLES = samples()


def _upload(client, key: str, sample: Sample, **form):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/documents", headers={"Authorization": f"Bearer {key}"},
                       files={"file": (sample.filename, sample.data, "application/octet-stream")},
                       data={"owner_code": USCC, "doc_type": "business_licence", "case_ref": "ZJ-2026-7", **form})


def _files_below(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_each_file_is_refused_with_its_reason_or_accepted_and_usable(sample, app_client, container, make_key,
                                                                      bearer) -> None:  # type: ignore[no-untyped-def]
    clerk = make_key("clerk")
    response = _upload(app_client, clerk, sample)
    assert response.status_code in (201, 422), response.text
    store_root = container.settings.effective_store_path
    if response.status_code == 422:
        body = response.json()
        assert sample.expect in ("refuse", "either"), f"{sample.name} was refused: {body}"
        assert body["code"] == "document_unusable" and body["message_zh"] and body["message_en"]
        assert not re.search(r"0x[0-9a-f]{6,}|<\w", body["message_en"])  # no Python object reprs
        if sample.reason:
            assert body["reason"] == sample.reason
        assert _files_below(store_root) == []  # no object, no temp file
        assert container.archive.list(USCC) == []  # no row
        return
    doc = response.json()
    assert sample.expect in ("accept", "either"), f"{sample.name} was accepted"
    checks = app_client.get(f"/api/v1/documents/{doc['id']}/checks", headers=bearer(clerk)).json()
    assert checks["ok"] is True and checks["integrity"]["sha256"] == doc["sha256"]
    assert checks["integrity"]["metadata"]["complete"]
    assert set(sample.flags) <= set(checks["security"]["active_content"])
    assert checks["usability"]["repaired"] == sample.repaired
    assert checks["summary"]["state"] == ("flagged" if sample.flags or sample.repaired else "passed")
    content = app_client.get(f"/api/v1/documents/{doc['id']}/content", headers=bearer(clerk)).content
    assert content == sample.data  # the original bytes, even when the PDF needed repair to open
    settings = container.settings
    limits = InputLimits(max_pages=settings.ocr_max_pages, max_pixels=settings.ocr_max_pixels, dpi=72)
    pages = list(iter_pages(content, limits))  # OCR's own loader reads every page
    assert len(pages) == checks["usability"]["pages"]


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_the_public_verifier_never_answers_500(sample, app_client) -> None:  # type: ignore[no-untyped-def]
    response = app_client.post("/api/v1/verify", content=sample.data, headers={"content-type": "application/pdf"})
    assert response.status_code < 500, response.text
    if response.status_code == 422:
        assert response.json()["code"] in ("not_a_pdf", "encrypted")
    else:
        assert response.json()["verdict"] == "unsigned"


def test_a_refused_truncated_scan_never_reaches_a_case(app_client, make_key, bearer) -> None:  # type: ignore[no-untyped-def]
    """The story of the issue: a truncated PNG was attached as the business licence, status 'provided'."""
    clerk = make_key("clerk")
    truncated = next(s for s in SAMPLES if s.name == "png_truncated")
    refused = _upload(app_client, clerk, truncated)
    assert refused.status_code == 422
    assert refused.json()["message_zh"] == "文件已损坏或不完整，请重新扫描"
    case = app_client.post("/api/v1/cases", headers=bearer(clerk),
                           json={"matter_id": "food-business-licence", "owner_code": USCC}).json()
    material = next(m for m in case["materials"] if "business_licence" in m["doc_types"])
    assert material["status"] == "missing" and material["checks"] is None


def test_the_case_material_shows_the_checks_summary(app_client, make_key, bearer) -> None:  # type: ignore[no-untyped-def]
    clerk = make_key("clerk")
    js = next(s for s in SAMPLES if s.name == "pdf_javascript")
    doc = _upload(app_client, clerk, js).json()
    case = app_client.post("/api/v1/cases", headers=bearer(clerk),
                           json={"matter_id": "food-business-licence", "owner_code": USCC}).json()
    material = next(m for m in case["materials"] if "business_licence" in m["doc_types"])
    attached = app_client.post(f"/api/v1/cases/{case['id']}/materials/{material['material_id']}",
                               headers=bearer(clerk), json={"doc_id": doc["id"]})
    assert attached.status_code == 200, attached.text
    shown = next(m for m in attached.json()["materials"] if m["material_id"] == material["material_id"])
    assert shown["status"] == "provided"
    assert shown["checks"]["state"] == "flagged" and "javascript" in shown["checks"]["flags"]


def test_missing_archival_metadata_is_reported(app_client, make_key, bearer) -> None:  # type: ignore[no-untyped-def]
    clerk = make_key("clerk")
    png = next(s for s in SAMPLES if s.name == "png")
    doc = app_client.post("/api/v1/documents", headers={"Authorization": f"Bearer {clerk}"},
                          files={"file": ("scan.png", png.data)},
                          data={"owner_code": USCC, "doc_type": "business_licence"}).json()
    checks = app_client.get(f"/api/v1/documents/{doc['id']}/checks", headers=bearer(clerk)).json()
    assert checks["integrity"]["metadata"] == {"complete": False, "missing": ["case_ref"]}
    assert "metadata_incomplete" in checks["summary"]["flags"]
