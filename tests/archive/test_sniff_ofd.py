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


def test_an_ofd_package_passes_the_usability_check_and_a_damaged_one_is_refused() -> None:
    import pytest

    from archive import CheckLimits
    from archive.checks.package import check_ofd_package
    from archive.errors import DocumentUnusableError
    from certgen.ofd import write_package

    page = b"<ofd:Page xmlns:ofd='http://www.ofdspec.org/2016'/>"
    good = write_package({"OFD.xml": b"<o/>", "Doc_0/Document.xml": b"<d/>", "Doc_0/Pages/Page_0/Content.xml": page})
    assert check_ofd_package(good, CheckLimits()) == 1
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as z:
        z.writestr("OFD.xml", b"<ofd-root-element/>")
    crc_broken = stored.getvalue().replace(b"<ofd-root-element/>", b"<ofd-root-elemenX/>")
    unparsable = write_package({"OFD.xml": b"<o", "Doc_0/Document.xml": b"<d/>"})
    for broken in (good[: len(good) // 2], crc_broken, unparsable):
        with pytest.raises(DocumentUnusableError):
            check_ofd_package(broken, CheckLimits())
    with pytest.raises(DocumentUnusableError):
        check_ofd_package(good, CheckLimits(max_pages=0))
