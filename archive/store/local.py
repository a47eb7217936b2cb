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
        self.stage(key, source, size, sha256, content_type=content_type, retain_until=retain_until).commit()

    def stage(
        self, key: str, source: BinaryIO, size: int, sha256: str, *, content_type: str,
        retain_until: datetime | None,
    ) -> "LocalStaged":
        """The bytes written to a temporary file beside the object and fsynced, the checksum verified,
        the retention record prepared the same way; nothing has the object's name until ``commit``."""
        path = self._path(key)
        if path.exists():
            if _stream_sha256(source) != sha256 or _file_sha256(path) != sha256:
                raise ObjectConflictError(f"object {key} exists with different bytes")
            return LocalStaged(path, None, self._retention_temp(path, retain_until))
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
            return LocalStaged(path, tmp_name, self._retention_temp(path, retain_until, new=True))
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def _retention_temp(self, path: Path, retain_until: datetime | None, *, new: bool = False) -> str | None:
        """A fsynced temporary retention record when ``retain_until`` extends the current one."""
        if retain_until is None:
            return None
        current = None if new else _read_retention(path)
        if current is not None and current >= retain_until:
            return None
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".retention-")
        try:
            with os.fdopen(fd, "w") as out:
                json.dump({"retain_until": retain_until.astimezone(timezone.utc).isoformat()}, out)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return tmp_name

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
        """Temporary files a crash left behind (``.incoming-*``, ``.retention-*``): never objects."""
        for path in sorted(self.root.rglob(".*")):
            if path.is_file() and path.name.startswith((".incoming-", ".retention-")):
                yield path.relative_to(self.root).as_posix()

    def ping(self) -> None:
        if not self.root.is_dir() or not os.access(self.root, os.W_OK):
            raise StoreUnavailableError(f"store folder {self.root} is not writable")


class LocalStaged:
    """A staged local put: the object and its retention record as fsynced temporary files."""

    def __init__(self, path: Path, object_temp: str | None, retention_temp: str | None) -> None:
        self.path = path
        self.object_temp = object_temp
        self.retention_temp = retention_temp

    def commit(self) -> None:
        """Rename the object into place, then its retention record (never shortening one a concurrent
        put of the same bytes recorded), and fsync the folder."""
        renamed = False
        if self.object_temp is not None:
            os.replace(self.object_temp, self.path)
            self.object_temp, renamed = None, True
        if self.retention_temp is not None:
            meta = self.path.with_name(self.path.name + _RETENTION_SUFFIX)
            ours = _read_retention_file(Path(self.retention_temp))
            current = _read_retention(self.path)
            if current is not None and current >= ours:
                Path(self.retention_temp).unlink(missing_ok=True)
            else:
                os.replace(self.retention_temp, meta)
                renamed = True
            self.retention_temp = None
        if renamed:
            _fsync_dir(self.path.parent)

    def abort(self) -> None:
        for name in (self.object_temp, self.retention_temp):
            if name is not None:
                Path(name).unlink(missing_ok=True)
        self.object_temp = self.retention_temp = None


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
    try:
        return _read_retention_file(path.with_name(path.name + _RETENTION_SUFFIX))
    except FileNotFoundError:
        return None


def _read_retention_file(meta: Path) -> datetime:
    return datetime.fromisoformat(json.loads(meta.read_text())["retain_until"])


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
