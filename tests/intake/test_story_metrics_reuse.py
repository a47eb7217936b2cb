"""A manager imports a real-shaped export and sees how much the archive spared applicants (issue 11, defect 9)."""

from __future__ import annotations

import datetime as dt

import pytest

from intake.metrics import MetricsService, parse_cases_csv

HEADER = "case_id,matter,department,received_at,completed_at,kind,committed_days,actual_days,visits\n"


@pytest.fixture
def metrics(engine, catalog, calendar) -> MetricsService:
    return MetricsService(engine, catalog, calendar)


def test_an_export_whose_immediate_cases_have_no_committed_time_is_accepted(metrics) -> None:
    # a real-shaped export: 774 of 1,014 rows are 即办件 with an empty 承诺时限
    rows = [f"i{n},food-business-licence,wz-amr,2026-03-02,2026-03-02,immediate,,0,0\n" for n in range(774)]
    rows += [f"p{n},drug-retail-licence,wz-amr,2026-03-02,2026-03-06,promised,10,4,1\n" for n in range(240)]
    figures, result = metrics.from_csv(HEADER + "".join(rows))
    assert result.rows == 1014 and result.errors == ()
    assert (figures.total, figures.immediate, figures.promised) == (1014, 774, 240)
    assert figures.to_dict()["immediate_share"] == "76.33%"


def test_a_promised_case_still_needs_its_committed_time() -> None:
    result = parse_cases_csv(HEADER + "p1,m,d,2026-03-02,,promised,,,0\n")
    assert [(e.row, e.column) for e in result.errors] == [(2, "committed_days")]


def test_materials_reused_per_case_and_the_no_copy_share(cases, metrics, the_archive, tools, scan, people,
                                                          hand_in) -> None:
    tools.archive_scan(the_archive, scan("licence"), owner_code=people.company, doc_type="business_licence",
                       actor=people.clerk, ocr_fields={"名称": "温州仁心大药房有限公司", "法定代表人": "张三",
                                                       "营业期限": "2015-11-18/.."})
    tools.archive_scan(the_archive, scan("card"), owner_code=people.company, doc_type="id_card", actor=people.clerk,
                       ocr_fields={"姓名": "张三", "公民身份号码": people.legal_rep_id, "有效期限": "长期"})
    drug = cases.create(matter_id="drug-retail-licence", owner_code=people.company, actor=people.clerk)
    assert len(drug.reused) == 2
    hand_in(drug.id, ["application-form", "floor-plan"])  # 2 reused + 2 handed in
    food = cases.create(matter_id="food-business-licence", owner_code=people.company, actor=people.clerk)
    hand_in(food.id, ["application-form", "equipment-layout"])  # 2 reused + 2 handed in
    other = cases.create(matter_id="private-non-enterprise-registration", owner_code=people.legal_rep_id,
                         actor=people.clerk)
    hand_in(other.id, ["application-form"])  # nothing reused, 1 handed in

    figures = metrics.from_cases(period_from=dt.date(2026, 1, 1)).to_dict()
    assert figures["reuse"] == {"matter": None, "cases": 3, "reused": 4, "satisfied": 9,
                                "reused_per_case": "1.33", "no_copy_rate": "44.44%"}
    by_matter = {f["matter"]: f for f in figures["reuse_by_matter"]}
    assert by_matter["drug-retail-licence"]["no_copy_rate"] == "50.00%"
    assert by_matter["private-non-enterprise-registration"]["no_copy_rate"] == "0.00%"
    assert by_matter["food-business-licence"]["reused_per_case"] == "2.00"
