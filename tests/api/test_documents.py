"""A clerk's system uploads scans; another agency fetches them by ID, stating case and purpose."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

USCC = "91350100M000100Y43"
PERSON = "11010519491231002X"


def upload(client, key, data: bytes, *, owner=USCC, doc_type="business_licence", filename="scan.png",
           headers=None, **form):
    return client.post(
        "/api/v1/documents", headers={"Authorization": f"Bearer {key}", **(headers or {})},
        files={"file": (filename, data, "application/octet-stream")},
        data={"owner_code": owner, "doc_type": doc_type, **form},
    )


def test_clerk_upload_is_stored_once_and_fetched_byte_exact(app_client, make_key, bearer, scan_png):
    clerk = make_key("clerk")
    first = upload(app_client, clerk, scan_png, case_ref="CASE-1")
    assert first.status_code == 201, first.text
    doc = first.json()
    assert doc["media_type"] == "image/png" and doc["owner_code_type"] == "uscc"
    assert len(doc["id"]) == 26 and doc["sha256"] not in doc["id"]
    again = upload(app_client, clerk, scan_png)
    assert again.status_code == 200 and again.json()["id"] == doc["id"] and again.json()["created"] is False

    meta = app_client.get(f"/api/v1/documents/{doc['id']}", headers=bearer(clerk))
    assert meta.status_code == 200 and meta.json()["size"] == len(scan_png)
    content = app_client.get(f"/api/v1/documents/{doc['id']}/content", headers=bearer(clerk))
    assert content.status_code == 200
    assert content.content == scan_png
    assert content.headers["etag"] == f'"{doc["sha256"]}"'
    assert content.headers["content-length"] == str(len(scan_png))


def test_owner_code_type_is_recognised_for_a_person(app_client, make_key, scan_pdf):
    response = upload(app_client, make_key("clerk"), scan_pdf, owner=PERSON, doc_type="id_card", filename="id.pdf")
    assert response.status_code == 201
    assert response.json()["owner_code_type"] == "id_card" and response.json()["media_type"] == "application/pdf"


def test_other_agency_fetches_with_case_and_purpose_and_the_applicant_sees_it(
    app_client, make_key, bearer, scan_png, scan_pdf,
):
    clerk = make_key("clerk")
    licence = upload(app_client, clerk, scan_png).json()
    lease = upload(app_client, clerk, scan_pdf, doc_type="lease_contract", filename="lease.pdf").json()
    system = make_key("system", ["business_licence"], name="市场监管局审批系统")
    reading = {"X-Case-Ref": "ZJ-2026-0042", "X-Purpose": quote("食品经营许可审查")}

    got = app_client.get(f"/api/v1/documents/{licence['id']}/content", headers=bearer(system) | reading)
    assert got.status_code == 200 and got.content == scan_png

    no_purpose = app_client.get(f"/api/v1/documents/{licence['id']}/content", headers=bearer(system))
    assert no_purpose.status_code == 400 and no_purpose.json()["code"] == "purpose_required"
    assert no_purpose.headers["content-type"] == "application/problem+json"
    assert no_purpose.json()["message_zh"]

    out_of_scope = app_client.get(f"/api/v1/documents/{lease['id']}/content", headers=bearer(system) | reading)
    unknown = app_client.get("/api/v1/documents/aaaaaaaaaaaaaaaaaaaaaaaaaa/content", headers=bearer(system) | reading)
    assert out_of_scope.status_code == unknown.status_code == 404
    assert out_of_scope.json()["code"] == unknown.json()["code"] == "document_not_found"

    listing = app_client.get("/api/v1/documents", params={"owner_code": USCC}, headers=bearer(system) | reading)
    assert [d["doc_type"] for d in listing.json()["items"]] == ["business_licence"]
    unexplained = app_client.get("/api/v1/documents", params={"owner_code": USCC}, headers=bearer(system))
    assert unexplained.status_code == 400 and unexplained.json()["code"] == "purpose_required"
    forbidden_list = app_client.get("/api/v1/documents", params={"owner_code": USCC, "doc_type": "lease_contract"},
                                    headers=bearer(system) | reading)
    assert forbidden_list.status_code == 403

    # a clerk sees the log of an owner with a case at the clerk's centre (none before this one)
    assert app_client.get("/api/v1/access-log", params={"owner_code": USCC}, headers=bearer(clerk)).status_code == 404
    app_client.post("/api/v1/cases", headers=bearer(clerk), json={"matter_id": "food-business-licence", "owner_code": USCC})
    log = app_client.get("/api/v1/access-log", params={"owner_code": USCC}, headers=bearer(clerk)).json()
    reads = [e for e in log["items"] if e["who"] == "市场监管局审批系统"]
    ok = [e for e in reads if e["result"] == "ok" and e["action"] == "read_content"]
    assert any(e["action"] == "list" and e["purpose"] == "食品经营许可审查" for e in reads)
    assert ok and ok[0]["case_ref"] == "ZJ-2026-0042" and ok[0]["purpose"] == "食品经营许可审查"
    assert ok[0]["document_id"] == licence["id"] and len(ok[0]["request_hash"]) == 64
    assert any(e["result"] == "denied" and e["document_id"] == lease["id"] for e in reads)


def test_listing_is_paginated(app_client, make_key, bearer, scan_png):
    clerk = make_key("clerk")
    for n in range(3):
        assert upload(app_client, clerk, scan_png + bytes([n])).status_code == 201
    page = app_client.get("/api/v1/documents", params={"owner_code": USCC, "limit": 2}, headers=bearer(clerk)).json()
    assert len(page["items"]) == 2 and page["has_more"] is True
    rest = app_client.get("/api/v1/documents", params={"owner_code": USCC, "limit": 2, "offset": 2},
                          headers=bearer(clerk)).json()
    assert len(rest["items"]) == 1 and rest["has_more"] is False


def test_bad_uploads_are_refused_and_nothing_is_stored(app_client, make_key, container, scan_png):
    clerk = make_key("clerk")
    empty = upload(app_client, clerk, b"")
    assert empty.status_code == 422 and empty.json()["code"] == "empty_upload"
    too_big = upload(app_client, clerk, b"%PDF-1.7\n" + b"0" * (container.settings.max_upload_bytes + 10))
    assert too_big.status_code == 413 and too_big.json()["code"] == "upload_too_large"
    text_as_pdf = upload(app_client, clerk, b"just some text, not a scan", filename="licence.pdf")
    assert text_as_pdf.status_code == 415 and text_as_pdf.json()["code"] == "unsupported_media_type"
    bad_owner = upload(app_client, clerk, scan_png, owner="not a code!")
    assert bad_owner.status_code == 422
    assert container.archive.list(USCC) == []
    assert list(container.archive.store.keys()) == []


def test_hostile_filenames_are_kept_only_as_harmless_metadata(app_client, make_key, container, scan_png):
    clerk = make_key("clerk")
    names = ["../../etc/passwd", "evil\x00.png", "长" * 300 + ".png"]
    for n, name in enumerate(names):
        response = upload(app_client, clerk, scan_png + bytes([n]), filename=name)
        assert response.status_code == 201, response.text
        stored = response.json()["filename"]
        assert "/" not in stored and "\x00" not in stored and len(stored) <= 255
    objects = Path(container.settings.effective_store_path)
    assert not any("passwd" in p.name for p in objects.rglob("*"))


def test_keys_roles_and_expiry(app_client, make_key, bearer, container, scan_png):
    clerk = make_key("clerk")
    doc = upload(app_client, clerk, scan_png).json()
    url = f"/api/v1/documents/{doc['id']}"
    assert app_client.get(url).status_code == 401
    assert app_client.get(url, headers=bearer("oo_0000000000000000_nope")).status_code == 401
    expired = make_key("clerk", expires_in_days=-1)
    response = app_client.get(url, headers=bearer(expired))
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    courier = make_key("courier")
    assert app_client.get(url, headers=bearer(courier)).status_code == 403
    assert upload(app_client, courier, scan_png).status_code == 403
    system = make_key("system", ["id_card"])
    assert upload(app_client, system, scan_png, doc_type="business_licence").status_code == 403


def test_idempotency_key_reused_for_other_content_is_a_conflict(app_client, make_key, scan_png):
    clerk = make_key("clerk")
    first = upload(app_client, clerk, scan_png, headers={"Idempotency-Key": "k-1"})
    retry = upload(app_client, clerk, scan_png, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201 and retry.status_code == 200 and retry.json()["id"] == first.json()["id"]
    other = upload(app_client, clerk, scan_png + b"x", headers={"Idempotency-Key": "k-1"})
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"


def test_operations_endpoints(app_client):
    assert app_client.get("/healthz").json() == {"status": "ok"}
    ready = app_client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "store": "ok"}
    metrics = app_client.get("/metrics")
    assert "onceonly_http_requests_total" in metrics.text
    assert app_client.get("/docs").status_code == 200
    assert "/api/v1/documents" in app_client.get("/openapi.json").json()["paths"]
