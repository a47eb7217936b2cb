"""All configuration, from environment variables prefixed ``ONCEONLY_`` (one place only).

Leaf packages never read the environment: ``api.container`` builds them from a ``Settings``.
A default that the configured object also has is taken from it, so the two cannot disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from archive import S3Config
from archive.fetch_cache import CACHE_SECONDS as FETCH_CACHE_SECONDS
from intake import DeliveryConfig, HandoverConfig, IntakeConfig, LicensingConfig, Sender, ZplOptions
from ocr import EngineConfig, InputLimits


class Settings(BaseSettings):
    """Service settings. Every field can be set as ``ONCEONLY_<FIELD>`` (upper case)."""

    model_config = SettingsConfigDict(env_prefix="ONCEONLY_", env_file=None, extra="ignore")

    # where the embedded default keeps everything
    data_dir: Path = Path("./var")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file in data_dir"
    )

    # object store
    store: Literal["local", "s3"] = "local"
    store_path: Path | None = Field(default=None, description="local store folder; default data_dir/objects")
    s3_endpoint: str = "127.0.0.1:9000"
    s3_bucket: str = "onceonly-archive"
    s3_access_key: str = "onceonly"
    s3_secret_key: str = "onceonly-secret"
    s3_region: str = S3Config.region
    s3_secure: bool = S3Config.secure
    s3_ca_file: Path | None = None
    s3_timeout_seconds: float = S3Config.timeout_seconds
    s3_retries: int = S3Config.retries
    store_max_concurrency: int = Field(default=16, ge=1, description="object-store calls in flight at once; "
                                       "more are refused at once with 503 (request threads stay free)")
    store_deadline_seconds: float = Field(default=10.0, gt=0, description="total time one object-store call "
                                          "may take, retries included, before the caller gets 503")
    retention_days: int = Field(default=S3Config.retention_days, ge=1, description="default WORM retention of originals")
    fetch_cache_seconds: float = Field(default=FETCH_CACHE_SECONDS, ge=0, description="how long a fetch by ID "
                                       "may reuse a document's catalog row and re-check verdict; a failed re-check "
                                       "stops a document being served within this bound (0: read the catalog every time)")

    # uploads
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    allowed_media_types: tuple[str, ...] = (
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/tiff",
        "image/heic",
        "application/ofd",  # OFD licences (GB/T 33190)
    )
    intake_checks: bool = Field(default=True, description="四性检测 on every upload before it is stored")
    intake_check_seconds: float = Field(default=30.0, gt=0, description="time budget of one upload's checks")

    # HTTP
    host: str = "127.0.0.1"
    port: int = 8000
    public_base_url: str | None = Field(
        default=None, description="base URL of licence QR codes; unset: http://{host}:{port} of serve")
    forwarded_allow_ips: str = Field(
        default="",
        description="reverse proxies whose X-Forwarded-For names the client (comma-separated IPs or "
                    "CIDRs; '' — the default — trusts none, so a client cannot pick its own address). "
                    "Per-client limits (hand-over links) key on that client.",
    )
    log_level: str = "INFO"

    # rendering: the TrueType CJK font embedded in every PDF (licences, notices, labels)
    cjk_font: Path | None = Field(default=None, description="a .ttf/.ttc with Chinese glyphs; default: "
                                  "the first installed of wqy-zenhei, wqy-microhei, AR PL UMing")
    cjk_font_index: int = Field(default=0, ge=0, description="subfont of a .ttc collection")

    # delivery (courier labels, waybills, hand-over links)
    delivery_waybill_scheme: str = Field(default=DeliveryConfig.waybill_scheme,
                                         description="'s10:EA:CN' or 'digits:13:98'")
    delivery_carrier: str = DeliveryConfig.carrier
    delivery_sender_name: str = Sender.name
    delivery_sender_phone: str = Sender.phone
    delivery_sender_address: str = Sender.address
    delivery_label_size: Literal["100x150", "76x130"] = DeliveryConfig.label_size  # type: ignore[assignment]
    delivery_zpl_text_mode: Literal["graphic", "font"] = ZplOptions.text_mode
    delivery_zpl_printer_font: str = ZplOptions.printer_font
    handover_ttl_days: int = Field(default=HandoverConfig.ttl_days, ge=1, le=365)
    handover_max_downloads: int = Field(default=HandoverConfig.max_downloads, ge=1, le=100)
    handover_client_max_failures: int = Field(default=HandoverConfig.client_max_failures, ge=1)
    handover_token_max_failures: int = Field(default=HandoverConfig.token_max_failures, ge=1)
    handover_failure_window_seconds: int = Field(default=HandoverConfig.failure_window_seconds, ge=1)

    # licences (signed e-licences): authorities "USCC:name[:region code]", keys, TSA, trust
    licence_templates_dir: Path | None = Field(default=None, description="default: templates/licences")
    pki_dir: Path | None = Field(default=None, description="dev PKI folder; default data_dir/pki")
    licence_auto_pki: bool = Field(default=True, description="create the dev PKI on first start if missing")
    # the first is the default issuer; a case's licence and notices are issued by its department's
    # authority (templates/matters: department.name or department.authority_code)
    licence_authorities: tuple[str, ...] = ("11330302MB01234564:温州市鹿城区市场监督管理局:330302",
                                            "11330300MB01234567:温州市市场监督管理局:330300")
    licence_pades_level: Literal["B-B", "B-T", "B-LT", "B-LTA"] = LicensingConfig.pades_level  # type: ignore[assignment]
    licence_seal_dir: Path | None = Field(default=None, description="seal images <USCC>.png; default: drawn")
    licence_key_source: Literal["file", "pkcs11"] = LicensingConfig.key_source  # type: ignore[assignment]
    licence_key_password: str | None = None
    licence_pkcs11_module: str = LicensingConfig.pkcs11_module
    licence_pkcs11_token_label: str = LicensingConfig.pkcs11_token_label
    licence_pkcs11_pin: str = LicensingConfig.pkcs11_pin
    licence_pkcs11_key_label: str = LicensingConfig.pkcs11_key_label
    licence_tsa_url: str | None = Field(default=None, description="RFC 3161 TSA; default: the dev PKI's, in-process")
    licence_trust_roots: tuple[Path, ...] = ()
    licence_crls: tuple[Path, ...] = ()
    licence_retention_days: int = Field(default=LicensingConfig.retention_days, ge=1)

    # intake: matter catalog and working-day calendar (YAML folders), notice signing
    matters_dir: Path | None = Field(default=None, description="matter YAML folder; default templates/matters")
    calendar_dir: Path | None = Field(default=None, description="holiday calendars; default templates/calendar")
    notices_signed: bool = Field(default=IntakeConfig.notices_signed, description="sign notices with a licence authority's e-seal")
    citywide_centres: str = Field(
        default=",".join(IntakeConfig.citywide_centres),
        description="service centres (comma-separated ids, e.g. 'wz-lucheng,wz-ouhai') that may accept and "
                    "work 全城通办 matters (citywide: true) opened at any centre; '' — the default — none: "
                    "every centre works its own cases only")

    # OCR intake (engine, limits, in-process job workers)
    ocr_on_upload: bool = Field(default=IntakeConfig.ocr_on_upload, description="start an OCR job for every new upload")
    ocr_workers: int = Field(default=IntakeConfig.ocr_workers, ge=1, le=16, description="in-process OCR worker threads")
    ocr_engine: str = EngineConfig.name
    ocr_threads: int = Field(default=EngineConfig.threads, ge=1, le=64, description="engine threads per worker (capped at CPUs)")
    ocr_det_model: Path | None = None
    ocr_det_fallback: bool = Field(default=EngineConfig.det_fallback, description="with a fast OCR_DET_MODEL: documents whose reading or fields fall short are read again with the wheel's own detector")
    ocr_memory_arena: bool = Field(default=EngineConfig.memory_arena, description="onnxruntime reuses its buffers between inferences (faster, same readings, more resident memory)")
    ocr_det_page_side: int | None = Field(default=EngineConfig.det_page_side, ge=320, le=8000, description="long side a scan (a page not enlarged for the detector) is detected at, at most (default 1280; 2000 = max_side_len detects every page as before); speckled (salt-and-pepper) pages are always detected at max_side_len")
    ocr_rec_min_width: int = Field(default=EngineConfig.rec_min_width, ge=48, le=2000, description="narrowest recogniser input in px (lines are 48 px high; RapidOCR's own is 320)")
    ocr_rec_model: Path | None = None
    ocr_cls_model: Path | None = None
    ocr_rec_keys: Path | None = Field(default=None, description="character list of a recogniser that embeds none")
    ocr_max_side_len: int = Field(default=EngineConfig.max_side_len, ge=320, le=8000)
    ocr_dpi: int = Field(default=InputLimits.dpi, ge=50, le=600, description="PDF rendering resolution")
    ocr_max_pages: int = Field(default=InputLimits.max_pages, ge=1)
    ocr_max_pixels: int = Field(default=InputLimits.max_pixels, ge=1_000_000)
    ocr_templates_dir: Path | None = Field(default=None, description="default: templates/doctypes")

    # background jobs: in-process by default; with a broker URL, on Celery workers (docs/scale.md)
    queue_url: str | None = Field(default=IntakeConfig.queue_url, description="amqp://… or redis://…: OCR runs on `onceonly worker` processes, not in the API")
    job_lease_seconds: float = Field(default=IntakeConfig.job_lease_seconds, ge=2, le=3600, description="a job's lease; renewed while it runs, taken over when it expires")

    @field_validator("data_dir", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'onceonly.db'}"

    @property
    def citywide_centre_ids(self) -> tuple[str, ...]:
        return tuple(c.strip().lower() for c in self.citywide_centres.split(",") if c.strip())

    @property
    def effective_store_path(self) -> Path:
        return (self.store_path or self.data_dir / "objects").expanduser().resolve()
