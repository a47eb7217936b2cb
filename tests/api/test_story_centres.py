"""Issue 16 item 4, as stories over HTTP: service centres, 全城通办, and the applicant's own view.

* A clerk of 瓯海 cannot see, list or accept a case opened at 鹿城: it answers exactly like a case
  that does not exist, and the attempt is in the access log. Nor does 瓯海 see that owner's access log.
* A 全城通办 matter (``citywide: true``) opened at 鹿城 is accepted at 瓯海 when the policy
  (``ONCEONLY_CITYWIDE_CENTRES``) names 瓯海; a centre it does not name still gets 404, and a matter
  that is not citywide stays with its centre.
* An applicant sees their own licence and who used their documents (the agency, its case and
  purpose, when) — not the service's own reads, not another owner's licence or log.
"""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from archive import Actor
from ocr.identifiers import uscc_check_char

CO = "91330302MA2AB1C2D" + uscc_check_char("91330302MA2AB1C2D")
OTHER = "91350100M000100Y43"
NAME = "温州仁心食品有限公司"
FORM = {"company_name": NAME, "uscc": CO, "legal_rep": "张三", "legal_rep_id": "11010519491231002X",
        "address": "浙江省温州市鹿城区五马街1号", "premises": "浙江省温州市鹿城区五马街1号",
        "business_form": "食品销售经营者", "food_scope": "预包装食品销售"}
TYPES = ["application_form", "business_licence", "id_card", "equipment_layout", "food_safety_rules",
         "power_of_attorney", "lease_contract", "floor_plan", "health_certificate"]


def _png(label: str) -> bytes:
    image = Image.new("L", (320, 420), 255)
    ImageDraw.Draw(image).text((20, 20), label, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _open_full_case(client: TestClient, clerk: dict, matter_id: str = "food-business-licence") -> dict:
    """A case opened by ``clerk`` with every material handed in (the form still empty)."""
    case = client.post("/api/v1/cases", headers=clerk, json={"matter_id": matter_id, "owner_code": CO,
                                                             "applicant_name": NAME})
    assert case.status_code == 201, case.text
    for doc_type in TYPES if matter_id == "food-business-licence" else []:
        doc = client.post("/api/v1/documents", headers=clerk, data={"owner_code": CO, "doc_type": doc_type},
                          files={"file": (f"{doc_type}.png", _png(f"{doc_type} {case.json()['id']}"), "image/png")})
        assert doc.status_code == 201, doc.text
        handed = client.post(f"/api/v1/cases/{case.json()['id']}/documents", headers=clerk,
                             json={"doc_id": doc.json()["id"]})
        assert handed.status_code == 200, handed.text
    return client.get(f"/api/v1/cases/{case.json()['id']}", headers=clerk).json()


def _without_ids(problem: dict) -> dict:
    return {k: v for k, v in problem.items() if k not in ("case", "detail", "instance", "request_id", "message_en",
                                                         "message_zh")}


@pytest.fixture
def citywide(tmp_path, db_url):  # type: ignore[no-untyped-def]
    """The app with 全城通办 accepted at 瓯海 (``ONCEONLY_CITYWIDE_CENTRES=wz-ouhai``)."""
    from api.app import create_app
    from api.container import build_container
    from api.settings import Settings

    built = build_container(Settings(data_dir=tmp_path / "citywide", database_url=db_url, ocr_on_upload=False,
                                     public_base_url="http://testserver", citywide_centres="wz-ouhai"))
    with TestClient(create_app(container=built)) as client:
        yield client, built
    built.close()


def test_a_clerk_of_another_centre_cannot_see_list_or_accept_the_case(app_client, container, make_key,
                                                                      bearer) -> None:
    lucheng, ouhai = bearer(make_key("clerk", centre="wz-lucheng")), bearer(make_key("clerk", centre="wz-ouhai"))
    ouhai_approver = bearer(make_key("approver", centre="wz-ouhai"))
    admin = bearer(make_key("admin"))
    case = _open_full_case(app_client, lucheng)
    assert case["centre"] == "wz-lucheng"
    assert app_client.put(f"/api/v1/cases/{case['id']}/form", headers=lucheng, json={"values": FORM}).status_code == 200

    # 瓯海 learns nothing: the same 404 as for a case number that does not exist
    unknown = app_client.get("/api/v1/cases/BJ20260101NOSUCH00", headers=ouhai)
    theirs = app_client.get(f"/api/v1/cases/{case['id']}", headers=ouhai)
    assert theirs.status_code == unknown.status_code == 404
    assert _without_ids(theirs.json()) == _without_ids(unknown.json()) and theirs.json()["code"] == "case_not_found"
    for method, path in (("POST", "accept"), ("GET", "form"), ("POST", "visits"), ("POST", "withdraw")):
        assert app_client.request(method, f"/api/v1/cases/{case['id']}/{path}", headers=ouhai).status_code == 404
    assert app_client.post(f"/api/v1/cases/{case['id']}/approve", headers=ouhai_approver).status_code == 404
    assert app_client.get("/api/v1/cases", headers=ouhai).json()["cases"] == []
    assert app_client.get("/api/v1/cases?centre=wz-lucheng", headers=ouhai).json()["cases"] == []
    assert app_client.get(f"/api/v1/access-log?owner_code={CO}", headers=ouhai).status_code == 404
    assert app_client.get(f"/api/v1/cases/{case['id']}", headers=lucheng).json()["state"] == "collecting"

    # 鹿城 works its own case; the admin sees every centre's, and filters by centre
    accepted = app_client.post(f"/api/v1/cases/{case['id']}/accept", headers=lucheng)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "accepted"
    assert [c["id"] for c in app_client.get("/api/v1/cases", headers=lucheng).json()["cases"]] == [case["id"]]
    assert app_client.get(f"/api/v1/access-log?owner_code={CO}", headers=lucheng).status_code == 200
    assert [c["id"] for c in app_client.get("/api/v1/cases?centre=wz-lucheng", headers=admin).json()["cases"]] == [case["id"]]
    assert app_client.get("/api/v1/cases?centre=wz-ouhai", headers=admin).json()["cases"] == []

    # every case read is audited; 瓯海's attempts are there as denied, naming no owner
    with container.archive.sessions() as session:
        from sqlalchemy import select

        from archive.catalog.models import AccessLogRow
        rows = list(session.scalars(select(AccessLogRow).where(AccessLogRow.case_ref == case["id"])))
    assert {(r.actor_role, r.action, r.result) for r in rows if r.result == "denied"} >= {
        ("clerk", "read_case", "denied"), ("clerk", "work_case", "denied"), ("approver", "work_case", "denied")}
    assert all(r.owner_code is None for r in rows if r.result == "denied")
    assert any(r.action == "read_case" and r.result == "ok" and r.owner_code == CO for r in rows)


def test_a_citywide_matter_is_accepted_by_a_centre_the_policy_allows(citywide) -> None:
    client, built = citywide

    def key(role: str, centre: str) -> dict:
        return {"Authorization": "Bearer " + built.archive.keys.create(name=f"{role}@{centre}", role=role,
                                                                        centre=centre)[0]}

    lucheng, ouhai, yongjia = key("clerk", "wz-lucheng"), key("clerk", "wz-ouhai"), key("clerk", "wz-yongjia")
    food = _open_full_case(client, lucheng)  # 食品经营许可: 全城通办
    drug = _open_full_case(client, lucheng, "drug-retail-licence")  # not citywide

    # 瓯海 (named in the policy) sees the citywide case, not the other one; 永嘉 (not named) sees neither
    assert [c["id"] for c in client.get("/api/v1/cases", headers=ouhai).json()["cases"]] == [food["id"]]
    assert client.get(f"/api/v1/cases/{drug['id']}", headers=ouhai).status_code == 404
    assert client.get(f"/api/v1/cases/{food['id']}", headers=yongjia).status_code == 404
    assert client.get("/api/v1/cases", headers=yongjia).json()["cases"] == []

    assert client.put(f"/api/v1/cases/{food['id']}/form", headers=ouhai, json={"values": FORM}).status_code == 200
    assert client.post(f"/api/v1/cases/{food['id']}/accept", headers=yongjia).status_code == 404
    accepted = client.post(f"/api/v1/cases/{food['id']}/accept", headers=ouhai)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "accepted" and accepted.json()["centre"] == "wz-lucheng"
    assert accepted.json()["transitions"][-1]["actor_name"] == "clerk@wz-ouhai"


def test_an_applicant_sees_their_licence_and_who_used_their_documents(app_client, container, make_key,
                                                                     bearer) -> None:
    clerk = bearer(make_key("clerk", centre="wz-lucheng"))
    approver = bearer(make_key("approver", centre="wz-lucheng"))
    agency_plain, _ = container.archive.keys.create(name="amr-system", role="system", scopes=("business_licence",),
                                                    display_name="温州市市场监督管理局审批系统")
    agency = bearer(agency_plain) | {"X-Case-Ref": "ZJ-2026-0042", "X-Purpose": quote("食品经营许可审查")}
    mine = bearer(make_key("applicant", owner_code=CO))
    theirs = bearer(make_key("applicant", owner_code=OTHER))

    doc = app_client.post("/api/v1/documents", headers=clerk, data={"owner_code": CO, "doc_type": "business_licence"},
                          files={"file": ("licence.png", _png("licence"), "image/png")}).json()
    example = app_client.get("/api/v1/licences/types/food_business/example").json()
    licence = app_client.post("/api/v1/licences", headers=approver, json={
        "type": "food_business", "data": example | {"holder_code": CO, "holder_name": NAME}}).json()
    other = app_client.post("/api/v1/licences", headers=approver, json={
        "type": "food_business", "data": example | {"holder_code": OTHER}}).json()

    # another agency reads the document for its case; the service's OCR worker reads it too
    assert app_client.get(f"/api/v1/documents/{doc['id']}/content", headers=agency).status_code == 200
    container.archive.read(doc["id"], actor=Actor("ocr-worker", "system"), purpose="ocr", action="ocr")

    # their own licence: listed, read, downloaded; another owner's answers like an unknown one
    listed = app_client.get("/api/v1/licences", headers=mine)
    assert [lic["identifier"] for lic in listed.json()] == [licence["identifier"]]
    assert app_client.get(f"/api/v1/licences?holder_code={OTHER}", headers=mine).json() == []
    assert app_client.get(f"/api/v1/licences/{licence['identifier']}", headers=mine).status_code == 200
    pdf = app_client.get(f"/api/v1/licences/{licence['identifier']}/content", headers=mine)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for path in (f"/api/v1/licences/{other['identifier']}", f"/api/v1/licences/{other['identifier']}/content"):
        assert app_client.get(path, headers=mine).status_code == 404
    assert app_client.get(f"/api/v1/licences/{other['identifier']}", headers=theirs).status_code == 200

    # who used my documents: the agency, its case, its purpose — not the OCR worker, not my own reads
    log = app_client.get(f"/api/v1/access-log?owner_code={CO}", headers=mine)
    assert log.status_code == 200, log.text
    items = log.json()["items"]
    assert [(i["who"], i["case_ref"], i["purpose"], i["action"]) for i in items] == [
        ("温州市市场监督管理局审批系统", "ZJ-2026-0042", "食品经营许可审查", "read_content")]
    assert items[0]["at"] and items[0]["key_id"] is None and items[0]["request_hash"] is None
    # the clerk sees the whole log, the worker's and the applicant's reads included
    whole = app_client.get(f"/api/v1/access-log?owner_code={CO}", headers=clerk)
    assert whole.status_code == 404  # no case of this owner at the clerk's centre yet
    app_client.post("/api/v1/cases", headers=clerk, json={"matter_id": "food-business-licence", "owner_code": CO})
    roles = {(i["who"], i["action"]) for i in app_client.get(f"/api/v1/access-log?owner_code={CO}",
                                                               headers=clerk).json()["items"]}
    assert ("ocr-worker", "ocr") in roles and any(action == "read_licence" for _, action in roles)

    # another owner's log, documents and cases are not theirs
    assert app_client.get(f"/api/v1/access-log?owner_code={OTHER}", headers=mine).status_code == 404
    assert app_client.get(f"/api/v1/documents?owner_code={CO}", headers=mine).status_code == 403
    assert app_client.get(f"/api/v1/documents/{doc['id']}/content", headers=mine).status_code == 403
    assert app_client.get("/api/v1/cases", headers=mine).status_code == 403
    me = app_client.get("/api/v1/me", headers=mine).json()
    assert me["owner_code"] == CO and set(me["actions"]) == {"access_log.read", "licence.read", "matter.read",
                                                             "recipient.unmasked"}
