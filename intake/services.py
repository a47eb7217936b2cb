"""The one place the intake domain is wired: ``build_services(engine, archive, IntakeConfig)``.

Services are built in dependency order, each from explicit configuration; nothing reaches back
into a half-built whole. ``api.container`` maps ``Settings`` to an ``IntakeConfig`` and owns the
start and stop hooks; tests and benchmarks may call ``build_services`` directly.

    documents  (archive)
    licences   (archive, licensing config)            -> notice signer (the licences' seals)
    desk       (catalog, calendar, cases, notices, forms, actions, metrics)
    delivery   (cases, licences as the issued documents)
    ocr_jobs   (archive; hooked onto documents' on_stored)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from archive import Archive
from certgen import CjkFont, use_cjk_font
from intake.authenticity import signature_check
from intake.cases.desk import CaseDesk, build_case_desk
from intake.delivery.factory import build_delivery
from intake.delivery.handover import HandoverConfig
from intake.delivery.service import DeliveryConfig, DeliveryService
from intake.documents import DocumentService
from intake.licences.config import LicensingConfig
from intake.licences.seals import notice_signer
from intake.licences.service import LicenceService
from intake.jobs.api import JobQueue
from intake.jobs.runner import LEASE_SECONDS
from intake.ocr_jobs import OcrJobs
from standards import TEMPLATES_DIR
from ocr import OcrConfig

__all__ = ["IntakeConfig", "IntakeServices", "build_services"]


def job_queue(url: str | None, lease_seconds: float = LEASE_SECONDS) -> JobQueue | None:
    """The job port's adapter: None (the in-process default) or Celery on the broker at ``url``."""
    if not url:
        return None
    from intake.jobs.celery_app import CeleryQueue  # celery is imported only when configured

    return CeleryQueue(url, lease_seconds)


@dataclass(frozen=True)
class IntakeConfig:
    """Everything the domain needs to be built; no defaults that disagree with ``Settings``."""

    licensing: LicensingConfig
    ocr: OcrConfig
    matters_dir: Path = TEMPLATES_DIR / "matters"
    calendar_dir: Path = TEMPLATES_DIR / "calendar"
    notices_signed: bool = True
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    handover: HandoverConfig = field(default_factory=HandoverConfig)
    ocr_workers: int = 1
    ocr_on_upload: bool = True
    queue_url: str | None = None  # None: OCR in this process; amqp://… or redis://…: Celery workers
    job_lease_seconds: float = LEASE_SECONDS
    cjk_font: CjkFont | None = None  # None: the first installed of certgen's known CJK fonts
    citywide_centres: tuple[str, ...] = ()  # centres that may accept 全城通办 matters opened anywhere


@dataclass(frozen=True)
class IntakeServices:
    """The wired domain. Every service is built once; routes receive them one by one."""

    documents: DocumentService
    licences: LicenceService
    desk: CaseDesk
    """The case desk: catalog, calendar, cases, actions, forms, notices, metrics."""
    delivery: DeliveryService
    ocr_jobs: OcrJobs


def build_services(engine: Engine, archive: Archive, config: IntakeConfig) -> IntakeServices:
    """Build every intake service in dependency order (no closures over a container)."""
    use_cjk_font(config.cjk_font)  # every PDF rendered from here on (licences, notices, labels)
    documents = DocumentService(archive)
    licences = LicenceService(engine, archive, config.licensing)
    documents.signature_check = signature_check(lambda: licences.signers.trust)  # 真实性 at intake
    desk = build_case_desk(engine, archive, matters_dir=config.matters_dir, calendar_dir=config.calendar_dir,
                           notice_signer=notice_signer(licences) if config.notices_signed else None,
                           notice_signs_for=lambda department: licences.config.signs_for(department.name),
                           citywide_centres=config.citywide_centres)
    delivery = build_delivery(engine, archive, desk.cases, issued=licences, config=config.delivery,
                              handover_config=config.handover)
    ocr_jobs = OcrJobs(engine, archive, config.ocr, workers=config.ocr_workers, enabled=config.ocr_on_upload,
                       queue=job_queue(config.queue_url, config.job_lease_seconds), lease_seconds=config.job_lease_seconds)
    documents.in_transaction.append(ocr_jobs.in_transaction)
    documents.on_stored.append(ocr_jobs.on_stored)
    return IntakeServices(documents=documents, licences=licences, desk=desk, delivery=delivery, ocr_jobs=ocr_jobs)
