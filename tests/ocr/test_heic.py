"""iPhone photos arrive as HEIC: they are read like any JPEG, orientation applied, damage refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ocr import CorruptInputError, InputLimits, sniff
from ocr.pages import iter_pages

pillow_heif = pytest.importorskip("pillow_heif", reason="the heic extra is part of the test install")
pillow_heif.register_heif_opener()


def _heic(image: Image.Image, **save: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "HEIF", **save)
    return buf.getvalue()


def test_phone_photo_of_an_id_card_as_heic_is_read(reader, render) -> None:  # type: ignore[no-untyped-def]
    png, truth = render("id_card", 41, font=2, condition="photo")
    data = _heic(Image.open(io.BytesIO(png)), quality=80)
    assert sniff(data) == "heic"
    result = reader.read(data)
    assert result.doc_type == "id_card"
    number = result.fields["公民身份号码"]
    assert number.value == truth.fields["公民身份号码"] and number.valid is True
    right = sum(key in result.fields and result.fields[key].value == value for key, value in truth.fields.items())
    assert right >= len(truth.fields) - 1


def test_heic_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated 90° clockwise
    (page,) = iter_pages(_heic(Image.new("RGB", (200, 100), "white"), exif=exif.tobytes()), InputLimits())
    assert (page.width, page.height) == (100, 200)


def test_truncated_heic_is_a_clear_error() -> None:
    data = _heic(Image.new("RGB", (300, 200), "white"))
    with pytest.raises(CorruptInputError) as caught:
        list(iter_pages(data[: len(data) // 2], InputLimits()))
    assert caught.value.message_zh


def test_heic_over_the_pixel_limit_is_refused_before_decoding() -> None:
    from ocr import ImageTooLargeError

    data = _heic(Image.new("RGB", (400, 300), "white"))
    with pytest.raises(ImageTooLargeError):
        list(iter_pages(data, InputLimits(max_pixels=100_000)))
