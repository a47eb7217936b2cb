"""The composition root: builds every component from ``Settings`` once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

import archive
import intake
from api.public_url import public_base_url
from api.settings import Settings
from intake.documents import DocumentService


@dataclass
class Container:
    settings: Settings
    engine: Engine
    archive: archive.Archive
    documents: DocumentService
    extras: dict[str, Any] = field(default_factory=dict)
    delivery: Any = None  # intake.delivery.DeliveryService
    licences: Any = None  # intake.licences.LicenceService
    ocr_jobs: Any = None  # intake.ocr_jobs.OcrJobs
    desk: Any = None  # intake.cases.desk.CaseDesk (matters, cases, notices, metrics)
    cases: Any = None  # intake.cases.CaseService (= desk.cases)

    def close(self) -> None:
        for closer in self.extras.get("_closers", []):
            closer()
        self.engine.dispose()


def build_store(settings: Settings) -> archive.ObjectStore:
    if settings.store == "s3":
        return archive.S3Store(archive.S3Config(
            endpoint=settings.s3_endpoint, bucket=settings.s3_bucket, access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key, region=settings.s3_region, secure=settings.s3_secure,
            ca_file=str(settings.s3_ca_file) if settings.s3_ca_file else None,
            timeout_seconds=settings.s3_timeout_seconds, retries=settings.s3_retries,
            retention_days=settings.retention_days,
        ))
    return archive.LocalStore(settings.effective_store_path)


def build_container(settings: Settings, *, migrate: bool = True) -> Container:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = archive.make_engine(settings.effective_database_url)
    if migrate:
        archive.migrate(engine)
        intake.migrate(engine)
    the_archive = archive.Archive(
        build_store(settings), engine, retention_days=settings.retention_days,
        max_upload_bytes=settings.max_upload_bytes, allowed_media_types=tuple(settings.allowed_media_types),
    )
    container = Container(
        settings=settings, engine=engine, archive=the_archive, documents=DocumentService(the_archive),
    )
    # feature services are attached below (one line each)
    container.desk = build_case_desk(settings, container)
    container.cases = container.desk.cases
    container.licences = build_licence_service(settings, container)
    container.delivery = build_delivery_service(settings, container)
    container.ocr_jobs = build_ocr_jobs(settings, container)
    return container


def build_ocr_config(settings: Settings) -> Any:
    from ocr import EngineConfig, InputLimits, OcrConfig

    def path(value: Any) -> str | None:
        return str(value) if value else None

    engine = EngineConfig(name=settings.ocr_engine, threads=settings.ocr_threads,
                          det_model=path(settings.ocr_det_model), rec_model=path(settings.ocr_rec_model),
                          cls_model=path(settings.ocr_cls_model), rec_keys=path(settings.ocr_rec_keys),
                          max_side_len=settings.ocr_max_side_len)
    limits = InputLimits(max_pages=settings.ocr_max_pages, max_pixels=settings.ocr_max_pixels, dpi=settings.ocr_dpi)
    return OcrConfig(engine=engine, limits=limits, template_dir=path(settings.ocr_templates_dir))


def build_ocr_jobs(settings: Settings, container: Container) -> Any:
    from intake.ocr_jobs import OcrJobs

    jobs = OcrJobs(container.engine, container.archive, build_ocr_config(settings),
                   workers=settings.ocr_workers, enabled=settings.ocr_on_upload)
    container.documents.on_stored.append(jobs.on_stored)
    container.extras.setdefault("_closers", []).insert(0, jobs.close)
    if settings.ocr_on_upload:
        container.extras.setdefault("_starters", []).append(jobs.start)  # models warm before uploads
    return jobs


def build_case_desk(settings: Settings, container: Container) -> Any:
    from pathlib import Path

    from intake.cases.desk import build_case_desk as build

    templates = Path(__file__).resolve().parents[1] / "templates"
    return build(container.engine, container.archive, matters_dir=settings.matters_dir or templates / "matters",
                 calendar_dir=settings.calendar_dir or templates / "calendar",
                 notice_signer=notice_signer(container) if settings.notices_signed else None,
                 notice_signs_for=lambda department: any(
                     a.name == department.name for a in container.licences.config.authorities))


def notice_signer(container: Container) -> Any:
    """Sign notices like licences, with the seal of the authority named as the notice's department
    (a department without one gets unsigned notices, clearly marked, never another body's seal)."""
    from certgen import sign_pdf

    def sign(pdf: bytes, spots: Any, department: str = "") -> bytes:
        licences = container.licences
        authorities = licences.config.authorities
        authority = next(a for a in authorities if a.name == department)  # signs_for checked it
        signer = licences.signers.get(authority)
        for index, spot in enumerate(spots, start=1):
            box = (spot.x, spot.y, spot.x + spot.width, spot.y + spot.height)
            pdf = sign_pdf(pdf, signer, field_name=f"Seal{index}", seal_box=box, page=spot.page - 1,
                           reason="告知书电子印章")
        return pdf

    return sign


def build_delivery_service(settings: Settings, container: Container) -> Any:
    from intake.delivery import DeliveryConfig, HandoverConfig, Sender, ZplOptions, build_delivery

    config = DeliveryConfig(
        waybill_scheme=settings.delivery_waybill_scheme, carrier=settings.delivery_carrier,
        sender=Sender(settings.delivery_sender_name, settings.delivery_sender_phone,
                      settings.delivery_sender_address),
        label_size=settings.delivery_label_size,
        zpl=ZplOptions(settings.delivery_zpl_text_mode, settings.delivery_zpl_printer_font),
    )
    handover = HandoverConfig(
        ttl_days=settings.handover_ttl_days, max_downloads=settings.handover_max_downloads,
        client_max_failures=settings.handover_client_max_failures,
        token_max_failures=settings.handover_token_max_failures,
        failure_window_seconds=settings.handover_failure_window_seconds,
    )
    cases = getattr(container, "cases", None)  # the case service, once the container builds one
    issued = getattr(container, "licences", None)  # needs .issued_document_ids(case_id)
    return build_delivery(container.engine, container.archive, cases,
                          issued=issued if hasattr(issued, "issued_document_ids") else None,
                          config=config, handover_config=handover)


def build_licence_service(settings: Settings, container: Container) -> Any:
    from intake.licences import LicenceService

    return LicenceService(container.engine, container.archive, licensing_config(settings))


def licensing_config(settings: Settings) -> Any:
    """``intake.licences.LicensingConfig`` from the settings (also used by ``onceonly pki``)."""
    from pathlib import Path

    from intake.licences import Authority, LicensingConfig

    authorities = []
    for entry in settings.licence_authorities:
        code, _, rest = entry.partition(":")
        name, _, region = rest.partition(":")
        code = code.strip().upper()
        image = settings.licence_seal_dir / f"{code}.png" if settings.licence_seal_dir else None
        authorities.append(Authority(code=code, name=name.strip(), region_code=region.strip(),
                                     seal_image=image if image and image.is_file() else None))
    pki_dir = settings.pki_dir or settings.data_dir / "pki"
    password = settings.licence_key_password.encode("utf-8") if settings.licence_key_password else None
    return LicensingConfig(
        templates_dir=settings.licence_templates_dir or Path(__file__).resolve().parents[1] / "templates" / "licences",
        authorities=tuple(authorities), verify_base_url=public_base_url(settings.public_base_url, settings.host, settings.port), pki_dir=pki_dir,
        pades_level=settings.licence_pades_level, key_source=settings.licence_key_source, key_password=password,
        pkcs11_module=settings.licence_pkcs11_module, pkcs11_token_label=settings.licence_pkcs11_token_label,
        pkcs11_pin=settings.licence_pkcs11_pin, pkcs11_key_label=settings.licence_pkcs11_key_label,
        tsa_url=settings.licence_tsa_url, trust_roots=settings.licence_trust_roots, crls=settings.licence_crls,
        retention_days=settings.licence_retention_days,
        auto_pki=settings.licence_auto_pki and settings.licence_key_source == "file",
        crl_base_url=f"{public_base_url(settings.public_base_url, settings.host, settings.port)}/pki",
    )
