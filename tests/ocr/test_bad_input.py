"""Bad input never crashes and never renders a bomb: each case is a typed, bilingual error."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pikepdf
import pytest
from PIL import Image

from ocr import (
    CorruptInputError,
    EmptyInputError,
    EncryptedPdfError,
    ImageTooLargeError,
    InputLimits,
    OcrError,
    TooManyPagesError,
    UnsupportedInputError,
    count_pages,
)
from ocr.pages import iter_pages


def _pages(data: bytes, **limits: int) -> list:
    return list(iter_pages(data, InputLimits(**limits)))


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _blank_pdf(pages: int, size: tuple[float, float] = (595, 842)) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=size)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _assert_bilingual(error: OcrError) -> None:
    assert error.code.startswith("ocr_") and error.message_zh and str(error)


def test_zero_byte_file() -> None:
    with pytest.raises(EmptyInputError) as info:
        _pages(b"")
    _assert_bilingual(info.value)


def test_unknown_bytes_are_refused_by_content_not_name() -> None:
    with pytest.raises(UnsupportedInputError):
        _pages(b"GIF89a not something we read")


def test_truncated_jpeg() -> None:
    image = Image.fromarray(np.random.default_rng(1).integers(0, 255, (400, 300, 3), dtype=np.uint8))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    with pytest.raises(CorruptInputError) as info:
        _pages(buf.getvalue()[: len(buf.getvalue()) // 2])
    _assert_bilingual(info.value)


def test_png_declaring_100000_by_100000_pixels_is_refused_before_decoding() -> None:
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    bomb = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")
    with pytest.raises(ImageTooLargeError) as info:
        _pages(bomb)
    _assert_bilingual(info.value)


def test_encrypted_pdf() -> None:
    out = io.BytesIO()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner", R=6))
    with pytest.raises(EncryptedPdfError) as info:
        _pages(out.getvalue())
    _assert_bilingual(info.value)


def test_pdf_with_5000_pages_is_refused_by_the_page_limit_before_rendering() -> None:
    data = _blank_pdf(5000)
    assert count_pages(data) == 5000
    with pytest.raises(TooManyPagesError) as info:
        next(iter_pages(data, InputLimits(max_pages=200)))
    assert info.value.extra["pages"] == 5000
    _assert_bilingual(info.value)


def test_pdf_page_that_would_render_to_a_bomb_is_refused() -> None:
    data = _blank_pdf(1, size=(14400, 14400))  # 200 inches square: 900 Mpx at 150 dpi
    with pytest.raises(ImageTooLargeError):
        _pages(data)


def test_pdf_with_a_broken_xref_is_repaired_or_refused_never_a_crash() -> None:
    data = _blank_pdf(2)
    start = data.rindex(b"startxref")
    broken = data[:start] + b"startxref\n999999\n%%EOF\n"
    xref = broken.find(b"\nxref")
    if xref >= 0:
        broken = broken[:xref] + b"\nxref\n0 3\ngarbage garbage\n" + broken[xref + 40 :]
    try:
        pages = _pages(broken)
    except CorruptInputError as error:
        _assert_bilingual(error)
    else:
        assert len(pages) == 2  # pdfium rebuilt the cross-reference table from the objects


def test_garbage_after_pdf_header_is_corrupt() -> None:
    with pytest.raises(CorruptInputError):
        _pages(b"%PDF-1.7\n" + bytes(range(256)) * 10)


def test_multi_page_tiff_over_the_page_limit() -> None:
    frames = [Image.new("L", (50, 50), 255) for _ in range(5)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    assert count_pages(buf.getvalue()) == 5
    assert len(_pages(buf.getvalue())) == 5
    with pytest.raises(TooManyPagesError):
        _pages(buf.getvalue(), max_pages=3)


def test_exif_orientation_is_applied() -> None:
    image = Image.new("RGB", (200, 100), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif.tobytes())
    (page,) = _pages(buf.getvalue())
    assert (page.width, page.height) == (100, 200)


def test_image_of_pure_noise_gives_no_fields_and_a_low_quality(reader) -> None:  # type: ignore[no-untyped-def]
    noise = np.random.default_rng(3).integers(0, 256, (1200, 900), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noise).save(buf, "PNG")
    result = reader.read(buf.getvalue())
    assert result.doc_type == "other"
    assert result.fields == {}
    assert result.pages[0].quality < 0.5
