"""The 法定代表人's ID card is reused only when it is theirs (issue 11, defect 2).

A company's legal representative 张三 handed in his card last year. Since then the company's
quality lead 李四 had her card archived too (newer). Today's case must reuse 张三's card — named by
the business licence — never 李四's, and the form's 法定代表人 comes from the licence.
"""

from __future__ import annotations

import datetime as dt

ZHANG = "440524188001010014"  # DOMAIN.md test vectors
LI = "11010519491231002X"


def licence_ocr(company: str) -> dict[str, str]:
    return {"名称": "温州仁心大药房有限公司", "统一社会信用代码": company, "法定代表人": "张三",
            "住所": "温州市鹿城区五马街1号", "营业期限": "2015-11-18/.."}


def card(name: str, number: str) -> dict[str, str]:
    return {"姓名": name, "公民身份号码": number, "有效期限": "2018.05.01-2038.05.01"}


def _archive(tools, the_archive, scan, people, doc_type, label, fields, case_ref=None) -> str:
    return tools.archive_scan(the_archive, scan(label), owner_code=people.company, doc_type=doc_type,
                              actor=people.clerk, case_ref=case_ref, ocr_fields=fields)


def test_the_legal_reps_card_is_reused_not_the_newer_card_of_another_person(cases, the_archive, clock, scan,
                                                                              people, tools):
    from intake.cases import FormService

    clock.set(dt.date(2025, 12, 10))
    first = cases.create(matter_id="food-business-licence", owner_code=people.company, actor=people.clerk)
    licence = _archive(tools, the_archive, scan, people, "business_licence", "licence", licence_ocr(people.company),
                       first.id)
    zhang = _archive(tools, the_archive, scan, people, "id_card", "zhang", card("张三", ZHANG), first.id)
    cases.attach_document(first.id, "business-licence", licence, people.clerk)
    cases.attach_document(first.id, "legal-rep-id", zhang, people.clerk)
    clock.set(dt.date(2026, 3, 2))
    _archive(tools, the_archive, scan, people, "id_card", "li", card("李四", LI), None)  # the quality lead's, newer

    clock.set(dt.date(2026, 11, 23))
    case = cases.create(matter_id="drug-retail-licence", owner_code=people.company, actor=people.clerk)
    assert case.material("business-licence").doc_id == licence  # long-term licence: reused
    assert case.material("legal-rep-id").status == "reused"
    assert case.material("legal-rep-id").doc_id == zhang

    form = {f.name: f for f in FormService(cases).form(case.id)}
    assert form["legal_rep"].value == "张三" and not form["legal_rep"].conflict
    assert form["legal_rep_id"].value == ZHANG


def test_two_cards_of_people_with_the_legal_reps_name_are_not_guessed_between(cases, the_archive, clock, scan,
                                                                              people, tools):
    clock.set(dt.date(2026, 1, 5))
    _archive(tools, the_archive, scan, people, "business_licence", "licence", licence_ocr(people.company))
    _archive(tools, the_archive, scan, people, "id_card", "zhang a", card("张三", ZHANG))
    _archive(tools, the_archive, scan, people, "id_card", "zhang b", card("张三", "440882198503293017"))

    clock.set(dt.date(2026, 11, 23))
    case = cases.create(matter_id="drug-retail-licence", owner_code=people.company, actor=people.clerk)
    legal_rep_id = case.material("legal-rep-id")
    assert legal_rep_id.status == "missing" and legal_rep_id.doc_id is None
    assert "同名" in legal_rep_id.note  # the clerk is asked, not guessed for

    # the clerk types the legal representative's number: now the right card is found
    from intake.cases import FormService

    FormService(cases).set_values(case.id, {"legal_rep_id": ZHANG}, people.clerk)
    case = cases.refresh_reuse(case.id, people.clerk)
    assert case.material("legal-rep-id").status == "reused"
    reused = the_archive.get_derived(case.material("legal-rep-id").doc_id, "ocr")
    assert reused["fields"]["公民身份号码"]["value"] == ZHANG


def test_without_a_named_legal_rep_no_card_is_reused(cases, the_archive, clock, scan, people, tools):
    clock.set(dt.date(2026, 1, 5))
    _archive(tools, the_archive, scan, people, "id_card", "someone", card("王五", LI))
    clock.set(dt.date(2026, 11, 23))
    case = cases.create(matter_id="drug-retail-licence", owner_code=people.company, actor=people.clerk)
    assert case.material("legal-rep-id").status == "missing"
    assert "未载明法定代表人" in case.material("legal-rep-id").note


def test_the_quality_leads_card_never_fills_in_the_legal_rep(cases, the_archive, clock, scan, people, tools):
    from intake.cases import FormService

    clock.set(dt.date(2026, 11, 23))
    case = cases.create(matter_id="drug-retail-licence", owner_code=people.company, actor=people.clerk)
    li = _archive(tools, the_archive, scan, people, "id_card", "li", card("李四", LI), case.id)
    cases.attach_document(case.id, "quality-lead-qualification", li, people.clerk)
    form = {f.name: f for f in FormService(cases).form(case.id)}
    assert form["legal_rep"].value is None and not form["legal_rep"].candidates
    assert form["legal_rep_id"].value is None
