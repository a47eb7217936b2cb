"""Working-day arithmetic (工作日) with a configurable holiday calendar.

Time limits of matters are counted in working days: Monday–Friday, minus public holidays, plus the
weekend days that are made working days (调休上班). The calendar is data
(``templates/calendar/*.yaml``)::

    year: 2026
    holidays: [2026-01-01..2026-01-03, 2026-10-01]
    workdays: [2026-01-04]

Counting follows the usual rule for administrative time limits: the day of receipt is not counted;
the deadline is the N-th working day after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from intake.errors import CatalogError

__all__ = ["WorkCalendar", "load_calendar"]

_ALLOWED_KEYS = {"year", "holidays", "workdays"}


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days. Immutable; safe to share."""

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    extra_workdays: frozenset[dt.date] = field(default_factory=frozenset)
    years: frozenset[int] = field(default_factory=frozenset)
    """Years a calendar file was loaded for; other years count only weekends as days off."""

    def covers(self, year: int) -> bool:
        return year in self.years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_workdays(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``days`` = 0 returns ``start``)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        remaining = days
        while remaining:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                remaining -= 1
        return current

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if ``end <= start``).

        A case received on Monday and finished on Wednesday took 2 working days; finished the
        same day, 0.
        """
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count

    def merged(self, other: "WorkCalendar") -> "WorkCalendar":
        return WorkCalendar(
            holidays=self.holidays | other.holidays,
            extra_workdays=self.extra_workdays | other.extra_workdays,
            years=self.years | other.years,
        )


def _parse_day(value: object, where: str) -> list[dt.date]:
    if isinstance(value, dt.date):
        return [value]
    if isinstance(value, str) and ".." in value:
        first, _, last = value.partition("..")
        try:
            start, end = dt.date.fromisoformat(first.strip()), dt.date.fromisoformat(last.strip())
        except ValueError as exc:
            raise CatalogError(f"{where}: bad date range {value!r}", message_zh=f"{where}：日期范围有误") from exc
        if end < start:
            raise CatalogError(f"{where}: range {value!r} ends before it starts", message_zh=f"{where}：日期范围颠倒")
        return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    if isinstance(value, str):
        try:
            return [dt.date.fromisoformat(value.strip())]
        except ValueError as exc:
            raise CatalogError(f"{where}: bad date {value!r}", message_zh=f"{where}：日期有误") from exc
    raise CatalogError(f"{where}: expected a date, got {value!r}", message_zh=f"{where}：应为日期")


def _days(doc: dict, key: str, path: Path) -> set[dt.date]:
    items = doc.get(key) or []
    if not isinstance(items, list):
        raise CatalogError(f"{path}: key '{key}' must be a list", message_zh=f"{path}：'{key}' 应为列表")
    days: set[dt.date] = set()
    for index, item in enumerate(items):
        days.update(_parse_day(item, f"{path}: {key}[{index}]"))
    return days


def load_calendar(paths: Iterable[Path] | Path) -> WorkCalendar:
    """Load one calendar file, or every ``*.yaml`` in a folder, or a list of files, merged."""
    if isinstance(paths, Path):
        paths = sorted(paths.glob("*.yaml")) if paths.is_dir() else [paths]
    calendar = WorkCalendar()
    for path in paths:
        try:
            # BaseLoader keeps every scalar a string: dates are parsed (and reported) here
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
        except yaml.YAMLError as exc:
            raise CatalogError(f"{path}: not valid YAML: {exc}", message_zh=f"{path}：YAML 格式错误") from exc
        if not isinstance(doc, dict):
            raise CatalogError(f"{path}: expected a mapping", message_zh=f"{path}：格式错误")
        unknown = sorted(set(doc) - _ALLOWED_KEYS)
        if unknown:
            raise CatalogError(
                f"{path}: unknown key '{unknown[0]}' (allowed: {', '.join(sorted(_ALLOWED_KEYS))})",
                message_zh=f"{path}：未知字段 '{unknown[0]}'",
            )
        holidays, workdays = _days(doc, "holidays", path), _days(doc, "workdays", path)
        both = holidays & workdays
        if both:
            day = min(both).isoformat()
            raise CatalogError(f"{path}: {day} is both a holiday and a workday", message_zh=f"{path}：{day} 重复配置")
        year = doc.get("year")
        if year is not None and not str(year).isdigit():
            raise CatalogError(f"{path}: key 'year' must be a year, got {year!r}", message_zh=f"{path}：'year' 应为年份")
        years = {int(year)} if year is not None else {d.year for d in holidays | workdays}
        calendar = calendar.merged(WorkCalendar(frozenset(holidays), frozenset(workdays), frozenset(years)))
    return calendar
