"""OFD packages (a ZIP whose first member is OFD.xml) are recognised by content; other ZIPs are not."""

from __future__ import annotations

import io
import zipfile

from archive.sniff import sniff_media_type


def _zip(first: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(first, b"<x/>")
        z.writestr("other.xml", b"<y/>")
    return out.getvalue()


def test_an_ofd_package_is_application_ofd_and_a_plain_zip_is_refused() -> None:
    from certgen.ofd import write_package

    assert sniff_media_type(write_package({"OFD.xml": b"<o/>", "Doc_0/Document.xml": b"<d/>"})[:64]) == "application/ofd"
    assert sniff_media_type(_zip("OFD.xml")[:64]) == "application/ofd"
    assert sniff_media_type(_zip("word/document.xml")[:64]) is None
    assert sniff_media_type(_zip("OFD.xmlx")[:64]) is None
