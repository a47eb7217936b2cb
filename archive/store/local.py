"""A folder as object store: atomic writes, never overwritten, retention recorded beside the object."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterator

from archive.errors import ObjectConflictError, ObjectMissingError, RetentionError, StoreUnavailableError
from archive.store.api import CHUNK_SIZE, ObjectInfo

_RETENTION_SUFFIX = ".retention.json"


class LocalStore:
    """Objects as files below ``root``; ``key`` segments map to sub-folders."""

    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        parts = key.split("/")
        if not key or any(p in ("", ".", "..") or "\x00" in p for p in parts):
            raise ValueError(f"bad object key {key!r}")
        return self.root.joinpath(*parts)

    def put(
        self, key: str, source: BinaryIO, size: int, sha256: str, *, content_type: str,
        retain_until: datetime | None,
    ) -> None:
        path = self._path(key)
        if path.exists():
            if _stream_sha256(source) != sha256 or _file_sha256(path) != sha256:
                raise ObjectConflictError(f"object {key} exists with different bytes")
            self._extend_retention(path, retain_until)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        written = 0
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(CHUNK_SIZE):
                    digest.update(chunk)
                    written += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if written != size or digest.hexdigest() != sha256:
                raise ObjectConflictError(
                    f"object {key}: received {written} bytes with another checksum than announced"
                )
            os.chmod(tmp_name, 0o444)
            os.replace(tmp_name, path)
            _fsync_dir(path.parent)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        self._extend_retention(path, retain_until)

    def _extend_retention(self, path: Path, retain_until: datetime | None) -> None:
        if retain_until is None:
            return
        current = _read_retention(path)
        if current is not None and current >= retain_until:
            return
        meta = path.with_name(path.name + _RETENTION_SUFFIX)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".retention-")
        with os.fdopen(fd, "w") as out:
            json.dump({"retain_until": retain_until.astimezone(timezone.utc).isoformat()}, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, meta)

    def open(self, key: str) -> Iterator[bytes]:
        path = self._path(key)
        try:
            handle = path.open("rb")
        except FileNotFoundError as exc:
            raise ObjectMissingError(f"object {key} is missing") from exc
        except OSError as exc:
            raise StoreUnavailableError(f"cannot read {key}: {exc}") from exc
        return _iter_file(handle)

    def stat(self, key: str) -> ObjectInfo | None:
        path = self._path(key)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return None
        return ObjectInfo(key=key, size=size, retain_until=_read_retention(path))

    def delete(self, key: str) -> None:
        path = self._path(key)
        until = _read_retention(path)
        if until is not None and until > datetime.now(timezone.utc):
            raise RetentionError(f"object {key} is retained until {until.isoformat()}")
        path.unlink(missing_ok=True)
        path.with_name(path.name + _RETENTION_SUFFIX).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".") and not path.name.endswith(_RETENTION_SUFFIX):
                yield path.relative_to(self.root).as_posix()

    def leftovers(self) -> Iterator[str]:
        """Temp files of writes that never finished (the process was killed between write and rename)."""
        for path in sorted(self.root.rglob(".*")):
            if path.is_file() and path.name.startswith((".incoming-", ".retention-")):
                yield path.relative_to(self.root).as_posix()

    def ping(self) -> None:
        if not self.root.is_dir() or not os.access(self.root, os.W_OK):
            raise StoreUnavailableError(f"store folder {self.root} is not writable")


def _iter_file(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk


def _stream_sha256(source: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def _read_retention(path: Path) -> datetime | None:
    meta = path.with_name(path.name + _RETENTION_SUFFIX)
    try:
        data = json.loads(meta.read_text())
    except FileNotFoundError:
        return None
    return datetime.fromisoformat(data["retain_until"])


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
