"""Any S3-compatible server through the ``minio`` SDK, with object lock (WORM) and SHA-256 checksums.

Uploads up to ``part_size`` go in one PUT; larger ones as a multipart upload whose parts are read
one at a time (memory stays bounded by one part) and each carries its own ``x-amz-checksum-sha256``.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import BinaryIO, Callable, Iterator
from xml.etree import ElementTree as ET

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, GOVERNANCE
from minio.error import S3Error
from minio.helpers import genheaders
from minio.objectlockconfig import DAYS, ObjectLockConfig
from minio.retention import Retention

from archive.errors import ArchiveError, ObjectConflictError, ObjectMissingError, RetentionError, StoreUnavailableError
from archive.store.api import CHUNK_SIZE, ObjectInfo

_NETWORK_ERRORS = (urllib3.exceptions.HTTPError, OSError)
_S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


@dataclass(frozen=True)
class S3Config:
    endpoint: str
    bucket: str
    access_key: str
    secret_key: str
    region: str = "us-east-1"
    secure: bool = False
    ca_file: str | None = None
    timeout_seconds: float = 10.0
    retries: int = 3
    retention_days: int = 3650
    retention_mode: str = COMPLIANCE
    part_size: int = 5 * 1024 * 1024  # S3 minimum part size; bounds memory per upload


class S3Store:
    name = "s3"

    def __init__(self, config: S3Config) -> None:
        self.config = config
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=config.timeout_seconds, read=config.timeout_seconds),
            retries=urllib3.Retry(
                total=config.retries, backoff_factor=0.2, status_forcelist=(500, 502, 503, 504),
                allowed_methods=None,
            ),
            maxsize=16,
            cert_reqs="CERT_REQUIRED" if config.secure else "CERT_NONE",
            ca_certs=config.ca_file,
        )
        self.client = Minio(
            config.endpoint, access_key=config.access_key, secret_key=config.secret_key,
            secure=config.secure, region=config.region, http_client=http,
        )
        self._bucket_ready = False
        self._state = threading.Condition()
        self._setting_up = False
        self._writers = 0

    def ensure_bucket(self) -> None:
        """Set the bucket up once, before the first put: create it with object lock (and so
        versioning) when absent, give it the default retention when it lacks one, and verify both.
        Concurrent first uploads wait for the one set-up; no put runs while it is under way."""
        if self._bucket_ready:
            return
        with self._state:
            while self._setting_up:
                self._state.wait()
            if self._bucket_ready:
                return
            self._setting_up = True
            while self._writers:
                self._state.wait()
        try:
            self._set_up()
        finally:
            with self._state:
                self._setting_up = False
                self._state.notify_all()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self._state:
            while self._setting_up:
                self._state.wait()
            self._writers += 1
        try:
            yield
        finally:
            with self._state:
                self._writers -= 1
                self._state.notify_all()

    def _set_up(self) -> None:
        with _translate():
            bucket = self.config.bucket
            if not self.client.bucket_exists(bucket):
                try:
                    self.client.make_bucket(bucket, object_lock=True)
                except S3Error as exc:  # another process created it first: configure and verify below
                    if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                        raise
            if not self._has_default_retention():
                mode = COMPLIANCE if self.config.retention_mode == COMPLIANCE else GOVERNANCE
                self.client.set_object_lock_config(bucket, ObjectLockConfig(mode, self.config.retention_days, DAYS))
                if not self._has_default_retention():
                    raise StoreUnavailableError(f"bucket {bucket} did not keep its default retention")
            self._bucket_ready = True

    def _has_default_retention(self) -> bool:
        try:
            config = self.client.get_object_lock_config(self.config.bucket)
        except S3Error as exc:
            if exc.code == "ObjectLockConfigurationNotFoundError":
                return False
            raise
        return config.mode is not None and config.duration is not None

    def put(
        self, key: str, source: BinaryIO, size: int, sha256: str, *, content_type: str,
        retain_until: datetime | None,
    ) -> None:
        start = source.tell()
        for attempt in range(2):
            self.ensure_bucket()
            with self._writing():
                try:
                    self._put(key, source, size, sha256, content_type=content_type, retain_until=retain_until)
                    return
                except StoreUnavailableError as exc:
                    if attempt or not (isinstance(exc.__cause__, S3Error) and exc.__cause__.code == "NoSuchBucket"):
                        raise
                    self._bucket_ready = False  # the bucket went away (a new, empty server): set up, retry once
            source.seek(start)

    def stage(
        self, key: str, source: BinaryIO, size: int, sha256: str, *, content_type: str,
        retain_until: datetime | None,
    ) -> "DeferredPut":
        """Nothing is sent before the verdict: under object lock a sent object could not be removed
        again. (A multipart upload completed only after it would be the way, but not every server keeps
        the lock headers of CreateMultipartUpload — moto drops them — so the put simply waits.)"""
        return DeferredPut(lambda: self.put(key, source, size, sha256, content_type=content_type,
                                            retain_until=retain_until))

    def _put(
        self, key: str, source: BinaryIO, size: int, sha256: str, *, content_type: str,
        retain_until: datetime | None,
    ) -> None:
        existing = self._stat(key)
        if existing is not None:
            incoming = hashlib.sha256()
            while chunk := source.read(CHUNK_SIZE):
                incoming.update(chunk)
            if incoming.hexdigest() != sha256 or existing.size != size or self._remote_sha256(key) != sha256:
                raise ObjectConflictError(f"object {key} exists with different bytes")
            return
        retention = None
        if retain_until is not None:
            retention = Retention(self.config.retention_mode, retain_until.astimezone(timezone.utc))
        headers = genheaders({"x-amz-meta-sha256": sha256}, None, None, retention, False)
        headers["Content-Type"] = content_type
        with _translate():
            if size <= self.config.part_size:
                data = source.read(size)
                digest = hashlib.sha256(data)
                if len(data) != size or digest.hexdigest() != sha256:
                    raise ObjectConflictError(f"object {key}: bytes do not match the announced checksum")
                headers["x-amz-checksum-sha256"] = _b64(digest.digest())
                headers["x-amz-sdk-checksum-algorithm"] = "SHA256"
                self.client._put_object(self.config.bucket, key, data, headers)  # noqa: SLF001
            else:
                self._multipart_put(key, source, size, sha256, headers)

    def _multipart_put(self, key: str, source: BinaryIO, size: int, sha256: str, headers: dict) -> None:
        bucket = self.config.bucket
        headers["x-amz-checksum-algorithm"] = "SHA256"
        headers["x-amz-sdk-checksum-algorithm"] = "SHA256"
        upload_id = self.client._create_multipart_upload(bucket, key, headers)  # noqa: SLF001
        parts: list[tuple[int, str, str]] = []
        whole = hashlib.sha256()
        try:
            remaining, number = size, 0
            while remaining > 0:
                number += 1
                data = source.read(min(self.config.part_size, remaining))
                if not data:
                    raise ObjectConflictError(f"object {key}: source ended {remaining} bytes early")
                remaining -= len(data)
                whole.update(data)
                checksum = _b64(hashlib.sha256(data).digest())
                etag = self.client._upload_part(  # noqa: SLF001
                    bucket, key, data,
                    {"x-amz-checksum-sha256": checksum, "x-amz-sdk-checksum-algorithm": "SHA256"},
                    upload_id, number,
                )
                parts.append((number, etag, checksum))
            if whole.hexdigest() != sha256:
                raise ObjectConflictError(f"object {key}: bytes do not match the announced checksum")
            self._complete(key, upload_id, parts)
        except BaseException:
            try:
                self.client._abort_multipart_upload(bucket, key, upload_id)  # noqa: SLF001
            except Exception:  # noqa: BLE001 - the original error matters more
                pass
            raise

    def _complete(self, key: str, upload_id: str, parts: list[tuple[int, str, str]]) -> None:
        root = ET.Element("CompleteMultipartUpload", xmlns=_S3_NS)
        for number, etag, checksum in parts:
            part = ET.SubElement(root, "Part")
            ET.SubElement(part, "PartNumber").text = str(number)
            ET.SubElement(part, "ETag").text = f'"{etag}"'
            ET.SubElement(part, "ChecksumSHA256").text = checksum
        body = ET.tostring(root)
        self.client._execute(  # noqa: SLF001
            "POST", self.config.bucket, key, body=body,
            headers={"Content-Type": "application/xml", "Content-MD5": _b64(hashlib.md5(body).digest())},
            query_params={"uploadId": upload_id},
        )

    def _remote_sha256(self, key: str) -> str:
        digest = hashlib.sha256()
        for chunk in self._open(key):
            digest.update(chunk)
        return digest.hexdigest()

    def open(self, key: str) -> Iterator[bytes]:
        self.ensure_bucket()
        return self._open(key)

    def _open(self, key: str) -> Iterator[bytes]:
        with _translate(key):
            response = self.client.get_object(self.config.bucket, key)
        return _iter_response(response)

    def stat(self, key: str) -> ObjectInfo | None:
        self.ensure_bucket()
        return self._stat(key)

    def _stat(self, key: str) -> ObjectInfo | None:
        try:
            with _translate(key):
                info = self.client.stat_object(self.config.bucket, key)
        except ObjectMissingError:
            return None
        # HEAD carries the lock headers (GetObjectRetention is not implemented by every server)
        until = (info.metadata or {}).get("x-amz-object-lock-retain-until-date")
        retain = datetime.fromisoformat(until.replace("Z", "+00:00")) if until else None
        return ObjectInfo(key=key, size=int(info.size or 0), retain_until=retain)

    def delete(self, key: str) -> None:
        info = self.stat(key)
        if info is None:
            return
        if info.retain_until is not None and info.retain_until > datetime.now(timezone.utc):
            raise RetentionError(f"object {key} is retained until {info.retain_until.isoformat()}")
        with _translate(key):
            for version in self.client.list_objects(self.config.bucket, prefix=key, include_version=True):
                if version.object_name == key:
                    self.client.remove_object(self.config.bucket, key, version_id=version.version_id)

    def keys(self) -> Iterator[str]:
        self.ensure_bucket()
        with _translate():
            for obj in self.client.list_objects(self.config.bucket, recursive=True):
                if obj.object_name and not obj.is_dir:
                    yield obj.object_name

    def ping(self) -> None:
        """What an upload needs, checked now (never cached): the bucket set up (created and given its
        retention if a new server lost it) and verified, and writable — a multipart upload is started
        and aborted, so no object is left."""
        with _translate():
            verified = self.client.bucket_exists(self.config.bucket) and self._has_default_retention()
        if not verified:
            self._bucket_ready = False
            self.ensure_bucket()
        with _translate():
            probe = "readyz/probe"
            upload_id = self.client._create_multipart_upload(self.config.bucket, probe, {})  # noqa: SLF001
            self.client._abort_multipart_upload(self.config.bucket, probe, upload_id)  # noqa: SLF001


class DeferredPut:
    """A staged put that does all its work in ``commit``; ``abort`` has nothing to undo."""

    def __init__(self, put: Callable[[], None]) -> None:
        self._put: Callable[[], None] | None = put

    def commit(self) -> None:
        put, self._put = self._put, None
        if put is not None:
            put()

    def abort(self) -> None:
        self._put = None


def _iter_response(response: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
    try:
        for chunk in response.stream(CHUNK_SIZE):
            yield chunk
    except _NETWORK_ERRORS as exc:
        raise StoreUnavailableError(f"object store connection lost while reading: {exc}") from exc
    finally:
        response.close()
        response.release_conn()


class _translate:
    """Map minio/urllib3 failures to archive errors."""

    def __init__(self, key: str | None = None) -> None:
        self.key = key

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None or isinstance(exc, ArchiveError):
            return False
        if isinstance(exc, S3Error):
            if exc.code in ("NoSuchKey", "NoSuchObject", "NoSuchVersion"):
                raise ObjectMissingError(f"object {self.key} is missing") from exc
            if exc.code in ("AccessDenied",) and "retention" in (exc.message or "").lower():
                raise RetentionError(str(exc.message)) from exc
            raise StoreUnavailableError(f"object store error {exc.code}: {exc.message}") from exc
        if isinstance(exc, _NETWORK_ERRORS):
            raise StoreUnavailableError(f"object store unreachable: {exc}") from exc
        return False


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
