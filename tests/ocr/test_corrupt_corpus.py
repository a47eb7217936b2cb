"""OCR's page loader on damaged input: a corrupt-input error with a clerk's message, never an internal error.

The same self-built corpus as the intake checks: whatever OCR is handed (a file stored before the
checks existed, a file read from elsewhere), it either reads the pages or raises an ``OcrError``
whose message names no parser internals or Python object addresses.
"""

from __future__ import annotations

import re

import pytest

from ocr import InputLimits, OcrError
from ocr.errors import CorruptInputError
from ocr.pages import count_pages, iter_pages
from tests.archive.corpus import samples

SAMPLES = [s for s in samples() if s.expect != "accept"]
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}|<_io\.|object at")


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_damaged_input_gives_a_clerk_facing_error(sample) -> None:  # type: ignore[no-untyped-def]
    limits = InputLimits(dpi=72)
    try:
        count_pages(sample.data, limits)
        pages = list(iter_pages(sample.data, limits))
    except OcrError as exc:
        assert exc.code != "ocr_internal_error" and exc.message_zh
        assert not _ADDRESS.search(str(exc)), str(exc)
        if isinstance(exc, CorruptInputError):
            assert exc.message_zh == "文件已损坏或不完整，请重新扫描"
        return
    assert pages and all(p.image is not None or p.text_lines for p in pages)


def test_a_tiff_with_missing_dimensions_is_corrupt_input_not_a_type_error() -> None:
    cut = next(s for s in samples() if s.name == "tiff_frame_data_cut")
    with pytest.raises(CorruptInputError) as caught:
        list(iter_pages(cut.data, InputLimits(dpi=72)))
    assert caught.value.code == "ocr_corrupt_input"
