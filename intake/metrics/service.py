"""Metrics from the case records in the database, or from a CSV export of another system."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from intake.cases.service import CHINA_TZ
from intake.cases.tables import CaseMaterialRow, CaseRow
from intake.errors import MetricsImportError
from intake.matters import Catalog
from intake.metrics.compute import CaseRecord, MatterFigures, Metrics, compute
from intake.metrics.csv_import import ImportResult, parse_cases_csv
from intake.workdays import WorkCalendar
from standards import as_utc

__all__ = ["MetricsService", "matter_figures", "metrics_from_csv"]

_DECIDED = ("approved", "rejected", "issued", "delivered")


def matter_figures(catalog: Catalog) -> tuple[MatterFigures, ...]:
    out = []
    for matter in catalog:
        before, now = catalog.material_counts(matter.id)
        out.append(MatterFigures(
            matter=matter.id, name=matter.name, materials_before=before, materials_now=now,
            material_reduction=None if not before else 1 - now / before,
            statutory_days=matter.time_limits.statutory_days, committed_days=matter.time_limits.committed_days,
            time_compression=matter.time_compression,
        ))
    return tuple(out)


class MetricsService:
    def __init__(self, engine: Engine, catalog: Catalog, calendar: WorkCalendar) -> None:
        self.engine = engine
        self.catalog = catalog
        self.calendar = calendar

    def records(self) -> list[CaseRecord]:
        """Every case as a metrics record; a case counts as finished once approved or rejected."""
        with Session(self.engine) as session:
            rows = session.scalars(select(CaseRow)).all()
            counts = session.execute(
                select(CaseMaterialRow.case_id, CaseMaterialRow.status, func.count())
                .group_by(CaseMaterialRow.case_id, CaseMaterialRow.status)).all()
        reused: dict[str, int] = {}
        satisfied: dict[str, int] = {}
        for case_id, status, number in counts:
            if status in ("reused", "provided"):
                satisfied[case_id] = satisfied.get(case_id, 0) + number
            if status == "reused":
                reused[case_id] = reused.get(case_id, 0) + number
        out = []
        for row in rows:
            matter = self.catalog.get(row.matter_id)
            received = as_utc(row.created_at)
            finished = as_utc(row.completed_at) if row.state in _DECIDED and row.completed_at else None
            actual = None
            if finished is not None:
                start = row.accepted_on or row.received_on
                actual = self.calendar.workdays_between(start, finished.astimezone(CHINA_TZ).date())
            out.append(CaseRecord(
                case_id=row.id, matter=row.matter_id, department=row.department_id, received_at=received,
                completed_at=finished, kind="immediate" if matter.immediate else "promised",
                committed_days=matter.time_limits.committed_days, actual_days=actual, visits=row.visits,
                materials_reused=reused.get(row.id, 0), materials_satisfied=satisfied.get(row.id, 0),
            ))
        return out

    def from_cases(self, *, period_from: dt.date | None = None, period_to: dt.date | None = None,
                   department: str | None = None, matter: str | None = None) -> Metrics:
        return compute(self.records(), period_from=period_from, period_to=period_to, department=department,
                       matter=matter, matters=matter_figures(self.catalog))

    def from_csv(self, text: str, *, skip_bad: bool = False, period_from: dt.date | None = None,
                 period_to: dt.date | None = None, department: str | None = None,
                 matter: str | None = None) -> tuple[Metrics, ImportResult]:
        return metrics_from_csv(text, self.catalog, skip_bad=skip_bad, period_from=period_from,
                                period_to=period_to, department=department, matter=matter)


def metrics_from_csv(text: str, catalog: Catalog, *, skip_bad: bool = False, period_from: dt.date | None = None,
                     period_to: dt.date | None = None, department: str | None = None,
                     matter: str | None = None) -> tuple[Metrics, ImportResult]:
    """Figures from a CSV export. Bad rows refuse the whole file unless ``skip_bad``.

    The ``matter`` column may hold a matter id or its name as in the catalog.
    """
    result = parse_cases_csv(text)
    if result.errors and not skip_bad:
        rows = ", ".join(map(str, result.bad_rows[:20])) + (" …" if len(result.bad_rows) > 20 else "")
        raise MetricsImportError(
            f"{len(result.bad_rows)} bad row(s) ({rows}); fix them or pass --skip-bad to count only the good rows",
            message_zh=f"有{len(result.bad_rows)}行数据有误（第{rows}行），请更正，或使用 --skip-bad 仅统计正确的行",
            errors=[str(e) for e in result.errors],
        )
    by_name = {m.name: m.id for m in catalog}
    records = [r if r.matter not in by_name else replace(r, matter=by_name[r.matter]) for r in result.records]
    metrics = compute(records, period_from=period_from, period_to=period_to, department=department,
                      matter=matter, matters=matter_figures(catalog))
    return metrics, result


