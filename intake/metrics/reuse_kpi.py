"""材料免提交率 — how much the archive spared applicants: a pure computation over case records.

For the cases whose materials are known (the service's own cases; a CSV export has no materials):

* reused per case = materials satisfied from the archive / cases;
* 材料免提交率 = materials satisfied without a copy (reused) / materials satisfied (reused + handed in).

Overall, per matter and per calendar month of receipt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from standards import CHINA_TZ, as_utc

__all__ = ["ReuseFigures", "ReuseMonth", "reuse_by_month", "reuse_figures"]


class _Counted(Protocol):
    matter: str
    received_at: dt.datetime
    materials_reused: int | None
    materials_satisfied: int | None


@dataclass(frozen=True)
class ReuseFigures:
    matter: str | None
    """None for the overall figures."""
    cases: int
    reused: int
    satisfied: int
    reused_per_case: float | None
    no_copy_rate: float | None
    """材料免提交率 (a fraction)."""


def _figures(matter: str | None, records: list[_Counted]) -> ReuseFigures:
    reused = sum(r.materials_reused or 0 for r in records)
    satisfied = sum(r.materials_satisfied or 0 for r in records)
    return ReuseFigures(matter, len(records), reused, satisfied,
                        reused / len(records) if records else None, reused / satisfied if satisfied else None)


def reuse_figures(records: Iterable[_Counted]) -> tuple[ReuseFigures, tuple[ReuseFigures, ...]]:
    """(overall, per matter in order of first appearance); records without material counts are left out."""
    counted = [r for r in records if r.materials_satisfied is not None]
    by_matter: dict[str, list[_Counted]] = {}
    for record in counted:
        by_matter.setdefault(record.matter, []).append(record)
    return _figures(None, counted), tuple(_figures(m, rs) for m, rs in by_matter.items())


@dataclass(frozen=True)
class ReuseMonth:
    month: str
    """``YYYY-MM``, the month the cases were received (the same day the period filter uses)."""
    cases: int
    reused: int
    satisfied: int
    reused_per_case: float | None
    no_copy_rate: float | None
    """材料免提交率 of the cases received that month (a fraction)."""


def reuse_by_month(records: Iterable[_Counted]) -> tuple[ReuseMonth, ...]:
    """One entry per month that has counted cases, oldest first (months without cases are left out)."""
    by_month: dict[str, list[_Counted]] = {}
    for record in records:
        if record.materials_satisfied is not None:
            local_day = as_utc(record.received_at).astimezone(CHINA_TZ).date()  # a month of China's calendar
            by_month.setdefault(local_day.isoformat()[:7], []).append(record)
    out = []
    for month in sorted(by_month):
        figures = _figures(None, by_month[month])
        out.append(ReuseMonth(month, figures.cases, figures.reused, figures.satisfied, figures.reused_per_case,
                              figures.no_copy_rate))
    return tuple(out)
