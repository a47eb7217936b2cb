"""A clerk uploads a scan; its OCR job runs in the service and the fields come back over HTTP."""

from __future__ import annotations

import io
import time

import pikepdf


def _upload(client, key: str, data: bytes, owner: str, doc_type: str, filename: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/documents", headers={"Authorization": f"Bearer {key}"},
        files={"file": (filename, data)}, data={"owner_code": owner, "doc_type": doc_type},
    )


def _poll(client, path: str, headers: dict[str, str], timeout: float = 240.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(path, headers=headers)
        if response.status_code != 202 or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def test_upload_starts_ocr_and_the_clerk_reads_the_fields(app_client, make_key, bearer, render) -> None:  # type: ignore[no-untyped-def]
    data, truth = render("business_licence", 31, dpi=150, font=1)
    clerk = make_key("clerk")
    uploaded = _upload(app_client, clerk, data, truth.fields["统一社会信用代码"], "business_licence", "licence.png")
    assert uploaded.status_code == 201, uploaded.text
    doc_id = uploaded.json()["id"]

    response = _poll(app_client, f"/api/v1/documents/{doc_id}/ocr", bearer(clerk))
    assert response.status_code == 200, response.text
    body = response.json()
    result = body["result"]
    assert result["doc_type"] == "business_licence"
    assert result["fields"]["统一社会信用代码"]["valid"] is True
    assert result["fields"]["名称"]["value"] == truth.fields["名称"]
    assert result["fields"]["成立日期"]["value"] == truth.fields["成立日期"]
    page = result["pages"][0]
    assert {"width", "height", "rotation", "quality", "lines"} <= set(page)

    job = app_client.get(f"/api/v1/jobs/{body['job']['id']}", headers=bearer(clerk)).json()
    assert job["state"] == "done" and job["doc_id"] == doc_id
    assert job["progress"] == {"pages_done": 1, "pages_total": 1}
    assert job["doc_type"] == "business_licence"


def test_an_unreadable_upload_fails_its_job_visibly(app_client, container, make_key, bearer) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner", R=6))
    clerk = make_key("clerk")
    refused = _upload(app_client, clerk, out.getvalue(), "91350200776049653A", "lease_contract", "lease.pdf")
    assert refused.status_code == 422 and refused.json()["reason"] == "encrypted"  # the intake checks
    container.archive.checks = None  # as if stored before the intake checks existed: OCR must still say why
    uploaded = _upload(app_client, clerk, out.getvalue(), "91350200776049653A", "lease_contract", "lease.pdf")
    assert uploaded.status_code == 201, uploaded.text
    doc_id = uploaded.json()["id"]

    response = _poll(app_client, f"/api/v1/documents/{doc_id}/ocr", bearer(clerk))
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "ocr_encrypted_pdf"
    assert problem["message_zh"] and problem["message_en"]
    assert problem["job"]["state"] == "failed" and problem["job"]["error"]["code"] == "ocr_encrypted_pdf"


def test_unknown_job_is_a_bilingual_404(app_client, make_key, bearer) -> None:  # type: ignore[no-untyped-def]
    response = app_client.get("/api/v1/jobs/" + "0" * 32, headers=bearer(make_key("clerk")))
    assert response.status_code == 404
    assert response.json()["code"] == "ocr_job_not_found" and response.json()["message_zh"]
    assert app_client.get("/api/v1/jobs/x", headers=bearer(make_key("courier"))).status_code == 403


def test_a_heic_phone_photo_is_archived_and_read(app_client, make_key, bearer, render) -> None:  # type: ignore[no-untyped-def]
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    png, truth = render("health_certificate", 44, font=3, condition="photo")
    buf = io.BytesIO()
    Image.open(io.BytesIO(png)).save(buf, "HEIF", quality=80)
    clerk = make_key("clerk")
    uploaded = _upload(app_client, clerk, buf.getvalue(), "330106199001011234", "health_certificate", "IMG_0042.HEIC")
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["media_type"] == "image/heic"
    response = _poll(app_client, f"/api/v1/documents/{uploaded.json()['id']}/ocr", bearer(clerk))
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert result["doc_type"] == "health_certificate"
    assert result["fields"]["姓名"]["value"] == truth.fields["姓名"]
