"""OFD packages are ZIP files: write one deterministically, read one defensively (size, names, CRC)."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass

from certgen.errors import NotAnOfdError

MAX_FILES = 2000
MAX_TOTAL = 200 * 1024 * 1024  # uncompressed bytes
_EPOCH = (2020, 1, 1, 0, 0, 0)


def write_package(files: dict[str, bytes]) -> bytes:
    """Zip ``files`` (OFD.xml first; XML deflated, images/fonts deflated too; fixed timestamps)."""
    out = io.BytesIO()
    order = sorted(files, key=lambda p: (p != "OFD.xml", p))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in order:
            info = zipfile.ZipInfo(path, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[path])
    return out.getvalue()


@dataclass(frozen=True)
class Package:
    """The members of an OFD package; ``damaged`` lists members whose bytes fail their CRC."""

    files: dict[str, bytes]
    damaged: tuple[str, ...]


def looks_like_ofd(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_package(data: bytes) -> Package:
    """Read every member; raises ``NotAnOfdError`` for a non-ZIP, a zip bomb or unsafe names."""
    if not looks_like_ofd(data):
        raise NotAnOfdError("the file is not an OFD package (ZIP)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise NotAnOfdError(f"cannot read OFD package: {exc}") from exc
    if len(infos) > MAX_FILES or sum(i.file_size for i in infos) > MAX_TOTAL:
        raise NotAnOfdError("OFD package is too large", message_zh="OFD文件过大")
    files: dict[str, bytes] = {}
    damaged: list[str] = []
    for info in infos:
        if info.is_dir():
            continue
        name = normalise(info.filename)
        if name is None or name in files:
            raise NotAnOfdError(f"unsafe or repeated member name {info.filename!r}")
        try:
            with archive.open(info) as handle:
                content = handle.read(info.file_size + 1)
            if len(content) != info.file_size:
                raise zipfile.BadZipFile("size mismatch")
        except NotImplementedError as exc:  # unsupported compression or encryption
            raise NotAnOfdError(f"cannot read member {name}: {exc}") from exc
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):  # CRC or deflate damage
            damaged.append(name)
            content = b""
        files[name] = content
    if "OFD.xml" not in files:
        raise NotAnOfdError("the package has no OFD.xml")
    return Package(files, tuple(damaged))


def normalise(name: str, base: str = "") -> str | None:
    """A member path relative to the package root, or ``None`` if it escapes it."""
    if "\\" in name or "\x00" in name:
        return None
    joined = name.lstrip("/") if name.startswith("/") else posixpath.join(base, name)
    path = posixpath.normpath(joined)
    if path.startswith("../") or path in ("..", ".", "") or path.startswith("/"):
        return None
    return path


def read_attachment(data: bytes, name: str) -> dict | None:
    """The JSON attachment ``name`` of an OFD (``Doc_0/Attachs/<name>``), or ``None``."""
    import json

    content = read_package(data).files.get(f"Doc_0/Attachs/{name}")
    if not content:
        return None
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None
