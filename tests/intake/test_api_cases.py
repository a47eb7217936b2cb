"""The clerk's desk over HTTP: matters, cases, materials, the form, decisions, notices, metrics.

Every bad input answers with a bilingual problem+json and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from archive import Actor
from tests.archive.corpus import note_pdf

COMPANY = "91350100M000100Y43"
OTHER_ROLES = ("system", "courier", "applicant")


@pytest.fixture
def keys(make_key, bearer) -> dict[str, dict[str, str]]:
    return {role: bearer(make_key(role, owner_code=COMPANY if role == "applicant" else None))
            for role in ("clerk", "approver", "admin", *OTHER_ROLES)}


def _scan(container, doc_type: str, owner: str = COMPANY, ocr: dict | None = None) -> str:
    """A scan the clerk uploaded (stored in the real archive, with its OCR result when given)."""
    body = note_pdf(f"{doc_type} {owner}")  # a real PDF: uploads are opened by the intake checks
    doc = container.archive.ingest(body, owner_code=owner, owner_code_type="uscc", doc_type=doc_type,
                                   actor=Actor("scanner", "clerk")).record.id
    if ocr:
        container.archive.put_derived(doc, "ocr", {"doc_type": doc_type, "fields": {
            k: {"value": v, "raw": v, "confidence": 0.9, "page": 1, "box": [0, 0, 1, 1], "valid": None}
            for k, v in ocr.items()}})
    return doc


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert body["code"] == code and body["message_zh"] and body["message_en"]
    return body


def test_matters_are_listed_with_their_material_reduction(app_client, keys) -> None:
    listing = app_client.get("/api/v1/matters", headers=keys["clerk"]).json()["matters"]
    merged = next(m for m in listing if m["id"] == "food-drug-business-licence")
    assert (merged["materials_before"], merged["materials_count"], merged["material_reduction"]) == (28, 16, "42.86%")
    detail = app_client.get("/api/v1/matters/drug-retail-licence", headers=keys["clerk"]).json()
    lease = next(m for m in detail["materials"] if m["id"] == "lease")
    assert lease["kind"] == "secondary" and lease["doc_types"] == ["lease_contract", "property_certificate"]
    _problem(app_client.get("/api/v1/matters/no-such-matter", headers=keys["clerk"]), 404, "matter_not_found")


def test_unknown_matter_bad_codes_and_roles_that_must_not_see_cases(app_client, keys) -> None:
    _problem(app_client.post("/api/v1/cases", headers=keys["clerk"],
                             json={"matter_id": "no-such-matter", "owner_code": COMPANY}), 404, "matter_not_found")
    _problem(app_client.post("/api/v1/cases", headers=keys["clerk"],
                             json={"matter_id": "food-business-licence", "owner_code": "123"}), 422, "invalid_input")
    warned = app_client.post("/api/v1/cases", headers=keys["clerk"],
                             json={"matter_id": "food-business-licence", "owner_code": "91350211M0000XUF46"})
    assert warned.status_code == 201
    assert warned.json()["owner_code_warning"] == "check_mismatch"
    assert warned.json()["warnings"][0]["code"] == "owner_code_check_failed"
    case_id = warned.json()["id"]
    for role in OTHER_ROLES:
        _problem(app_client.get("/api/v1/cases", headers=keys[role]), 403, "forbidden")
        _problem(app_client.get(f"/api/v1/cases/{case_id}", headers=keys[role]), 403, "forbidden")
        _problem(app_client.post("/api/v1/cases", headers=keys[role],
                                 json={"matter_id": "food-business-licence", "owner_code": COMPANY}), 403, "forbidden")
    assert app_client.get("/api/v1/cases").status_code == 401
    _problem(app_client.get("/api/v1/cases/BJ0000NOPE", headers=keys["clerk"]), 404, "case_not_found")


def test_a_clerk_takes_a_drug_retail_case_from_window_to_approval(app_client, keys, container, tmp_path,
                                                                  api_form_filler) -> None:
    created = app_client.post("/api/v1/cases", headers=keys["clerk"], json={
        "matter_id": "drug-retail-licence", "owner_code": COMPANY, "applicant_name": "温州仁心大药房有限公司",
        "contact_phone": "13100001907"})
    assert created.status_code == 201
    case = created.json()
    assert case["state"] == "collecting" and case["decision"]["outcome"] == "notice"
    assert case["notice_due"] > case["received_on"]  # the 5-working-day limit to tell what is missing
    case_id = case["id"]

    # a site photo offered as the lease: 422 listing what is accepted, nothing attached
    photo = _scan(container, "site_photo")
    wrong = _problem(app_client.post(f"/api/v1/cases/{case_id}/materials/lease", headers=keys["clerk"],
                                     json={"doc_id": photo}), 422, "wrong_document_type")
    assert wrong["accepted_types"] == ["lease_contract", "property_certificate"]

    # handed in without saying which material: it finds its place by type
    handed = app_client.post(f"/api/v1/cases/{case_id}/documents", headers=keys["clerk"],
                             json={"doc_id": _scan(container, "application_form")})
    assert next(m for m in handed.json()["materials"] if m["material_id"] == "application-form")["status"] == "provided"

    licence = _scan(container, "business_licence", ocr={"名称": "温州仁心大药房有限公司", "统一社会信用代码": COMPANY})
    given = {"business-licence": licence}
    for material_id, doc_type in [
        ("legal-rep-id", "id_card"),
        ("quality-lead-qualification", "qualification_certificate"), ("pharmacist-certificate", "pharmacist_certificate"),
        ("floor-plan", "floor_plan"), ("facility-list", "facility_list"), ("quality-system-list", "quality_system_list"),
        ("site-photos", "site_photo"), ("power-of-attorney", "power_of_attorney"),
    ]:
        given[material_id] = photo if doc_type == "site_photo" else _scan(container, doc_type)
    for material_id, doc in given.items():
        response = app_client.post(f"/api/v1/cases/{case_id}/materials/{material_id}", headers=keys["clerk"],
                                   json={"doc_id": doc})
        assert response.status_code == 200, response.text

    # the form: the licence's OCR and the case agree on the code; the clerk fills the rest
    form = app_client.put(f"/api/v1/cases/{case_id}/form", headers=keys["clerk"],
                          json={"values": {"company_name": "温州仁心药房有限公司", "quality_lead": "李四"}}).json()
    fields = {f["name"]: f for f in form["fields"]}
    assert fields["uscc"]["value"] == COMPANY and set(fields["uscc"]["sources"]) == {"ocr", "case"}
    assert form["conflicts"] == ["company_name"]  # typed name differs from the licence
    form = app_client.post(f"/api/v1/cases/{case_id}/form/company_name/resolve", headers=keys["clerk"],
                           json={"value": "温州仁心大药房有限公司"}).json()
    assert form["conflicts"] == [] and {f["name"]: f for f in form["fields"]}["company_name"]["source"] == "ocr"
    _problem(app_client.put(f"/api/v1/cases/{case_id}/form", headers=keys["clerk"],
                            json={"values": {"no_such_field": "x"}}), 404, "field_not_found")

    # the lease is missing: plain acceptance refused, 容缺受理 with a notice instead
    _problem(app_client.post(f"/api/v1/cases/{case_id}/accept", headers=keys["clerk"]), 409, "decision_refused")
    _problem(app_client.post(f"/api/v1/cases/{case_id}/approve", headers=keys["approver"]), 409, "illegal_transition")
    # required fields no document gave are still empty: 容缺受理 waits until the clerk types them
    refused = _problem(app_client.post(f"/api/v1/cases/{case_id}/accept-with-deficiency", headers=keys["clerk"]),
                       409, "case_checks_open")
    assert {"drug_scope", "premises"} <= {f["field"] for f in refused["open"]}
    api_form_filler(app_client, case_id, keys["clerk"])
    accepted = app_client.post(f"/api/v1/cases/{case_id}/accept-with-deficiency", headers=keys["clerk"],
                               json={"supplement_days": 3})
    assert accepted.status_code == 200, accepted.text
    notice = accepted.json()["notice"]
    assert [i["material_id"] for i in notice["items"]] == ["lease"] and notice["signed"]
    deadline = dt.date.fromisoformat(accepted.json()["case"]["supplement_deadline"])

    pdf = app_client.get(f"/api/v1/cases/{case_id}/notices/{notice['id']}/pdf", headers=keys["clerk"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf.content)
    signatures = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert signatures.count("Signature is Valid.") == 2  # one e-seal per copy
    _problem(app_client.get(f"/api/v1/cases/{case_id}/notices/nope/pdf", headers=keys["clerk"]), 404, "notice_not_found")

    # the overdue-supplement list knows the case once its deadline has passed
    later = (deadline + dt.timedelta(days=1)).isoformat()
    overdue = app_client.get(f"/api/v1/cases/overdue?on={later}", headers=keys["approver"]).json()["cases"]
    assert [c["id"] for c in overdue] == [case_id]
    assert app_client.get(f"/api/v1/cases/overdue?on={deadline}", headers=keys["clerk"]).json()["cases"] == []

    lease = _scan(container, "lease_contract")
    app_client.post(f"/api/v1/cases/{case_id}/materials/lease", headers=keys["clerk"], json={"doc_id": lease})
    assert app_client.post(f"/api/v1/cases/{case_id}/accept", headers=keys["clerk"]).json()["state"] == "accepted"
    _problem(app_client.post(f"/api/v1/cases/{case_id}/approve", headers=keys["clerk"]), 403, "forbidden")
    approved = app_client.post(f"/api/v1/cases/{case_id}/approve", headers=keys["approver"], json={"reason": "ok"})
    assert approved.json()["state"] == "approved"
    listed = app_client.get("/api/v1/cases?state=approved&matter_id=drug-retail-licence", headers=keys["clerk"])
    assert [c["id"] for c in listed.json()["cases"]] == [case_id]

    figures = app_client.get("/api/v1/metrics", headers=keys["admin"]).json()
    assert figures["total"] == 1 and figures["promised"] == 1 and figures["early"] == 1


def test_metrics_import_reports_bad_rows_and_counts_good_ones_only_when_asked(app_client, keys) -> None:
    csv = ("case_id,matter,department,received_at,completed_at,kind,committed_days,actual_days,visits\n"
           "c1,food-business-licence,wz-amr,2026-01-05,2026-01-05,immediate,0,0,0\n"
           "c2,food-business-licence,wz-amr,2026-13-01,,promised,-2,,1\n").encode("utf-8-sig")
    headers = keys["admin"] | {"Content-Type": "text/csv"}
    refused = _problem(app_client.post("/api/v1/metrics/import", headers=headers, content=csv), 422,
                       "metrics_import_invalid")
    assert any(e.startswith("row 3, received_at") for e in refused["errors"])
    counted = app_client.post("/api/v1/metrics/import?skip_bad=true", headers=headers, content=csv).json()
    assert counted["total"] == 1 and counted["immediate_share"] == "100.00%"
    assert counted["import"]["skipped_rows"] == [3]
    _problem(app_client.get("/api/v1/metrics", headers=keys["courier"]), 403, "forbidden")
