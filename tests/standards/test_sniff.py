"""Content sniffing by magic bytes: what the archive stores and what OCR reads agree."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from standards.sniff import sniff_media_type


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "media_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"),
                                                  ("TIFF", "image/tiff")])
def test_real_images_are_recognised_from_their_bytes(fmt: str, media_type: str) -> None:
    assert sniff_media_type(_image(fmt)[:16]) == media_type


def test_a_pdf_must_start_with_its_header_unless_the_reader_tolerates_junk() -> None:
    assert sniff_media_type(b"%PDF-1.7\n") == "application/pdf"
    junk = b"\r\n  garbage before %PDF-1.4\n"
    assert sniff_media_type(junk) is None
    assert sniff_media_type(junk, pdf_header_within=1024) == "application/pdf"


def test_heic_brands_and_unknown_bytes() -> None:
    assert sniff_media_type(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00") == "image/heic"
    assert sniff_media_type(b"\x00\x00\x00\x18ftypisom") is None
    assert sniff_media_type(b"PK\x03\x04") is None
    assert sniff_media_type(b"") is None
