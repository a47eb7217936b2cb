"""Cases: the state machine, what a clerk may attach, reused documents the clerk refuses, and
notices that always list every gap — and on a second notice only what is still missing."""

from __future__ import annotations

import datetime as dt

import pytest

from archive import Actor
from intake.cases import STATES, TRANSITIONS, CaseActions, check_transition
from intake.errors import (
    CaseNotFoundError, DecisionRefusedError, ForbiddenError, IllegalTransitionError, InvalidInputError,
    UnknownMaterialError, WrongDocumentTypeError,
)
from intake.notices import NoticeService


@pytest.fixture
def actions(cases, the_archive, engine) -> CaseActions:
    return CaseActions(cases, NoticeService(engine, the_archive))


def test_only_the_listed_transitions_are_allowed() -> None:
    for current in STATES:
        for target in STATES:
            role = "approver"
            if target in TRANSITIONS[current]:
                check_transition(current, target, role)
            else:
                with pytest.raises(IllegalTransitionError) as err:
                    check_transition(current, target, role)
                assert err.value.extra["state"] == current and err.value.extra["target"] == target
    with pytest.raises(ForbiddenError):
        check_transition("accepted", "approved", "clerk")
    with pytest.raises(IllegalTransitionError):
        check_transition("accepted", "archived", "approver")


def test_every_transition_is_recorded_and_an_illegal_one_is_refused(cases, people) -> None:
    case = cases.create(matter_id="social-group-registration", owner_code=people.company, actor=people.clerk)
    assert case.state == "collecting"
    with pytest.raises(IllegalTransitionError):
        cases.transition(case.id, "approved", people.approver, "skipping acceptance")
    assert cases.get(case.id).state == "collecting"
    case = cases.transition(case.id, "withdrawn", people.clerk, "applicant changed their mind")
    last = case.transitions[-1]
    assert (last.from_state, last.to_state, last.actor_name, last.reason) == (
        "collecting", "withdrawn", people.clerk.name, "applicant changed their mind")
    assert case.completed_at is not None
    with pytest.raises(CaseNotFoundError):
        cases.get("BJ00000000NOPE")


def test_an_owner_code_failing_its_check_is_accepted_with_a_warning(cases, people) -> None:
    case = cases.create(matter_id="food-business-licence", owner_code="91350211M0000XUF46", actor=people.clerk)
    assert case.owner_code_warning == "check_mismatch" and not case.owner_code_valid
    ok = cases.create(matter_id="food-business-licence", owner_code=" 9135 0100-M000100Y43 ", actor=people.clerk)
    assert ok.owner_code == "91350100M000100Y43" and ok.owner_code_warning is None
    person = cases.create(matter_id="food-business-licence", owner_code="11010519491231002x", actor=people.clerk)
    assert person.owner_code_type == "id_card" and person.owner_code == "11010519491231002X"
    with pytest.raises(InvalidInputError):
        cases.create(matter_id="food-business-licence", owner_code="12345", actor=people.clerk)


def test_a_document_of_the_wrong_type_is_refused_with_the_accepted_types(cases, the_archive, people, scan, tools) -> None:
    case = cases.create(matter_id="drug-retail-licence", owner_code=people.company, actor=people.clerk)
    photo = tools.archive_scan(the_archive, scan("photo"), owner_code=people.company, doc_type="site_photo",
                               actor=people.clerk)
    with pytest.raises(WrongDocumentTypeError) as err:
        cases.attach_document(case.id, "lease", photo, people.clerk)
    assert err.value.extra["accepted_types"] == ["lease_contract", "property_certificate"]
    assert "lease_contract" in str(err.value)
    assert cases.get(case.id).material("lease").status == "missing"
    with pytest.raises(UnknownMaterialError):
        cases.attach_document(case.id, "no-such-material", photo, people.clerk)
    other = tools.archive_scan(the_archive, scan("other"), owner_code="91350100M000100Y43", doc_type="lease_contract",
                               actor=people.clerk)
    with pytest.raises(InvalidInputError):  # another applicant's document
        cases.attach_document(case.id, "lease", other, people.clerk)


def _archive_company_papers(the_archive, people, scan, tools, *, id_expiry: str = "2018.05.01-2038.05.01") -> dict:
    licence = tools.archive_scan(
        the_archive, scan("licence"), owner_code=people.company, doc_type="business_licence", actor=people.clerk,
        case_ref="BJ20250101OLDCASE1", ocr_fields={"名称": "温州仁心大药房有限公司", "法定代表人": "张三", "营业期限": "长期"})
    id_card = tools.archive_scan(
        the_archive, scan("id"), owner_code=people.company, doc_type="id_card", actor=people.clerk,
        case_ref="BJ20250101OLDCASE1", ocr_fields={"姓名": "张三", "有效期限": id_expiry})
    return {"licence": licence, "id_card": id_card}


def test_an_expired_id_card_is_not_reused(cases, the_archive, people, scan, tools) -> None:
    _archive_company_papers(the_archive, people, scan, tools, id_expiry="2006.05.01-2026.05.01")
    case = cases.create(matter_id="drug-retail-licence", owner_code=people.company, actor=people.clerk)
    assert {m.material_id for m in case.reused} == {"business-licence"}
    assert case.material("legal-rep-id").status == "missing"


def test_the_clerk_rejects_a_reused_document_and_it_is_asked_for_again(
    cases, actions, the_archive, people, scan, tools, tmp_path
) -> None:
    papers = _archive_company_papers(the_archive, people, scan, tools)
    case = cases.create(matter_id="drug-retail-licence", owner_code=people.company, actor=people.clerk)
    assert case.material("legal-rep-id").doc_id == papers["id_card"]
    case = cases.reject_material(case.id, "legal-rep-id", people.clerk, "photo unreadable")
    material = case.material("legal-rep-id")
    assert material.status == "rejected" and material.doc_id is None and "photo unreadable" in material.note
    # looking in the archive again does not bring the refused card back
    assert cases.refresh_reuse(case.id, people.clerk).material("legal-rep-id").status == "rejected"
    with pytest.raises(InvalidInputError):
        cases.reject_material(case.id, "legal-rep-id", people.clerk, "  ")

    # first notice: every gap at once, the rejected ID card included
    case, first = actions.issue_notice(case.id, people.clerk)
    assert case.state == "notice_issued"
    listed = [i["material_id"] for i in first.items]
    assert "legal-rep-id" in listed and "business-licence" not in listed
    assert listed == [m.material_id for m in case.missing]
    text = tools.pdf_text(the_archive.read(first.doc_id, actor=people.clerk, case_ref=case.id, purpose="t"), tmp_path)
    assert "一次性告知书" in text and "行政许可法" in text and "签收" in text and first.number in text
    for material in case.missing:
        assert "".join(material.name.split()) in text and "".join(material.standard.split()) in text

    # the applicant brings some of it back: a second notice lists only what is still missing
    for material_id, doc_type in [("application-form", "application_form"), ("floor-plan", "floor_plan")]:
        doc = tools.archive_scan(the_archive, scan(material_id), owner_code=people.company, doc_type=doc_type,
                                 actor=people.clerk, case_ref=case.id)
        cases.attach_document(case.id, material_id, doc, people.clerk)
    case, second = actions.issue_notice(case.id, people.clerk)
    assert [i["material_id"] for i in second.items] == [i for i in listed if i not in ("application-form", "floor-plan")]
    assert second.number != first.number and second.number.endswith("第0002号")
    assert [n.number for n in actions.notices.for_case(case.id)] == [first.number, second.number]


def test_a_main_material_missing_refuses_deficiency_acceptance(cases, actions, people) -> None:
    case = cases.create(matter_id="food-business-licence", owner_code=people.company, actor=people.clerk)
    with pytest.raises(DecisionRefusedError) as err:
        actions.accept_with_deficiency(case.id, people.clerk)
    assert "business-licence" in err.value.extra["missing"]
    assert cases.get(case.id).state == "collecting"  # nothing half-done
    assert actions.notices.for_case(case.id) == []


def test_only_approvers_approve(cases, actions, people, hand_in, fill_form) -> None:
    case = cases.create(matter_id="private-non-enterprise-registration", owner_code=people.company, actor=people.clerk)
    hand_in(case.id, [m.id for m in cases.matter_of(case).materials])
    fill_form(case.id)
    case = actions.accept(case.id, people.clerk)
    assert case.accepted_on == dt.date(2026, 11, 23)
    # committed 20 working days from Monday 23 Nov 2026
    assert case.committed_due == dt.date(2026, 12, 21)
    with pytest.raises(ForbiddenError):
        actions.approve(case.id, people.clerk)
    with pytest.raises(DecisionRefusedError):
        actions.reject(case.id, Actor("李审批", "approver"), "")
    assert actions.reject(case.id, Actor("李审批", "approver"), "章程草案不符合要求").state == "rejected"


def test_two_clerks_accepting_the_same_case_at_once_move_it_once(cases, actions, people, hand_in, fill_form) -> None:
    from concurrent.futures import ThreadPoolExecutor

    case = cases.create(matter_id="private-non-enterprise-registration", owner_code=people.company, actor=people.clerk)
    hand_in(case.id, [m.material_id for m in case.materials])
    fill_form(case.id)

    def accept(_: int) -> str:
        try:
            return actions.accept(case.id, people.clerk).state
        except IllegalTransitionError:
            return "refused"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(accept, range(4)))
    assert outcomes == ["accepted", "refused", "refused", "refused"]
    assert [t.to_state for t in cases.get(case.id).transitions].count("accepted") == 1


def test_a_handed_in_document_finds_its_place_on_the_checklist(cases, the_archive, people, scan, tools) -> None:
    case = cases.create(matter_id="food-business-licence", owner_code=people.company, actor=people.clerk)
    # an ID card goes to the main material that takes one, not to the (secondary) power of attorney
    card = tools.archive_scan(the_archive, scan("card"), owner_code=people.company, doc_type="id_card", actor=people.clerk)
    case = cases.attach_document(case.id, None, card, people.clerk)
    assert case.material("legal-rep-id").doc_id == card and case.material("power-of-attorney").status == "missing"
    # uploaded as a generic scan, recognised by OCR as a lease: it satisfies the lease
    lease = tools.archive_scan(the_archive, scan("lease"), owner_code=people.company, doc_type="scan",
                               actor=people.clerk, ocr_fields={"承租方": "温州仁心大药房有限公司"})
    the_archive.put_derived(lease, "ocr", {**the_archive.get_derived(lease, "ocr"), "doc_type": "lease_contract"})
    case = cases.attach_document(case.id, None, lease, people.clerk)
    assert case.material("lease").status == "provided" and case.material("lease").doc_id == lease
    # a second lease has nowhere to go: 422 naming what is still missing
    photo = tools.archive_scan(the_archive, scan("photo"), owner_code=people.company, doc_type="site_photo",
                               actor=people.clerk)
    with pytest.raises(WrongDocumentTypeError) as err:
        cases.attach_document(case.id, None, photo, people.clerk)
    assert "business-licence" in err.value.extra["missing_materials"]


def test_a_document_archived_after_the_case_opened_is_reused_on_request(cases, the_archive, people, scan, tools) -> None:
    case = cases.create(matter_id="drug-retail-licence", owner_code=people.company, actor=people.clerk)
    assert case.material("lease").status == "missing"
    lease = tools.archive_scan(the_archive, scan("lease"), owner_code=people.company, doc_type="lease_contract",
                               actor=people.clerk, case_ref="BJ20261120OTHERCAS")
    case = cases.refresh_reuse(case.id, people.clerk)
    assert case.material("lease").status == "reused" and case.material("lease").doc_id == lease
    assert case.material("lease").reused_from_case == "BJ20261120OTHERCAS"
    assert [e.case_ref for e in the_archive.access.for_document(lease) if e.action == "reuse"] == [case.id]
