"""A thermal printer gets ZPL: 8 dots/mm, UTF-8, native Code 128, Chinese as font or graphic."""

from __future__ import annotations

import re

import pytest
from PIL import Image, ImageDraw, ImageFont

from certgen.fonts import cjk_font_path
from certgen.labels import EXAMPLE, LabelData, ZplOptions, render_label_zpl, render_labels_zpl
from certgen.labels.zpl import compress_rows, field_data

LABEL = LabelData.from_dict(EXAMPLE)


def decode_gf(data: str, row_bytes: int, total: int) -> bytes:
    """Independent decoder of ZPL compressed ASCII hex (as a printer reads it)."""
    width = row_bytes * 2
    rows: list[str] = []
    row = ""
    count = 0
    for char in data:
        if "G" <= char <= "Y":
            count += ord(char) - ord("F")
        elif "g" <= char <= "z":
            count += (ord(char) - ord("f")) * 20
        elif char == ",":
            row = row.ljust(width, "0")
        elif char == "!":
            row = row.ljust(width, "F")
        elif char == ":":
            row = rows[-1]
        else:
            row += char * (count or 1)
            count = 0
        if len(row) >= width:
            assert len(row) == width, "a row overflowed"
            rows.append(row)
            row = ""
    assert row == ""
    raw = bytes.fromhex("".join(rows))
    assert len(raw) == total
    return raw


def graphic_fields(zpl: str) -> list[tuple[int, int, int, int, bytes]]:
    """(x, y, width_bytes, rows, bitmap) of every ^GFA field."""
    found = []
    for x, y, total, _, row_bytes, data in re.findall(
        r"\^FO(\d+),(\d+)\^GFA,(\d+),(\d+),(\d+),([^\^]*)\^FS", zpl
    ):
        raw = decode_gf(data, int(row_bytes), int(total))
        found.append((int(x), int(y), int(row_bytes), int(total) // int(row_bytes), raw))
    return found


@pytest.mark.parametrize("size, dots", [("100x150", (800, 1200)), ("76x130", (608, 1040))])
def test_zpl_has_printer_geometry_utf8_and_native_barcodes(size, dots):
    zpl = render_label_zpl(LABEL, size)
    assert zpl.startswith("^XA^CI28") and zpl.rstrip().endswith("^XZ")
    assert f"^PW{dots[0]}" in zpl and f"^LL{dots[1]}" in zpl
    assert re.search(r"\^BCN,\d+,N,N,N,A\^FDEA123456785CN\^FS", zpl)
    assert "^BQN,2," in zpl and "^FDMA,WZ-2026-000123^FS" in zpl
    for x, y in re.findall(r"\^FO(\d+),(\d+)", zpl):
        assert 0 <= int(x) < dots[0] and 0 <= int(y) < dots[1]
    for x, y, row_bytes, rows, _ in graphic_fields(zpl):
        assert x + row_bytes * 8 <= dots[0] + 8 and y + rows <= dots[1]


def test_graphic_mode_sends_no_chinese_characters_and_only_masked_data():
    zpl = render_label_zpl(LABEL, "100x150", ZplOptions(text_mode="graphic"))
    assert zpl.isascii(), "a printer without a CJK font receives Chinese only as ^GF bitmaps"
    assert "13155551907" not in zpl and "5555" not in zpl
    fields = graphic_fields(zpl)
    assert len(fields) >= 10
    # the recipient line is the masked one, pixel for pixel
    font_path, index = cjk_font_path()
    wanted = {"王**    131****1907"}
    for text in wanted:
        for height in range(20, 60):
            font = ImageFont.truetype(str(font_path), size=height, index=index)
            left, _, right, bottom = font.getbbox(text)
            width, rows = right - min(left, 0), max(bottom, height)
            image = Image.new("1", (width, rows), 0)
            ImageDraw.Draw(image).text((-min(left, 0), 0), text, font=font, fill=1)
            if any(raw == image.tobytes() for *_, raw in fields):
                break
        else:
            pytest.fail(f"no graphic field shows {text!r}")


def test_font_mode_sends_utf8_text_in_the_configured_printer_font():
    zpl = render_label_zpl(LABEL, "76x130", ZplOptions(text_mode="font", printer_font="E:NOTOSANSCJK.TTF"))
    assert "^GFA" not in zpl
    assert "^A@N,"in zpl and ",E:NOTOSANSCJK.TTF^FH^FD王**    131****1907^FS" in zpl
    printed = "".join(re.findall(r"\^FD([^^]*)\^FS", zpl)).replace(" ", "")
    assert LABEL.recipient.address.replace(" ", "") in printed  # the courier must find the door (wrapped over two lines)
    assert "13155551907" not in zpl and "小明" not in zpl
    zpl.encode("utf-8")


def test_batch_is_one_block_per_label():
    labels = [LABEL, LabelData.from_dict({**EXAMPLE, "waybill": "EA000000014CN"})]
    zpl = render_labels_zpl(labels, "100x150")
    assert zpl.count("^XA") == 2 and zpl.count("^XZ") == 2
    assert "^FDEA000000014CN^FS" in zpl


def test_field_data_escapes_zpl_control_characters():
    assert field_data("a^b~c_d") == "a_5Eb_7Ec_5Fd"
    zpl = render_label_zpl(
        LabelData.from_dict({**EXAMPLE, "case_ref": "WZ^XZ~JR_1"}), options=ZplOptions(text_mode="font")
    )
    assert "WZ^XZ" not in zpl and "WZ_5EXZ_7EJR_5F1" in zpl


def test_compression_round_trips_runs_blank_and_repeated_rows():
    rows = [bytes(10), b"\xff" * 10, b"\xff" * 10, b"\x0f" + bytes(9), bytes(range(10)), b"\xaa" * 10]
    raw = b"".join(rows) + b"\x00" * 5 + b"\x01" * 5
    assert decode_gf(compress_rows(raw, 10), 10, len(raw)) == raw
    big = b"\x00" * 300 + b"\xff" * 300 + b"\x12\x34" * 150
    assert decode_gf(compress_rows(big, 300), 300, len(big)) == big


def test_bad_options_are_refused():
    with pytest.raises(Exception):
        ZplOptions(text_mode="bitmap")  # type: ignore[arg-type]
    with pytest.raises(Exception):
        ZplOptions(printer_font="E:A^XZ")
