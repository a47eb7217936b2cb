"""A company that got a 食品经营许可 last year applies for 药品零售 today.

Its business licence and the legal representative's ID card are reused from the archive, the lease
is missing (a secondary material) so the case is accepted with a deadline, and the 容缺受理通知书
lists exactly the lease.
"""

from __future__ import annotations

import datetime as dt

import pytest

from intake.cases import CaseActions
from intake.errors import DecisionRefusedError, IllegalTransitionError
from intake.notices import NoticeService



def licence_ocr(company: str) -> dict[str, str]:
    return {"名称": "温州仁心大药房有限公司", "统一社会信用代码": company, "法定代表人": "张三",
            "住所": "温州市鹿城区五马街1号", "营业期限": "2019年03月01日至长期"}


def id_card_ocr(number: str) -> dict[str, str]:
    return {"姓名": "张三", "公民身份号码": number, "有效期限": "2018.05.01-2038.05.01"}


@pytest.fixture
def actions(cases, the_archive, engine) -> CaseActions:
    return CaseActions(cases, NoticeService(engine, the_archive))


def _last_year_food_case(cases, the_archive, clock, scan, people, tools) -> str:
    CLERK, COMPANY = people.clerk, people.company
    clock.set(dt.date(2025, 12, 10))
    food = cases.create(matter_id="food-business-licence", owner_code=COMPANY, actor=CLERK,
                        applicant_name="温州仁心大药房有限公司")
    licence = tools.archive_scan(the_archive, scan("licence"), owner_code=COMPANY, doc_type="business_licence",
                           actor=CLERK, case_ref=food.id, ocr_fields=licence_ocr(COMPANY))
    id_card = tools.archive_scan(the_archive, scan("id card"), owner_code=COMPANY, doc_type="id_card",
                           actor=CLERK, case_ref=food.id, ocr_fields=id_card_ocr(people.legal_rep_id))
    cases.attach_document(food.id, "business-licence", licence, CLERK)
    cases.attach_document(food.id, "legal-rep-id", id_card, CLERK)
    return food.id


def test_drug_retail_reuses_licence_and_id_card_and_is_accepted_with_the_lease_missing(
    cases, actions, the_archive, clock, scan, tmp_path, people, tools, fill_form
):
    CLERK, APPROVER, COMPANY = people.clerk, people.approver, people.company
    food_case = _last_year_food_case(cases, the_archive, clock, scan, people, tools)

    clock.set(dt.date(2026, 11, 23))  # a Monday
    case = cases.create(matter_id="drug-retail-licence", owner_code=COMPANY, actor=CLERK,
                        applicant_name="温州仁心大药房有限公司", contact_phone="13100001907")

    # the archive already holds the business licence and the ID card: no photocopies asked for
    assert {m.material_id for m in case.reused} == {"business-licence", "legal-rep-id"}
    for material in case.reused:
        assert material.doc_id and material.reused_from_case == food_case
    # ... and the applicant can see that this case used them
    log = [e for e in the_archive.access.for_owner(COMPANY) if e.action == "reuse"]
    assert {e.case_ref for e in log} == {case.id}
    assert {e.document_id for e in log} == {case.material("business-licence").doc_id,
                                            case.material("legal-rep-id").doc_id}

    # the applicant brings everything else except the lease
    for material_id, doc_type in [
        ("application-form", "application_form"), ("quality-lead-qualification", "qualification_certificate"),
        ("pharmacist-certificate", "pharmacist_certificate"), ("floor-plan", "floor_plan"),
        ("facility-list", "facility_list"), ("quality-system-list", "quality_system_list"),
        ("site-photos", "site_photo"), ("power-of-attorney", "power_of_attorney"),
    ]:
        doc = tools.archive_scan(the_archive, scan(material_id), owner_code=COMPANY, doc_type=doc_type,
                           actor=CLERK, case_ref=case.id)
        cases.attach_document(case.id, material_id, doc, CLERK)

    # a plain acceptance is refused: the lease is still missing
    with pytest.raises(DecisionRefusedError):
        actions.accept(case.id, CLERK)

    fill_form(case.id)  # the clerk types what no document gave (scope, quality lead, premises)
    case, notice = actions.accept_with_deficiency(case.id, CLERK)
    assert case.state == "accepted_with_deficiency"
    # 5 working days after Monday 23 Nov 2026, within the committed 10
    assert case.supplement_deadline == dt.date(2026, 11, 30) == notice.deadline
    assert [item["material_id"] for item in notice.items] == ["lease"]
    assert notice.number == "温市监容字〔2026〕第0001号"

    pdf = the_archive.read(notice.doc_id, actor=CLERK, case_ref=case.id, purpose="print notice")
    text = tools.pdf_text(pdf, tmp_path)
    assert "容缺受理通知书" in text and notice.number in text
    assert "营业场所与仓库产权或租赁证明" in text
    for other in ("执业药师资格证书", "设施设备目录", "营业执照"):
        assert other not in text
    assert "2026年11月30日" in text and "共1项" in text
    assert "未签章" in text  # no signer configured: clearly unsigned
    assert tools.pdf_pages(pdf, tmp_path) == 2  # applicant's copy and the file copy
    assert all(row[-4] == "yes" for row in tools.pdf_fonts(pdf, tmp_path))  # every font embedded

    # the lease arrives before the deadline: accepted, then approved
    lease = tools.archive_scan(the_archive, scan("lease"), owner_code=COMPANY, doc_type="lease_contract",
                         actor=CLERK, case_ref=case.id)
    cases.attach_document(case.id, "lease", lease, CLERK)
    case = actions.accept(case.id, CLERK, "lease supplemented")
    assert case.state == "accepted" and case.supplement_deadline is None
    case = actions.approve(case.id, APPROVER)
    assert case.state == "approved"
    assert [t.to_state for t in case.transitions] == [
        "created", "collecting", "accepted_with_deficiency", "accepted", "approved"]
    assert case.transitions[-1].actor_name == APPROVER.name

    # a decided case cannot be withdrawn any more
    with pytest.raises(IllegalTransitionError):
        actions.withdraw(case.id, CLERK)
