"""The composition root: builds every component from ``Settings`` once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

import archive
import intake
from api.settings import Settings
from intake.documents import DocumentService


@dataclass
class Container:
    settings: Settings
    engine: Engine
    archive: archive.Archive
    documents: DocumentService
    extras: dict[str, Any] = field(default_factory=dict)

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
    return container
