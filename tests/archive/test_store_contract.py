"""One contract, two stores: a folder and a real S3 server (moto) spoken to through the minio SDK."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from archive import (
    LocalStore, ObjectConflictError, ObjectMissingError, ObjectStore, RetentionError, S3Config, S3Store,
    StoreUnavailableError, object_key,
)


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalStore(tmp_path / "objects")
    config = request.getfixturevalue("s3_config")
    return S3Store(S3Config(**{**config.__dict__, "part_size": 5 * 1024 * 1024}))


def _put(store: ObjectStore, data: bytes, *, retain: timedelta | None = timedelta(days=1)) -> str:
    sha = hashlib.sha256(data).hexdigest()
    key = object_key(sha)
    until = datetime.now(timezone.utc) + retain if retain else None
    store.put(key, io.BytesIO(data), len(data), sha, content_type="application/pdf", retain_until=until)
    return key


def test_stored_bytes_come_back_exactly(store: ObjectStore) -> None:
    data = b"%PDF-1.7\n" + os.urandom(70_000)
    key = _put(store, data)
    assert b"".join(store.open(key)) == data
    info = store.stat(key)
    assert info is not None and info.size == len(data)
    assert info.retain_until is not None and info.retain_until > datetime.now(timezone.utc)
    assert key in set(store.keys())


def test_putting_identical_bytes_again_is_a_no_op(store: ObjectStore) -> None:
    data = b"%PDF-1.4 same scan"
    key = _put(store, data)
    assert _put(store, data) == key
    assert list(store.keys()).count(key) == 1


def test_existing_object_is_never_overwritten_with_other_bytes(store: ObjectStore) -> None:
    original = b"%PDF-1.4 original"
    key = _put(store, original)
    other = b"%PDF-1.4 forged!"
    with pytest.raises(ObjectConflictError):
        store.put(key, io.BytesIO(other), len(other), hashlib.sha256(original).hexdigest(),
                  content_type="application/pdf", retain_until=None)
    assert b"".join(store.open(key)) == original


def test_bytes_that_do_not_match_the_announced_checksum_are_refused(store: ObjectStore) -> None:
    claimed = hashlib.sha256(b"what the client said").hexdigest()
    with pytest.raises(ObjectConflictError):
        store.put(object_key(claimed), io.BytesIO(b"something else"), 14, claimed,
                  content_type="application/pdf", retain_until=None)
    assert store.stat(object_key(claimed)) is None


def test_deleting_a_retained_object_is_refused(store: ObjectStore) -> None:
    key = _put(store, b"%PDF-1.4 retained")
    with pytest.raises(RetentionError):
        store.delete(key)
    assert store.stat(key) is not None


def test_large_objects_stream_in_parts_and_come_back_intact(store: ObjectStore) -> None:
    data = os.urandom(11 * 1024 * 1024 + 123)
    key = _put(store, data)
    digest = hashlib.sha256()
    biggest = 0
    for chunk in store.open(key):
        digest.update(chunk)
        biggest = max(biggest, len(chunk))
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert biggest <= 1024 * 1024  # streamed in chunks, never one whole-file buffer


def test_missing_object_is_reported(store: ObjectStore) -> None:
    key = object_key("0" * 64)
    assert store.stat(key) is None
    with pytest.raises(ObjectMissingError):
        b"".join(store.open(key))


def _stage(store: ObjectStore, data: bytes):  # type: ignore[no-untyped-def]
    sha = hashlib.sha256(data).hexdigest()
    until = datetime.now(timezone.utc) + timedelta(days=1)
    return object_key(sha), store.stage(object_key(sha), io.BytesIO(data), len(data), sha,
                                        content_type="application/pdf", retain_until=until)


def test_a_staged_object_is_invisible_until_committed_and_then_exact(store: ObjectStore) -> None:
    data = os.urandom(300 * 1024)
    key, staged = _stage(store, data)
    assert store.stat(key) is None and key not in list(store.keys())
    staged.commit()
    assert b"".join(store.open(key)) == data
    assert store.stat(key).retain_until is not None  # type: ignore[union-attr]


def test_an_aborted_stage_leaves_no_object(store: ObjectStore, tmp_path: Path) -> None:
    key, staged = _stage(store, os.urandom(200 * 1024))
    staged.abort()
    assert store.stat(key) is None and list(store.keys()) == []
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # local: no temp file, no retention record
    if isinstance(store, S3Store):  # no multipart upload left in progress either
        assert store.client._list_multipart_uploads(store.config.bucket).uploads == []  # noqa: SLF001


def test_staging_bytes_that_exist_keeps_the_object_and_abort_does_not_remove_it(store: ObjectStore) -> None:
    key = _put(store, b"%PDF-1.4 already here")
    _, staged = _stage(store, b"%PDF-1.4 already here")
    staged.abort()
    assert b"".join(store.open(key)) == b"%PDF-1.4 already here"
    with pytest.raises(ObjectConflictError):  # when staging (local) or committing (S3: nothing is sent before)
        store.stage(key, io.BytesIO(b"other"), 5, hashlib.sha256(b"other").hexdigest(),
                    content_type="x", retain_until=None).commit()


def test_local_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "objects")
    _put(store, b"%PDF-1.4 a")
    with pytest.raises(ObjectConflictError):
        store.put(object_key("1" * 64), io.BytesIO(b"x"), 1, "1" * 64, content_type="x", retain_until=None)
    leftovers = [p for p in (tmp_path / "objects").rglob(".*") if p.is_file()]
    assert leftovers == []


def test_local_retention_is_recorded_and_expired_objects_may_go(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "objects")
    key = _put(store, b"%PDF-1.4 short-lived", retain=timedelta(seconds=-1))
    store.delete(key)
    assert store.stat(key) is None


@pytest.mark.s3
def test_s3_bucket_has_object_lock_and_compliance_retention(s3_config: S3Config) -> None:
    store = S3Store(s3_config)
    key = _put(store, b"%PDF-1.4 locked")
    lock = store.client.get_object_lock_config(s3_config.bucket)
    assert lock.mode == "COMPLIANCE"
    assert store.client.get_bucket_versioning(s3_config.bucket).status == "Enabled"
    head = store.client.stat_object(s3_config.bucket, key).metadata
    assert head["x-amz-object-lock-mode"] == "COMPLIANCE"
    assert head["x-amz-meta-sha256"] == hashlib.sha256(b"%PDF-1.4 locked").hexdigest()


def test_s3_down_is_a_clear_unavailable_error() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = S3Store(S3Config(endpoint=f"127.0.0.1:{port}", bucket="down", access_key="a", secret_key="b",
                             timeout_seconds=1, retries=0))
    with pytest.raises(StoreUnavailableError):
        store.ping()
    with pytest.raises(StoreUnavailableError):
        _put(store, b"%PDF-1.4 nowhere to go")
