"""All configuration, from environment variables prefixed ``ONCEONLY_`` (one place only).

Leaf packages never read the environment: ``api.container`` builds them from a ``Settings``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    s3_region: str = "us-east-1"
    s3_secure: bool = False
    s3_ca_file: Path | None = None
    s3_timeout_seconds: float = 10.0
    s3_retries: int = 3
    retention_days: int = Field(default=3650, ge=1, description="default WORM retention of originals")

    # uploads
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    allowed_media_types: tuple[str, ...] = (
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/tiff",
        "image/heic",
    )

    # HTTP
    host: str = "127.0.0.1"
    port: int = 8000
    public_base_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"

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
    def effective_store_path(self) -> Path:
        return (self.store_path or self.data_dir / "objects").expanduser().resolve()
