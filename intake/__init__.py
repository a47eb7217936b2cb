"""The intake domain: matters, cases, materials, reuse, notices, licences, delivery, OCR jobs, metrics.

The public face: ``build_services(engine, archive, IntakeConfig)`` wires everything once and returns
``IntakeServices``; the names in ``__all__`` are what adapters (``api``) may use. Everything else is
private. Names are imported on first use, so ``import intake.errors`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_PUBLIC: dict[str, str] = {
    "IntakeBase": "intake.db", "migrate": "intake.db",
    "IntakeConfig": "intake.services", "IntakeServices": "intake.services", "build_services": "intake.services",
    "CaseActions": "intake.cases", "CaseService": "intake.cases", "CaseState": "intake.cases",
    "CaseView": "intake.cases", "STATE_ZH": "intake.cases", "FormService": "intake.cases", "MaterialView": "intake.cases",
    "Decision": "intake.decision",
    "DeliveryConfig": "intake.delivery", "DeliveryOrder": "intake.delivery", "DeliveryService": "intake.delivery",
    "HandoverConfig": "intake.delivery", "Parcel": "intake.delivery", "Recipient": "intake.delivery",
    "Sender": "intake.delivery", "ZplOptions": "intake.delivery",
    "Caller": "intake.reads", "DocumentService": "intake.documents", "ReadContext": "intake.reads",
    "backfill_text": "intake.search_text",
    "Authority": "intake.licences", "IssuedLicence": "intake.licences", "LicenceCheck": "intake.licences",
    "LicenceService": "intake.licences", "LicensingConfig": "intake.licences",
    "check_licence_pdf": "intake.licences", "public_status": "intake.licences",
    "Catalog": "intake.matters", "Matter": "intake.matters",
    "MetricsService": "intake.metrics",
    "NoticeService": "intake.notices", "NoticeView": "intake.notices",
    "JobState": "intake.ocr_jobs", "JobView": "intake.ocr_jobs", "OcrJobs": "intake.ocr_jobs",
    "OcrResult": "intake.ocr_results",
    "Action": "intake.permissions",
    "FilledField": "intake.prefill",
    "WorkCalendar": "intake.workdays", "load_calendar": "intake.workdays",
    "CaseDesk": "intake.cases.desk", "CaseReport": "intake.cases.report", "CaseWarning": "intake.cases.report",
    "TransitionView": "intake.cases", "MaterialStatus": "intake.decision",
    "load_catalog": "intake.matters", "Metrics": "intake.metrics", "decode_csv": "intake.metrics",
    "metrics_from_csv": "intake.metrics", "issue_for_approved_case": "intake.licences",
    "issue_case_licence": "intake.licences", "plan_case_licence": "intake.licences",
    "create_pki": "intake.licences.pki_admin", "crl_der": "intake.licences.pki_admin",
    "reissue_crls": "intake.licences.pki_admin", "serve_timestamps": "intake.licences.pki_admin",
    "trust_root_pem": "intake.licences.pki_admin", "sm2_root_pem": "intake.licences.pki_admin",
    "new_reader": "intake.ocr_jobs",
    "ocr_outcome": "intake.ocr_results", "allowed": "intake.permissions", "masked_for": "intake.permissions",
    "needs_purpose": "intake.permissions",
    "licences_for": "intake.readers", "licence_for": "intake.readers", "licence_content_for": "intake.readers",
    "job_for": "intake.readers",
    "CaseReach": "intake.cases.centres", "CentrePolicy": "intake.cases.centres", "access_log_for": "intake.access_views",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'intake' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and readers: the same names, imported eagerly
    from intake.cases import STATE_ZH, CaseActions, CaseService, CaseState, CaseView, FormService, MaterialView
    from intake.db import IntakeBase, migrate
    from intake.decision import Decision
    from intake.delivery import (
        DeliveryConfig, DeliveryOrder, DeliveryService, HandoverConfig, Parcel, Recipient, Sender, ZplOptions,
    )
    from intake.documents import Caller, DocumentService, ReadContext
    from intake.search_text import backfill_text
    from intake.licences import (
        Authority, IssuedLicence, LicenceCheck, LicenceService, LicensingConfig, check_licence_pdf,
        issue_case_licence, issue_for_approved_case, plan_case_licence, public_status,
    )
    from intake.notices import NoticeService, NoticeView
    from intake.ocr_results import OcrResult
    from intake.prefill import FilledField
    from intake.services import IntakeConfig, IntakeServices, build_services
    from intake.cases import TransitionView
    from intake.access_views import access_log_for
    from intake.cases.centres import CaseReach, CentrePolicy
    from intake.cases.desk import CaseDesk
    from intake.cases.report import CaseReport, CaseWarning
    from intake.decision import MaterialStatus
    from intake.licences.pki_admin import (
        create_pki, crl_der, reissue_crls, serve_timestamps, sm2_root_pem, trust_root_pem,
    )
    from intake.matters import Catalog, Matter, load_catalog
    from intake.metrics import Metrics, MetricsService, decode_csv, metrics_from_csv
    from intake.ocr_jobs import JobState, JobView, OcrJobs, new_reader
    from intake.ocr_results import ocr_outcome
    from intake.permissions import Action, allowed, masked_for, needs_purpose
    from intake.readers import job_for, licence_content_for, licence_for, licences_for
    from intake.workdays import WorkCalendar, load_calendar
