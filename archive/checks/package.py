"""可用性 of an OFD package (GB/T 33190): a ZIP whose every member reads back intact and whose
``OFD.xml`` parses, within bounds on members and unpacked size (zip bombs never unpack)."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from archive.checks.limits import CheckLimits
from archive.errors import DocumentUnusableError

MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
_PAGE = re.compile(r"^Doc_\d+/Pages/Page_\d+/Content\.xml$")


def check_ofd_package(data: bytes, limits: CheckLimits) -> int:
    """The number of pages of a readable OFD package; ``DocumentUnusableError`` when it is not one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise _unusable("ofd_too_large", "the OFD package unpacks to more than the archive accepts")
            broken = package.testzip()  # reads every member, checking its CRC
            if broken is not None:
                raise _unusable("ofd_damaged", f"member {broken!r} of the OFD package is damaged")
            ElementTree.fromstring(package.read("OFD.xml"))
    except DocumentUnusableError:
        raise
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, EOFError, ValueError, OSError) as exc:
        raise _unusable("ofd_damaged", f"the OFD package cannot be read ({type(exc).__name__})") from exc
    pages = sum(1 for m in members if _PAGE.match(m.filename))
    if pages > limits.max_pages:
        raise _unusable("too_many_pages", f"the OFD has {pages} pages; at most {limits.max_pages} are accepted",
                        "文件页数超过上限，请拆分后上传")
    return pages


def _unusable(reason: str, message_en: str, message_zh: str = "文件已损坏或不完整，请重新扫描") -> DocumentUnusableError:
    return DocumentUnusableError(message_en, message_zh=message_zh, reason=reason)
