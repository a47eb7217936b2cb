"""Working days: weekends, public holidays and 调休 working weekends from the calendar files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from intake.errors import CatalogError
from intake.workdays import WorkCalendar, load_calendar

D = dt.date


def test_national_day_week_is_skipped_and_the_make_up_saturday_counts(calendar: WorkCalendar) -> None:
    assert not calendar.is_workday(D(2026, 10, 1))
    assert calendar.is_workday(D(2026, 10, 10))  # Saturday made a working day
    # Wed 30 Sep + 1 working day -> Thu 8 Oct (1-7 Oct off)
    assert calendar.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Sat, working), 12 Oct (Mon)
    assert calendar.add_workdays(D(2026, 9, 30), 4) == D(2026, 10, 12)


def test_spring_festival_2026(calendar: WorkCalendar) -> None:
    assert calendar.is_workday(D(2026, 2, 14))  # Saturday before the holiday
    assert all(not calendar.is_workday(D(2026, 2, d)) for d in range(15, 24))
    assert calendar.workdays_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # 14th and 24th


def test_counting_excludes_the_day_of_receipt() -> None:
    plain = WorkCalendar()
    assert plain.add_workdays(D(2026, 11, 27), 0) == D(2026, 11, 27)
    assert plain.add_workdays(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Friday -> Monday
    assert plain.workdays_between(D(2026, 11, 23), D(2026, 11, 23)) == 0
    assert plain.workdays_between(D(2026, 11, 23), D(2026, 11, 20)) == 0
    assert plain.workdays_between(D(2026, 11, 23), D(2026, 11, 30)) == 5
    with pytest.raises(ValueError):
        plain.add_workdays(D(2026, 11, 23), -1)


@pytest.mark.parametrize("body, message", [
    ("year: 2027\nholiday: [2027-01-01]\n", "unknown key 'holiday'"),
    ("holidays: [2027-13-01]\n", "holidays[0]"),
    ("holidays: ['2027-01-05..2027-01-01']\n", "ends before it starts"),
    ("holidays: [2027-01-02]\nworkdays: [2027-01-02]\n", "both a holiday and a workday"),
])
def test_a_bad_calendar_file_names_the_file_and_the_problem(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "local-2027.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_calendar(path)
    assert "local-2027.yaml" in str(err.value) and message in str(err.value)


def test_a_local_calendar_adds_to_the_national_one(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("holidays: ['2027-01-01..2027-01-03']\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("holidays: [2027-04-05]\nworkdays: [2027-01-09]\n", encoding="utf-8")
    cal = load_calendar(tmp_path)
    assert not cal.is_workday(D(2027, 4, 5)) and cal.is_workday(D(2027, 1, 9))


def test_the_calendar_knows_which_years_it_covers(calendar: WorkCalendar, tmp_path: Path) -> None:
    assert calendar.covers(2026) and calendar.covers(2025) and not calendar.covers(2031)
    (tmp_path / "x.yaml").write_text("year: twenty\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="'year' must be a year"):
        load_calendar(tmp_path)
