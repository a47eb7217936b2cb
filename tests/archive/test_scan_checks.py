"""The fast paths of the usability check prove as much as the slow ones did.

A JPEG is decoded with libjpeg's DCT scaling: its verdict on truncated and bit-flipped files must
be exactly that of a full Pillow decode. A scanned PDF page is proven by decoding its JPEG images
instead of a pdfium render, so a truncated or oversized scan inside a PDF is refused (pdfium would
have drawn it without complaint).
"""

from __future__ import annotations

import base64
import io
import random

import pikepdf
import pytest
from PIL import Image

from archive.checks import CheckLimits, check_usable
from archive.errors import DocumentUnusableError
from tests.archive.corpus import jpeg_declaring, page_image

LIMITS = CheckLimits()


def _jpeg(mode: str = "RGB", **options: object) -> bytes:
    out = io.BytesIO()
    page_image(700, 500).convert(mode).save(out, "JPEG", quality=80, **options)
    return out.getvalue()


def _full_decode_ok(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
        return True
    except Exception:  # noqa: BLE001 - the reference verdict: any failure is "cannot be shown"
        return False


def _accepted(data: bytes, media_type: str = "image/jpeg") -> bool:
    try:
        check_usable(data, media_type, LIMITS)
        return True
    except DocumentUnusableError:
        return False


def _damaged_variants(data: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    cuts = [data[: len(data) * k // 16] for k in range(1, 16)] + [data[:-2], data[:-1]]
    flips = []
    for _ in range(16):
        flipped = bytearray(data)
        for _ in range(rng.choice((1, 4, 16))):
            flipped[rng.randrange(2, len(flipped))] = rng.randrange(256)
        flips.append(bytes(flipped))
    return cuts + flips


@pytest.mark.parametrize("kind", ["baseline", "progressive", "grey", "cmyk", "restart_markers"])
def test_a_scaled_jpeg_decode_refuses_exactly_what_a_full_decode_refuses(kind: str) -> None:
    data = {"baseline": lambda: _jpeg(), "progressive": lambda: _jpeg(progressive=True),
            "grey": lambda: _jpeg("L"), "cmyk": lambda: _jpeg("CMYK"),
            "restart_markers": lambda: _jpeg(restart_marker_blocks=4)}[kind]()
    assert _accepted(data)
    variants = _damaged_variants(data, seed=len(kind))
    verdicts = [(_accepted(v), _full_decode_ok(v)) for v in variants]
    assert [ours for ours, _ in verdicts] == [full for _, full in verdicts]
    assert not all(ours for ours, _ in verdicts)  # the variants do include files that must be refused


# --- scanned PDFs -----------------------------------------------------------------------------------


def _scan_pdf(images: list[bytes], *, ascii85: bool = False, width: int | None = None) -> bytes:
    """One page per JPEG, each drawing only its image (what a scanner writes)."""
    doc = pikepdf.new()
    for data in images:
        with Image.open(io.BytesIO(_jpeg())) as probe:
            w, h = probe.size
        page = doc.add_blank_page(page_size=(595, 842))
        filters = [pikepdf.Name.DCTDecode]
        if ascii85:
            data, filters = base64.a85encode(data, adobe=True)[2:], [pikepdf.Name.ASCII85Decode, *filters]
        image = doc.make_stream(data, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=width or w,
                                Height=width or h, ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8)
        image.write(data, filter=pikepdf.Array(filters))  # ``data`` is already encoded with ``filters``
        name = page.add_resource(image, pikepdf.Name.XObject, pikepdf.Name.Im0)
        page.contents_add(doc.make_stream(b"q 595 0 0 842 0 0 cm " + bytes(name.unparse()) + b" Do Q"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _refusal(data: bytes) -> DocumentUnusableError:
    with pytest.raises(DocumentUnusableError) as caught:
        check_usable(data, "application/pdf", LIMITS)
    return caught.value


@pytest.mark.parametrize("ascii85", [False, True], ids=["dct", "ascii85_dct"])
def test_a_scanned_pdf_is_accepted_and_one_with_a_truncated_scan_is_refused(ascii85: bool) -> None:
    clean = _jpeg()
    usable = check_usable(_scan_pdf([clean, clean], ascii85=ascii85), "application/pdf", LIMITS)
    assert usable.pages == 2 and usable.sizes[0] == (1240, 1754)
    error = _refusal(_scan_pdf([clean, clean[: len(clean) // 2]], ascii85=ascii85))
    assert error.extra["reason"] == "damaged" and error.extra.get("page") == 2


def test_a_jpeg_bomb_inside_a_pdf_is_refused_whatever_the_image_dictionary_says() -> None:
    error = _refusal(_scan_pdf([jpeg_declaring(65_000, 65_000)], width=100))
    assert error.extra["reason"] == "too_large"


def test_a_scan_readable_only_with_the_owner_password_is_still_decoded() -> None:
    source = _scan_pdf([_jpeg()[:3000]])
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(source)) as doc:
        doc.save(out, encryption=pikepdf.Encryption(owner="owner-secret", user="", R=6))
    assert _refusal(out.getvalue()).extra["reason"] == "damaged"  # the decrypted image was read, and it is cut
