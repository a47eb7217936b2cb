"""An approver issues a licence; the applicant's PDF verifies — independently, by hash and by QR page."""

from __future__ import annotations

import json
from pathlib import Path



def test_an_issued_licence_is_genuine_by_every_independent_check(app_client, approver, issue, container,
                                                                  root_pem, tmp_path, checks, scan_pdf, scan_png):  # type: ignore[no-untyped-def]
    from archive import Actor

    clerk = Actor("clerk-1", "clerk")
    evidence = [container.archive.ingest(data, owner_code="91330302MA2AB3CD4J", owner_code_type="uscc",
                                         doc_type=kind, actor=clerk).record.id
                for data, kind in ((scan_pdf, "lease"), (scan_png, "business_licence"))]
    body = issue("food_business", evidence=evidence)
    assert body["status"] == "valid" and body["number"].startswith("JY2330302")
    assert body["evidence"] == evidence
    assert issue("food_business", evidence=["aaaaaaaaaaaaaaaaaaaaaaaaaa"], expect=422)["code"] == "invalid_input"
    response = app_client.get(f"/api/v1/licences/{body['identifier']}/content", headers=approver)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    pdf = response.content
    path = tmp_path / "licence.pdf"
    path.write_bytes(pdf)

    # the archive holds it byte-exact, WORM, and the registry has its hash
    record = container.archive.lookup(body["document_id"])
    assert record.worm and record.sha256 == body["sha256"]
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == body["sha256"]
    # openssl agrees with the signature over the signed byte range, against the exported trust root
    result = checks.openssl_verify(pdf, root_pem, tmp_path)
    assert result.returncode == 0, result.stderr
    # fonts embedded, QR decodes to the public page, JSON attachment equals the data issued
    assert checks.all_fonts_embedded(path)
    url = f"http://testserver/verify/{body['identifier']}"
    assert checks.qr_texts(path, tmp_path) == [url]
    attached = json.loads(checks.qpdf_attachment(path, "licence.json"))
    example = app_client.get("/api/v1/licences/types/food_business/example").json()
    assert attached["fields"] == example
    assert attached["metadata"]["证照标识"] == body["identifier"]
    assert attached["metadata"]["证照编号"] == body["number"]
    # verification through the API: strict trust, timestamp, hash known, status valid
    verdict = app_client.post("/api/v1/verify", content=pdf, headers={"content-type": "application/pdf"}).json()
    assert verdict["verdict"] == "valid" and verdict["genuine"]
    (sig,) = verdict["report"]["signatures"]
    assert sig["trusted"] and sig["intact"] and not sig["modified"] and sig["timestamp"]["trusted"]
    assert sig["pades_level"] == "B-T"
    # the public page the QR code opens (no login)
    page = app_client.get(url.removeprefix("http://testserver"))
    assert page.status_code == 200 and 'data-status="valid"' in page.text and body["number"] in page.text


def test_multipart_upload_is_accepted_too(app_client, approver, issue) -> None:  # type: ignore[no-untyped-def]
    body = issue("social_group")
    pdf = app_client.get(f"/api/v1/licences/{body['identifier']}/content", headers=approver).content
    verdict = app_client.post("/api/v1/verify", files={"file": ("x.pdf", pdf, "application/pdf")}).json()
    assert verdict["verdict"] == "valid"


def test_revoked_licence_says_revoked_with_the_reason(app_client, approver, issue) -> None:  # type: ignore[no-untyped-def]
    body = issue("drug_business")
    pdf = app_client.get(f"/api/v1/licences/{body['identifier']}/content", headers=approver).content
    response = app_client.post(f"/api/v1/licences/{body['identifier']}/revoke", headers=approver,
                               json={"reason": "以欺骗手段取得许可"})
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    verdict = app_client.post("/api/v1/verify", content=pdf, headers={"content-type": "application/pdf"}).json()
    assert verdict["verdict"] == "revoked" and verdict["licence"]["status_reason"] == "以欺骗手段取得许可"
    assert "以欺骗手段取得许可" in app_client.get(f"/verify/{body['identifier']}").text
    again = app_client.post(f"/api/v1/licences/{body['identifier']}/revoke", headers=approver, json={"reason": "x"})
    assert again.status_code == 409 and again.json()["code"] == "licence_state_conflict"


def test_the_merged_licence_supersedes_the_single_ones_it_replaces(app_client, approver, issue) -> None:  # type: ignore[no-untyped-def]
    food = issue("food_business")
    device = issue("medical_device_filing")
    other_holder = issue("food_business", data={"holder_code": "91350100M000100Y43"})
    old_pdf = app_client.get(f"/api/v1/licences/{food['identifier']}/content", headers=approver).content
    merged = issue("food_drug_business")
    assert len(merged["permits"]) == 5 and all(p["number"] for p in merged["permits"])
    for single in (food, device):
        now = app_client.get(f"/api/v1/licences/{single['identifier']}", headers=approver).json()
        assert now["status"] == "superseded" and now["superseded_by"] == merged["identifier"]
    assert app_client.get(f"/api/v1/licences/{other_holder['identifier']}", headers=approver).json()["status"] == "valid"
    verdict = app_client.post("/api/v1/verify", content=old_pdf, headers={"content-type": "application/pdf"}).json()
    assert verdict["verdict"] == "superseded" and verdict["licence"]["superseded_by"] == merged["identifier"]
    page = app_client.get(f"/verify/{food['identifier']}").text
    assert f'href="/verify/{merged["identifier"]}"' in page


def test_tampered_copies_are_invalid_or_modified(app_client, approver, issue, checks) -> None:  # type: ignore[no-untyped-def]
    body = issue("medical_device_business")
    pdf = app_client.get(f"/api/v1/licences/{body['identifier']}/content", headers=approver).content
    flipped = app_client.post("/api/v1/verify", content=checks.flip_byte(pdf),
                              headers={"content-type": "application/pdf"}).json()
    assert flipped["verdict"] == "invalid" and not flipped["genuine"]
    forged = app_client.post("/api/v1/verify", content=checks.swap_page_content(pdf),
                             headers={"content-type": "application/pdf"}).json()
    assert forged["verdict"] == "modified" and forged["report"]["signatures"][0]["intact"]
    assert forged["claimed_identifier"] == body["identifier"] and forged["licence"] is None


def test_bad_requests_get_clear_bilingual_errors(app_client, approver, clerk, issue) -> None:  # type: ignore[no-untyped-def]
    missing = issue("food_business", data={"holder_name": "", "holder_code": "ABC"}, expect=422)
    assert missing["code"] == "licence_data_invalid" and set(missing["problems"]) >= {"holder_name", "holder_code"}
    assert "经营者名称为必填项" in missing["message_zh"] and missing["message_en"]
    unknown = app_client.post("/api/v1/licences", headers=approver, json={"type": "fishing", "data": {}})
    assert unknown.status_code == 404 and unknown.json()["code"] == "licence_type_not_found"
    forbidden = app_client.post("/api/v1/licences", headers=clerk, json={"type": "food_business", "data": {}})
    assert forbidden.status_code == 403
    assert app_client.post("/api/v1/licences", json={"type": "food_business", "data": {}}).status_code == 401
    garbage = app_client.post("/api/v1/verify", content=b"not a pdf", headers={"content-type": "application/pdf"})
    assert garbage.status_code == 422 and garbage.json()["code"] == "not_a_pdf"
    broken = app_client.post("/api/v1/verify", content=b"%PDF-1.7\n garbage", headers={"content-type": "application/pdf"})
    assert broken.status_code == 422
    malformed = app_client.get("/api/v1/verify/1.2.156.3005.2.X.Y.Z.001.0")
    assert malformed.status_code == 422 and malformed.json()["code"] == "invalid_licence_identifier"
    page = app_client.get("/verify/1.2.156.3005.2.X.Y.Z.001.0")  # the QR page answers with a page
    assert page.status_code == 422 and 'data-code="invalid_licence_identifier"' in page.text
    valid_but_unknown = "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0"
    assert app_client.get(f"/verify/{valid_but_unknown}").status_code == 404
    authority = issue("food_business", authority_code="91350100M000100Y43", expect=422)
    assert authority["code"] == "authority_not_found"


def test_types_and_examples_are_listed(app_client) -> None:  # type: ignore[no-untyped-def]
    ids = {t["id"] for t in app_client.get("/api/v1/licences/types").json()}
    assert {"food_business", "drug_business", "medical_device_business", "medical_device_filing",
            "food_drug_business", "social_group", "private_non_enterprise"} <= ids


def test_a_tsa_outage_issues_nothing_and_leaves_nothing(tmp_path: Path, db_url: str, make_key) -> None:  # type: ignore[no-untyped-def]
    import socket

    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.container import build_container
    from api.settings import Settings

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/tsa"
    settings = Settings(data_dir=tmp_path / "d", database_url=db_url, public_base_url="http://testserver",
                        licence_tsa_url=dead)
    container = build_container(settings)
    try:
        key, _ = container.archive.keys.create(name="a", role="approver", scopes=())
        with TestClient(create_app(container=container)) as client:
            data = client.get("/api/v1/licences/types/food_business/example").json()
            response = client.post("/api/v1/licences", headers={"Authorization": f"Bearer {key}"},
                                   json={"type": "food_business", "data": data})
            assert response.status_code == 503 and response.json()["code"] == "timestamp_unavailable"
            assert response.json()["message_zh"]
        assert container.licences.list() == []
        assert container.archive.list(data["holder_code"]) == []
        objects = [p for p in settings.effective_store_path.rglob("*") if p.is_file()]
        assert objects == []  # no half-written or 0-byte file anywhere in the store
    finally:
        container.close()


def test_the_public_page_escapes_what_applicants_typed(app_client, issue) -> None:  # type: ignore[no-untyped-def]
    body = issue("food_business", data={"holder_name": "<script>alert(1)</script>好味道"})
    page = app_client.get(f"/verify/{body['identifier']}").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;好味道" in page


def test_the_crls_named_in_the_certificates_are_served(app_client, issue) -> None:  # type: ignore[no-untyped-def]
    from cryptography import x509

    issue("social_group")
    for name in ("root", "issuing"):
        response = app_client.get(f"/pki/{name}.crl")
        assert response.status_code == 200 and response.headers["content-type"] == "application/pkix-crl"
        assert x509.load_der_x509_crl(response.content).next_update_utc is not None
    assert app_client.get("/pki/other.crl").status_code == 404
