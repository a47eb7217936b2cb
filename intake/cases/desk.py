"""Everything the case desk needs, built once from explicit configuration (``intake.build_services``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from archive import Archive
from intake.cases.actions import CaseActions
from intake.cases.centres import CaseReach, CentrePolicy
from intake.cases.checking import CaseChecks
from intake.cases.form import FormService
from intake.cases.service import CaseService
from intake.matters import Catalog, Department, load_catalog
from intake.metrics import MetricsService
from intake.notices import NoticeService, NoticeSigner
from intake.overrides import OverrideService
from intake.workdays import WorkCalendar, load_calendar

__all__ = ["CaseDesk", "build_case_desk"]


@dataclass(frozen=True)
class CaseDesk:
    catalog: Catalog
    calendar: WorkCalendar
    cases: CaseService
    actions: CaseActions
    forms: FormService
    notices: NoticeService
    metrics: MetricsService
    checks: CaseChecks
    reach: CaseReach
    """Which cases a caller may see and act on (their centre's; 全城通办 as the policy allows)."""


def build_case_desk(
    engine: Engine,
    archive: Archive,
    *,
    matters_dir: Path,
    calendar_dir: Path,
    notice_signer: NoticeSigner | None = None,
    notice_signs_for: Callable[[Department], bool] | None = None,
    clock: Callable[[], dt.datetime] | None = None,
    citywide_centres: tuple[str, ...] = (),
) -> CaseDesk:
    """Load (and so validate) the catalog and calendar, and wire the case services together."""
    catalog = load_catalog(matters_dir)
    calendar = load_calendar(calendar_dir)
    cases = CaseService(engine, catalog, archive, calendar, **({"clock": clock} if clock else {}))
    notices = NoticeService(engine, archive, signer=notice_signer, signs_for=notice_signs_for)
    forms = FormService(cases)
    checks = CaseChecks(cases, forms, OverrideService(engine, cases.now))
    return CaseDesk(
        catalog=catalog, calendar=calendar, cases=cases, actions=CaseActions(cases, notices, checks),
        forms=forms, notices=notices, metrics=MetricsService(engine, catalog, calendar), checks=checks,
        reach=CaseReach(cases, CentrePolicy.of(citywide_centres)),
    )
