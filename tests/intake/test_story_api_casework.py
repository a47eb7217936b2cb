"""The story of issue 11, through the API alone (OCR results stored as the OCR job stores them).

Case 1 archives a company's long-term business licence and its legal representative's ID card.
Later another person's ID card is archived for the same company. Case 2 reuses the licence, does
not take the other person's card for the legal representative, pre-fills 法定代表人 from the
licence; a lease of another tenant attached to case 2 shows a blocking check on material ``lease``,
and 受理 answers 409 ``case_checks_open``.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from ocr.identifiers import uscc_check_char

COMPANY = "91330302MA2AB1C2D" + uscc_check_char("91330302MA2AB1C2D")
NAME = "温州仁心大药房有限公司"
ZHANG, LI = "440524188001010014", "11010519491231002X"


def _png(label: str) -> bytes:
    image = Image.new("L", (320, 420), 255)
    ImageDraw.Draw(image).text((20, 20), label, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _upload(client, headers, container, doc_type: str, label: str, fields: dict[str, str], case_ref: str) -> str:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/documents", headers=headers, data={
        "owner_code": COMPANY, "doc_type": doc_type, "case_ref": case_ref},
        files={"file": (f"{label}.png", _png(label), "image/png")})
    assert response.status_code == 201, response.text
    doc_id = response.json()["id"]
    # what the OCR job writes for this scan (ocr_on_upload is off in tests; the engine has its own tests)
    container.archive.put_derived(doc_id, "ocr", {"doc_type": doc_type, "fields": {
        k: {"value": v, "raw": v, "confidence": 0.95, "page": 1, "box": [0, 0, 1, 1], "valid": None}
        for k, v in fields.items()}})
    return doc_id


def test_case_two_reuses_the_right_documents_and_a_foreign_lease_stops_acceptance(
    app_client, make_key, bearer, container
) -> None:
    clerk, approver = bearer(make_key("clerk")), bearer(make_key("approver"))
    one = app_client.post("/api/v1/cases", headers=clerk, json={
        "matter_id": "food-business-licence", "owner_code": COMPANY, "applicant_name": NAME}).json()
    licence = _upload(app_client, clerk, container, "business_licence", "licence", {
        "名称": NAME, "统一社会信用代码": COMPANY, "法定代表人": "张三", "营业期限": "2015-11-18/.."}, one["id"])
    zhang = _upload(app_client, clerk, container, "id_card", "zhang", {
        "姓名": "张三", "公民身份号码": ZHANG, "有效期限": "2018.05.01-2038.05.01"}, one["id"])
    for material, doc in (("business-licence", licence), ("legal-rep-id", zhang)):
        response = app_client.post(f"/api/v1/cases/{one['id']}/materials/{material}", headers=clerk,
                                   json={"doc_id": doc})
        assert response.status_code == 200, response.text
    # later the company's quality lead has her card archived (for another case): the newest card
    other = _upload(app_client, clerk, container, "id_card", "li", {
        "姓名": "李四", "公民身份号码": LI, "有效期限": "2019.01.01-2039.01.01"}, "BJ20260101QUALITY1")

    two = app_client.post("/api/v1/cases", headers=clerk, json={
        "matter_id": "drug-retail-licence", "owner_code": COMPANY, "applicant_name": NAME}).json()
    materials = {m["material_id"]: m for m in two["materials"]}
    assert materials["business-licence"]["status"] == "reused" and materials["business-licence"]["doc_id"] == licence
    assert materials["legal-rep-id"]["doc_id"] != other
    assert materials["legal-rep-id"]["doc_id"] == zhang
    assert two["state"] == "collecting" and two["state_zh"] == "收件中"
    form = {f["name"]: f for f in app_client.get(f"/api/v1/cases/{two['id']}/form", headers=clerk).json()["fields"]}
    assert form["legal_rep"]["value"] == "张三" and form["legal_rep"]["source"] == "archive"
    assert not form["legal_rep"]["conflict"]

    lease = _upload(app_client, clerk, container, "lease_contract", "lease", {
        "承租方": "温州某某贸易有限公司", "租赁期限": "2026年1月1日至2028年12月31日"}, two["id"])
    case = app_client.post(f"/api/v1/cases/{two['id']}/materials/lease", headers=clerk, json={"doc_id": lease}).json()
    on_lease = [c for c in case["checks"] if c["material_id"] == "lease"]
    assert [(c["code"], c["severity"], c["doc_id"]) for c in on_lease] == [("lease_tenant_mismatch", "blocking", lease)]
    assert on_lease[0]["message_zh"] and on_lease[0]["message_en"] and not on_lease[0]["overridden"]
    assert "accept" not in case["allowed_actions"]

    refused = app_client.post(f"/api/v1/cases/{two['id']}/accept", headers=clerk)
    # every other material is still missing, so first the decision itself is refused ...
    assert refused.status_code == 409 and refused.json()["code"] == "decision_refused"
    for material_id in [m["material_id"] for m in case["materials"] if m["status"] == "missing"]:
        doc_type = next(m["doc_types"][0] for m in case["materials"] if m["material_id"] == material_id)
        doc = _upload(app_client, clerk, container, doc_type, material_id, {}, two["id"])
        assert app_client.post(f"/api/v1/cases/{two['id']}/materials/{material_id}", headers=clerk,
                               json={"doc_id": doc}).status_code == 200
    # ... and with every material there, the open checks refuse it
    refused = app_client.post(f"/api/v1/cases/{two['id']}/accept", headers=clerk)
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["code"] == "case_checks_open" and body["message_zh"] and body["message_en"]
    assert ("lease_tenant_mismatch", "lease") in {(f["code"], f["material_id"]) for f in body["open"]}

    # an approver (not a clerk) may accept that one finding with a reason; it shows on the case
    override = {"code": "lease_tenant_mismatch", "material_id": "lease", "reason": "承租方为申请人分支机构，已核对"}
    assert app_client.post(f"/api/v1/cases/{two['id']}/checks/override", headers=clerk, json=override).status_code == 403
    after = app_client.post(f"/api/v1/cases/{two['id']}/checks/override", headers=approver, json=override).json()
    assert [c["overridden"] for c in after["checks"] if c["material_id"] == "lease"] == [True]
    assert after["overrides"][0]["reason"] == override["reason"]
    assert "override_check" in after["allowed_actions"]  # required form fields are still open
