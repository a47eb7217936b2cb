"""The decision is pure: every combination of material states is checked against the rules."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from intake.decision import SATISFIED, decide, notice_due
from intake.matters import Deficiency, Department, Material, Matter, TimeLimits
from intake.workdays import WorkCalendar

STATUSES = ("missing", "provided", "reused", "rejected")
MONDAY = dt.date(2026, 11, 23)
CAL = WorkCalendar(holidays=frozenset({dt.date(2026, 11, 25)}))  # a Wednesday off


def matter(*, allowed: bool = True, committed: int = 10, supplement: int = 5) -> Matter:
    return Matter(
        id="m", name="测试事项", legal_basis="测试", department=Department(id="d", name="部门", short="部"),
        time_limits=TimeLimits(statutory_days=max(committed, 20), committed_days=committed),
        deficiency=Deficiency(allowed=allowed, supplement_days=supplement),
        materials=tuple(
            Material(id=f"{kind}{i}", name=f"{kind}{i}", kind=kind, doc_types=("x",), standard="s")
            for kind in ("main", "secondary") for i in (1, 2)
        ),
    )


@pytest.mark.parametrize("allowed", [True, False])
@pytest.mark.parametrize("committed", [0, 3, 10])
def test_every_combination_of_material_states(allowed: bool, committed: int) -> None:
    m = matter(allowed=allowed, committed=committed)
    ids = [x.id for x in m.materials]
    for combo in itertools.product(STATUSES, repeat=len(ids)):
        statuses = dict(zip(ids, combo))
        d = decide(m, statuses, received_on=MONDAY, calendar=CAL)
        missing = {i for i, s in statuses.items() if s not in SATISFIED}
        main_missing = {i for i in missing if i.startswith("main")}
        assert {x.id for x in d.missing} == missing
        assert {x.id for x in d.missing_main} == main_missing
        if not missing:
            assert d.outcome == "accept" and d.deadline is None
        elif main_missing or not allowed or committed == 0:
            assert d.outcome == "notice" and not d.deficiency_allowed and d.deadline is None
        else:
            assert d.outcome == "accept_with_deficiency" and d.deficiency_allowed
            assert d.deadline_days == min(5, committed)
            # the deadline never lies beyond the committed time limit
            assert d.deadline <= CAL.add_workdays(MONDAY, committed)


def test_absent_materials_count_as_missing_and_are_listed_in_matter_order() -> None:
    d = decide(matter(), {"main2": "provided"}, received_on=MONDAY, calendar=CAL)
    assert [x.id for x in d.missing] == ["main1", "secondary1", "secondary2"]
    assert d.outcome == "notice"


def test_supplement_deadline_counts_working_days_and_is_capped_at_the_committed_time() -> None:
    m = matter(committed=3)
    statuses = {"main1": "provided", "main2": "reused", "secondary1": "provided"}
    # Mon 23 Nov + 3 working days, Wednesday 25 a holiday -> Fri 27 Nov, even when 20 days are asked
    d = decide(m, statuses, received_on=MONDAY, calendar=CAL, supplement_days=20)
    assert d.deadline == dt.date(2026, 11, 27) and d.deadline_days == 3
    d = decide(m, statuses, received_on=MONDAY, calendar=CAL, supplement_days=1)
    assert d.deadline == dt.date(2026, 11, 24)
    with pytest.raises(ValueError):
        decide(m, statuses, received_on=MONDAY, calendar=CAL, supplement_days=0)


def test_a_rejected_document_is_asked_for_again() -> None:
    statuses = {i: "provided" for i in ("main1", "main2", "secondary1", "secondary2")}
    statuses["main1"] = "rejected"
    d = decide(matter(), statuses, received_on=MONDAY, calendar=CAL)
    assert d.outcome == "notice" and [x.id for x in d.missing] == ["main1"]


def test_a_notice_is_due_within_five_working_days_of_receipt() -> None:
    # received Mon 23 Nov 2026, Wednesday a holiday in this calendar: Tue, Thu, Fri, Mon, Tue
    assert notice_due(MONDAY, CAL) == dt.date(2026, 12, 1)
