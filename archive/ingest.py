"""Receiving an upload: hash while streaming into a bounded spool, check size and type."""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from archive.errors import EmptyUploadError, InvalidMetadataError, UnsupportedMediaTypeError, UploadTooLargeError
from standards.sniff import sniff_media_type
from archive.store.api import CHUNK_SIZE

SPOOL_IN_MEMORY = 4 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class SpooledUpload:
    """The received bytes (in memory up to a few MB, then on disk), their hash, size and type."""

    file: BinaryIO
    sha256: str
    size: int
    media_type: str

    def rewind(self) -> BinaryIO:
        self.file.seek(0)
        return self.file

    def close(self) -> None:
        self.file.close()


def receive(source: BinaryIO | bytes, *, max_bytes: int, allowed_media_types: tuple[str, ...]) -> SpooledUpload:
    """Read ``source`` once, hashing as it streams; refuse empty, oversize and disallowed content."""
    if isinstance(source, (bytes, bytearray)):
        import io

        source = io.BytesIO(bytes(source))
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        while chunk := source.read(CHUNK_SIZE):
            size += len(chunk)
            if size > max_bytes:
                raise UploadTooLargeError(
                    f"file exceeds the limit of {max_bytes} bytes", limit_bytes=max_bytes
                )
            if len(head) < 64:
                head += chunk[: 64 - len(head)]
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise EmptyUploadError("the uploaded file is empty")
        media_type = sniff_media_type(head)
        if media_type is None or media_type not in allowed_media_types:
            raise UnsupportedMediaTypeError(
                "the content is not an allowed type", allowed=list(allowed_media_types),
                detected=media_type,
            )
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return SpooledUpload(file=spool, sha256=digest.hexdigest(), size=size, media_type=media_type)


def clean_filename(name: str | None) -> str | None:
    """A display-only filename: last path component, no control characters, at most 255 chars.

    Filenames are metadata; they are never used to build a path.
    """
    if not name:
        return None
    name = _CONTROL.sub("", name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    if name in ("", ".", ".."):
        return None
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) <= 16 else name[:255]
    return name


_CODE = re.compile(r"^[0-9A-Z]{6,32}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")


def check_metadata(owner_code: str, owner_code_type: str, doc_type: str, case_ref: str | None) -> None:
    """Refuse malformed owner codes, document types and case references."""
    if not _CODE.match(owner_code or ""):
        raise InvalidMetadataError("owner_code must be 6-32 characters 0-9 A-Z", field="owner_code")
    if owner_code_type not in ("uscc", "id_card"):
        raise InvalidMetadataError("owner_code_type must be uscc or id_card", field="owner_code_type")
    if not _TOKEN.match(doc_type or ""):
        raise InvalidMetadataError("doc_type must be 1-64 characters [A-Za-z0-9_.:-]", field="doc_type")
    if case_ref is not None and not _TOKEN.match(case_ref):
        raise InvalidMetadataError("case_ref must be 1-64 characters [A-Za-z0-9_.:-]", field="case_ref")
