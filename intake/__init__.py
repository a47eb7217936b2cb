"""The intake domain: matters, cases, materials, reuse, notices, licences, delivery, OCR jobs, metrics.

The public face: ``build_services(engine, archive, IntakeConfig)`` wires everything once and returns
``IntakeServices``; the names below are what adapters (``api``) may use. Everything else is private.
"""

from intake.cases import CaseActions, CaseService, CaseState, CaseView, FormService, MaterialView
from intake.db import IntakeBase, migrate
from intake.decision import Decision
from intake.delivery import (
    DeliveryConfig, DeliveryOrder, DeliveryService, HandoverConfig, Parcel, Recipient, Sender, ZplOptions,
)
from intake.documents import Caller, DocumentService, ReadContext
from intake.licences import (
    Authority, IssuedLicence, LicenceCheck, LicenceService, LicensingConfig, check_licence_pdf, public_status,
)
from intake.matters import Catalog, Matter
from intake.metrics import MetricsService
from intake.notices import NoticeService, NoticeView
from intake.ocr_jobs import JobView, OcrJobs
from intake.prefill import FilledField
from intake.services import IntakeConfig, IntakeServices, build_services
from intake.workdays import WorkCalendar

__all__ = [
    "Authority", "Caller", "CaseActions", "CaseService", "CaseState", "CaseView", "Catalog", "Decision",
    "DeliveryConfig", "DeliveryOrder", "DeliveryService", "DocumentService", "FilledField", "FormService",
    "HandoverConfig", "IntakeBase", "IntakeConfig", "IntakeServices", "IssuedLicence", "JobView", "LicenceCheck",
    "LicenceService", "LicensingConfig", "MaterialView", "Matter", "MetricsService", "NoticeService",
    "NoticeView", "OcrJobs", "Parcel", "ReadContext", "Recipient", "Sender", "WorkCalendar", "ZplOptions",
    "build_services", "check_licence_pdf", "migrate", "public_status",
]
