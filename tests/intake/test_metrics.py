"""Reform metrics: figures a manager can check by hand, and a CSV import that names bad rows."""

from __future__ import annotations

import datetime as dt

import pytest

from intake.errors import MetricsImportError
from intake.metrics import MetricsService, parse_cases_csv

HEADER = "case_id,matter,department,received_at,completed_at,kind,committed_days,actual_days,visits\n"
GOOD = (
    "c1,food-business-licence,wz-amr,2026-01-05,2026-01-05,immediate,0,0,0\n"
    "c2,food-business-licence,wz-amr,2026-01-06 09:30,2026-01-09,promised,5,3,1\n"   # early
    "c3,drug-retail-licence,wz-amr,2026-01-07,2026-01-21,promised,10,10,1\n"         # on time, not early
    "c4,药品零售企业经营许可,wz-amr,2026-01-08,2026-01-14,promised,10,4,0\n"          # matter by name; early
    "c5,social-group-registration,wz-mca,2026-02-02,,promised,20,,2\n"              # not finished
)


@pytest.fixture
def metrics(engine, catalog, calendar) -> MetricsService:
    return MetricsService(engine, catalog, calendar)


def test_figures_from_an_export_add_up(metrics: MetricsService) -> None:
    figures, result = metrics.from_csv(HEADER + GOOD)
    assert result.rows == 5 and not result.errors
    data = figures.to_dict()
    assert (data["total"], data["immediate"], data["promised"], data["early"]) == (5, 1, 4, 2)
    assert data["immediate_share"] == "20.00%"
    assert data["early_rate"] == "50.00%"            # 2 early of 4 promised
    assert data["average_days"] == "5.67"             # (3 + 10 + 4) / 3 finished
    assert data["speedup_rate"] == "32.00%"           # 1 - 17 / 25
    assert data["zero_visit_rate"] == "40.00%"        # c1, c4
    by_matter = {m["matter"]: m for m in data["matters"]}
    assert set(by_matter) == {"food-business-licence", "drug-retail-licence", "social-group-registration"}
    assert by_matter["drug-retail-licence"]["material_reduction"] == "31.25%"  # 1 - 11/16
    assert by_matter["drug-retail-licence"]["time_compression"] == "50.00%"    # 1 - 10/20


def test_period_department_and_matter_filters(metrics: MetricsService) -> None:
    january, _ = metrics.from_csv(HEADER + GOOD, period_from=dt.date(2026, 1, 6), period_to=dt.date(2026, 1, 31))
    assert january.total == 3
    civil, _ = metrics.from_csv(HEADER + GOOD, department="wz-mca")
    assert civil.total == 1 and civil.early_rate == 0 and civil.average_days is None
    drugs, _ = metrics.from_csv(HEADER + GOOD, matter="drug-retail-licence")
    assert drugs.total == 2
    empty, _ = metrics.from_csv(HEADER)
    assert empty.total == 0 and empty.to_dict()["immediate_share"] is None


BAD = (
    "b1,food-business-licence,wz-amr,2026-02-30,2026-03-02,promised,5,1,1\n"      # row 7: impossible date
    "b2,food-business-licence,wz-amr,2026-03-02,2026-03-03,promised,-5,1,1\n"     # row 8: negative days
    "b3,food-business-licence,wz-amr,2026-03-02,2026-03-01,sometimes,5,x,1\n"     # row 9: three problems
)


def test_bad_rows_are_reported_by_row_number_and_refuse_the_file(metrics: MetricsService) -> None:
    with pytest.raises(MetricsImportError) as err:
        metrics.from_csv(HEADER + GOOD + BAD)
    assert "7, 8, 9" in str(err.value)
    errors = err.value.extra["errors"]
    assert any(e.startswith("row 7, received_at") for e in errors)
    assert any(e.startswith("row 8, committed_days") and "negative" in e for e in errors)
    assert {e.split(",")[1].split(":")[0].strip() for e in errors if e.startswith("row 9")} == {
        "completed_at", "kind", "actual_days"}


def test_skip_bad_counts_only_the_good_rows_and_still_reports_the_bad(metrics: MetricsService) -> None:
    figures, result = metrics.from_csv(HEADER + GOOD + BAD, skip_bad=True)
    assert figures.total == 5 and result.bad_rows == (7, 8, 9)


def test_header_and_encoding_problems() -> None:
    with pytest.raises(MetricsImportError, match="row 1: missing column"):
        parse_cases_csv("case_id,matter\nx,y\n")
    result = parse_cases_csv(HEADER + "c1,m,d,2026-01-05\n" + "c1,m,d,2026-01-05,,immediate,0,,0\n" * 2)
    assert [e.row for e in result.errors] == [2, 4]


def test_metrics_from_the_service_own_cases(cases, metrics, actions_for, people, clock, hand_in, fill_form) -> None:
    actions = actions_for(cases)
    clock.set(dt.date(2026, 11, 23))
    quick = cases.create(matter_id="private-non-enterprise-registration", owner_code=people.company,
                         actor=people.clerk, visits=0)
    hand_in(quick.id, [m.material_id for m in quick.materials])
    fill_form(quick.id)
    actions.accept(quick.id, people.clerk)
    clock.set(dt.date(2026, 11, 26))
    actions.approve(quick.id, people.approver)                      # 3 working days of 20: early
    slow = cases.create(matter_id="food-business-licence", owner_code=people.company, actor=people.clerk, visits=0)
    figures = metrics.from_cases(period_from=dt.date(2026, 11, 1))
    assert (figures.total, figures.promised, figures.promised_finished, figures.early) == (2, 2, 1, 1)
    assert figures.average_days == 3 and figures.zero_visit == 2
    slow = cases.record_visit(slow.id, people.clerk)  # the applicant had to come in after all
    assert slow.visits == 1 and slow.transitions[-1].reason == "applicant visit #1"
    figures = metrics.from_cases(period_from=dt.date(2026, 11, 1))
    assert figures.zero_visit == 1
    assert figures.to_dict()["early_rate"] == "50.00%"
    assert slow.id not in [r.case_id for r in metrics.records() if r.completed_at]
