"""The licence of an approved case is made from the case (issue 11, defect 5).

The approver asks for the licence of a food-business case: everything the form and the case say is
filled in, only what they cannot say is asked, and the issuing authority is the case's department —
the same body on the licence, in its seal, and in the notices of the case.
"""

from __future__ import annotations

import subprocess

from archive import Actor

HOLDER = "91330302MA2AB3CD4J"  # registered in 鹿城区 (330302), inside 温州市 (330300)
HANGZHOU = "91330106MA2CD9EF16"  # registered in 杭州市西湖区
CLERK, APPROVER = Actor("王小红", "clerk"), Actor("李审批", "approver")
FORM = {"company_name": "温州市鹿城区好味道餐饮有限公司", "legal_rep": "王小明", "legal_rep_id": "440524188001010014",
        "address": "浙江省温州市鹿城区五马街道解放街100号", "premises": "浙江省温州市鹿城区五马街道解放街100号一楼",
        "business_form": "餐饮服务经营者", "food_scope": "热食类食品制售"}


def _approved(container, owner: str = HOLDER) -> str:  # type: ignore[no-untyped-def]
    from intake.cases import FormService

    cases = container.cases
    case = cases.create(matter_id="food-business-licence", owner_code=owner, actor=CLERK,
                        applicant_name=FORM["company_name"])
    FormService(cases).set_values(case.id, FORM, CLERK)
    cases.transition(case.id, "accepted", CLERK, "materials complete")
    cases.transition(case.id, "approved", APPROVER, "准予许可")
    return case.id


def test_the_licence_takes_the_case_and_asks_only_what_is_missing(app_client, approver, container, tmp_path) -> None:  # type: ignore[no-untyped-def]
    case_id = _approved(container)
    draft = app_client.get(f"/api/v1/licences/draft?case_id={case_id}&type=food_business", headers=approver).json()
    assert draft["data"]["holder_name"] == FORM["company_name"] and draft["data"]["holder_code"] == HOLDER
    assert draft["data"]["legal_representative"] == "王小明" and draft["data"]["region"] == "330302"
    assert draft["sources"]["legal_representative"] == "form:legal_rep"
    assert set(draft["missing"]) == {"business_type", "complaint_phone"}
    assert draft["authority"]["name"] == "温州市市场监督管理局" and draft["warnings"] == []

    refused = app_client.post("/api/v1/licences", headers=approver,
                              json={"type": "food_business", "case_id": case_id, "data": {}})
    assert refused.status_code == 422 and set(refused.json()["missing"]) == {"business_type", "complaint_phone"}
    issued = app_client.post("/api/v1/licences", headers=approver, json={
        "type": "food_business", "case_id": case_id, "data": {"business_type": "2", "complaint_phone": "12315"}})
    assert issued.status_code == 201, issued.text
    body = issued.json()
    assert body["holder"] == {"name": FORM["company_name"], "code": HOLDER}
    assert body["authority"]["name"] == "温州市市场监督管理局"
    pdf = container.archive.read(body["document_id"], actor=APPROVER, purpose="test")
    path = tmp_path / "licence.pdf"
    path.write_bytes(pdf)
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    assert "发证机关：温州市市场监督管理局" in text and "王小明" in text
    signer = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "温州市市场监督管理局" in signer and "鹿城区" not in signer  # the seal is the same body


def test_a_notice_of_the_case_is_sealed_by_the_department_it_names(app_client, container, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cases = container.cases
    case = cases.create(matter_id="food-business-licence", owner_code=HOLDER, actor=CLERK)
    _, notice = container.desk.actions.issue_notice(case.id, CLERK)
    path = tmp_path / "notice.pdf"
    path.write_bytes(container.archive.read(notice.doc_id, actor=CLERK, purpose="test"))
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    signer = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "温州市市场监督管理局" in text and "温州市市场监督管理局" in signer and "鹿城区市场" not in signer


def test_an_applicant_registered_outside_the_jurisdiction_is_warned_about(app_client, approver, container) -> None:  # type: ignore[no-untyped-def]
    case_id = _approved(container, owner=HANGZHOU)
    draft = app_client.get(f"/api/v1/licences/draft?case_id={case_id}&type=food_business", headers=approver).json()
    assert [w["code"] for w in draft["warnings"]] == ["outside_jurisdiction"]
    assert "330106" in draft["warnings"][0]["message_zh"]


def test_jurisdiction_follows_gb_t_2260_prefixes() -> None:
    from intake.licences.from_case import outside_jurisdiction

    assert not outside_jurisdiction(HOLDER, "uscc", "330300")  # city covers its districts
    assert not outside_jurisdiction(HOLDER, "uscc", "330302")
    assert outside_jurisdiction(HOLDER, "uscc", "330304")
    assert outside_jurisdiction(HANGZHOU, "uscc", "330300")
    assert not outside_jurisdiction(HANGZHOU, "uscc", "330000")  # the province covers both
    assert not outside_jurisdiction("440524188001010014", "id_card", "330300")  # unknown: no warning


def test_a_department_without_its_own_seal_gets_unsigned_notices_never_another_bodys(container, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ocr.identifiers import uscc_check_char

    code = "51330300MJ1234567"
    case = container.cases.create(matter_id="social-group-registration", owner_code=code + uscc_check_char(code),
                                  actor=CLERK)
    _, notice = container.desk.actions.issue_notice(case.id, CLERK)
    path = tmp_path / "notice.pdf"
    path.write_bytes(container.archive.read(notice.doc_id, actor=CLERK, purpose="test"))
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    signatures = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "温州市民政局" in text and "未签章" in text and not notice.signed
    assert "市场监督管理局" not in signatures
