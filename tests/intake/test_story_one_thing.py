"""The 食品药品经营许可 "一件事": one window, one checklist, what the three matters share asked once."""

from __future__ import annotations

import datetime as dt

import pytest

from intake.errors import DecisionRefusedError


def test_a_new_pharmacy_with_a_food_corner_applies_once_for_three_permits(
    cases, actions_for, the_archive, people, scan, tools, hand_in, catalog, tmp_path, fill_form
) -> None:
    actions = actions_for(cases)
    # the company's business licence is already in the archive from its registration
    licence = tools.archive_scan(the_archive, scan("licence"), owner_code=people.company, doc_type="business_licence",
                                 actor=people.clerk, case_ref="BJ20240301REGISTR1",
                                 ocr_fields={"名称": "温州仁心大药房有限公司", "营业期限": "2024年03月01日至长期"})
    case = cases.create(matter_id="food-drug-business-licence", owner_code=people.company, actor=people.clerk)

    # one checklist: 16 materials instead of 28, the business licence asked (and reused) once
    assert len(case.materials) == 16 and sum(len(c.materials) for c in catalog.components(case.matter_id)) == 28
    assert [m.material_id for m in case.materials].count("business-licence") == 1
    assert case.material("business-licence").status == "reused" and case.material("business-licence").doc_id == licence

    # everything main is handed in; of the secondary ones only the health certificates are missing
    secondary_missing = {"health-certificates"}
    hand_in(case.id, [m.material_id for m in case.missing if m.material_id not in secondary_missing])
    fill_form(case.id)
    case, notice = actions.accept_with_deficiency(case.id, people.clerk, supplement_days=30)
    # 30 working days asked, capped at the one-thing's committed 7: Mon 23 Nov 2026 -> Wed 2 Dec
    assert case.supplement_deadline == dt.date(2026, 12, 2) == notice.deadline
    assert case.committed_due == dt.date(2026, 12, 2)
    assert [i["material_id"] for i in notice.items] == ["health-certificates"]
    text = tools.pdf_text(the_archive.read(notice.doc_id, actor=people.clerk, case_ref=case.id, purpose="t"), tmp_path)
    assert "食品药品经营许可" in text and "从业人员健康证明" in text and "7个工作日" in text


def test_a_same_day_filing_cannot_be_accepted_with_gaps(cases, actions_for, people, hand_in) -> None:
    actions = actions_for(cases)
    case = cases.create(matter_id="medical-device-class2-filing", owner_code=people.company, actor=people.clerk)
    hand_in(case.id, [m.material_id for m in case.materials if m.kind == "main"])
    with pytest.raises(DecisionRefusedError):
        actions.accept_with_deficiency(case.id, people.clerk)
    case, notice = actions.issue_notice(case.id, people.clerk)
    assert case.state == "notice_issued" and {i["kind"] for i in notice.items} == {"secondary"}
