"""The composition root of the process: ``Settings`` -> ``IntakeConfig`` -> ``intake.build_services``.

This module only maps settings onto the domain's configuration and owns the explicit start and
stop hooks of what it built; the wiring itself is ``intake.build_services``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

import archive
import intake
from api.public_url import public_base_url
from api.settings import Settings
from certgen import CjkFont
from intake import (
    Authority, CaseDesk, CaseService, DeliveryConfig, DeliveryService, HandoverConfig, IntakeConfig,
    IntakeServices, LicenceService, LicensingConfig, Sender, ZplOptions,
)
from ocr import EngineConfig, InputLimits, OcrConfig
from standards import TEMPLATES_DIR

Hook = Callable[[], None]
log = logging.getLogger("onceonly.api")


@dataclass(frozen=True)
class Container:
    """What the process built: settings, engine, archive, the intake services and their hooks."""

    settings: Settings
    engine: Engine
    archive: archive.Archive
    services: IntakeServices
    starters: tuple[Hook, ...] = ()
    closers: tuple[Hook, ...] = ()

    # the services most callers (CLI, tests) reach for
    @property
    def cases(self) -> CaseService:
        return self.services.desk.cases

    @property
    def desk(self) -> CaseDesk:
        return self.services.desk

    @property
    def licences(self) -> LicenceService:
        return self.services.licences

    @property
    def delivery(self) -> DeliveryService:
        return self.services.delivery

    def start(self) -> None:
        for starter in self.starters:
            starter()

    def close(self) -> None:
        for closer in self.closers:
            closer()
        self.engine.dispose()


def in_background(name: str, work: Hook) -> Hook:
    """A starter that runs ``work`` on a daemon thread (start-up does not wait; a failure is logged)."""

    def run() -> None:
        try:
            work()
        except Exception:  # noqa: BLE001 - the first request meets the same failure and reports it
            log.warning("%s failed", name, exc_info=True)

    return lambda: threading.Thread(target=run, name=name, daemon=True).start()


def build_store(settings: Settings) -> archive.ObjectStore:
    """The configured store behind the one bounded executor of store calls (``archive.BoundedStore``)."""
    return archive.BoundedStore(_backend(settings), max_workers=settings.store_max_concurrency,
                                deadline_seconds=settings.store_deadline_seconds)


def _backend(settings: Settings) -> archive.ObjectStore:
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
        checks=intake_check_limits(settings), fetch_cache_seconds=settings.fetch_cache_seconds,
    )
    services = intake.build_services(engine, the_archive, intake_config(settings))
    starters = (services.ocr_jobs.start,) if settings.ocr_on_upload else ()  # models warm before uploads
    starters += (in_background("licence warm-up", services.licences.warm_up),)
    return Container(settings=settings, engine=engine, archive=the_archive, services=services,
                     starters=starters, closers=(services.ocr_jobs.close, the_archive.access.close,
                              the_archive.catalog_batcher.close))


def intake_config(settings: Settings) -> IntakeConfig:
    return IntakeConfig(
        licensing=licensing_config(settings), ocr=build_ocr_config(settings),
        matters_dir=settings.matters_dir or TEMPLATES_DIR / "matters",
        calendar_dir=settings.calendar_dir or TEMPLATES_DIR / "calendar",
        notices_signed=settings.notices_signed, delivery=delivery_config(settings),
        handover=handover_config(settings), ocr_workers=settings.ocr_workers, ocr_on_upload=settings.ocr_on_upload,
        cjk_font=cjk_font(settings), queue_url=settings.queue_url or None, job_lease_seconds=settings.job_lease_seconds,
        citywide_centres=settings.citywide_centre_ids,
    )


def cjk_font(settings: Settings) -> CjkFont | None:
    return CjkFont(settings.cjk_font, settings.cjk_font_index) if settings.cjk_font else None


def intake_check_limits(settings: Settings) -> archive.CheckLimits | None:
    """The 四性检测 bounds: OCR's own page and pixel limits, so every accepted file is readable by OCR."""
    if not settings.intake_checks:
        return None
    return archive.CheckLimits(max_pages=settings.ocr_max_pages, max_pixels=settings.ocr_max_pixels,
                               dpi=settings.ocr_dpi, max_seconds=settings.intake_check_seconds)


def base_url(settings: Settings) -> str:
    """Where licences' QR codes and CRLs point: the configured public URL, else where ``serve`` listens."""
    return public_base_url(settings.public_base_url, settings.host, settings.port)


def _path(value: Path | None) -> str | None:
    return str(value) if value else None


def build_ocr_config(settings: Settings) -> OcrConfig:
    engine = EngineConfig(name=settings.ocr_engine, threads=settings.ocr_threads,
                          det_model=_path(settings.ocr_det_model), rec_model=_path(settings.ocr_rec_model),
                          cls_model=_path(settings.ocr_cls_model), rec_keys=_path(settings.ocr_rec_keys),
                          max_side_len=settings.ocr_max_side_len, det_fallback=settings.ocr_det_fallback,
                          memory_arena=settings.ocr_memory_arena,
                          det_page_side=settings.ocr_det_page_side, rec_min_width=settings.ocr_rec_min_width)
    limits = InputLimits(max_pages=settings.ocr_max_pages, max_pixels=settings.ocr_max_pixels, dpi=settings.ocr_dpi)
    return OcrConfig(engine=engine, limits=limits, template_dir=_path(settings.ocr_templates_dir))


def delivery_config(settings: Settings) -> DeliveryConfig:
    return DeliveryConfig(
        waybill_scheme=settings.delivery_waybill_scheme, carrier=settings.delivery_carrier,
        sender=Sender(settings.delivery_sender_name, settings.delivery_sender_phone,
                      settings.delivery_sender_address),
        label_size=settings.delivery_label_size,
        zpl=ZplOptions(settings.delivery_zpl_text_mode, settings.delivery_zpl_printer_font),
    )


def handover_config(settings: Settings) -> HandoverConfig:
    return HandoverConfig(
        ttl_days=settings.handover_ttl_days, max_downloads=settings.handover_max_downloads,
        client_max_failures=settings.handover_client_max_failures,
        token_max_failures=settings.handover_token_max_failures,
        failure_window_seconds=settings.handover_failure_window_seconds,
    )


def licensing_config(settings: Settings) -> LicensingConfig:
    """``intake.LicensingConfig`` from the settings (also used by ``onceonly pki``)."""
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
        templates_dir=settings.licence_templates_dir or TEMPLATES_DIR / "licences",
        authorities=tuple(authorities), verify_base_url=base_url(settings), pki_dir=pki_dir,
        pades_level=settings.licence_pades_level, key_source=settings.licence_key_source, key_password=password,
        pkcs11_module=settings.licence_pkcs11_module, pkcs11_token_label=settings.licence_pkcs11_token_label,
        pkcs11_pin=settings.licence_pkcs11_pin, pkcs11_key_label=settings.licence_pkcs11_key_label,
        tsa_url=settings.licence_tsa_url, trust_roots=settings.licence_trust_roots, crls=settings.licence_crls,
        retention_days=settings.licence_retention_days,
        auto_pki=settings.licence_auto_pki and settings.licence_key_source == "file",
        crl_base_url=f"{base_url(settings)}/pki",
    )
