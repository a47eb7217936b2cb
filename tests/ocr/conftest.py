"""OCR fixtures: one reader per test session (models load once) and the evaluation renderer."""

from __future__ import annotations

import io
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the generator lives in bench/ocrgen

from bench.ocrgen.data import Faker  # noqa: E402
from bench.ocrgen.degrade import CONDITIONS  # noqa: E402
from bench.ocrgen.docs import RENDERERS, Rendered  # noqa: E402
from bench.ocrgen.sheet import FONTS, Sheet  # noqa: E402


@pytest.fixture(scope="session")
def reader() -> Iterator[object]:
    from ocr import EngineConfig, OcrConfig, Reader

    yield Reader(OcrConfig(engine=EngineConfig(threads=2)))


Render = Callable[..., tuple[bytes, Rendered]]


@pytest.fixture(scope="session")
def render() -> Render:
    """``render(kind, seed, dpi=150, font=0, condition=None, fmt="PNG")`` -> (file bytes, truth)."""

    def make(kind: str, seed: int, *, dpi: int = 150, font: int = 0, condition: str | None = None,
             fmt: str = "PNG") -> tuple[bytes, Rendered]:
        rendered = RENDERERS[kind](Faker(seed), Sheet(dpi, FONTS[font]))
        image: Image.Image = rendered.image
        if condition:
            image = CONDITIONS[condition](image, random.Random(seed))
        buf = io.BytesIO()
        image.save(buf, fmt)
        return buf.getvalue(), rendered

    return make


@pytest.fixture
def settings(tmp_path: Path, db_url: str):  # type: ignore[no-untyped-def]
    """Like the shared fixture, with OCR on upload always on (other areas may switch it off)."""
    from api.settings import Settings

    return Settings(data_dir=tmp_path / "data", database_url=db_url, max_upload_bytes=2 * 1024 * 1024,
                    public_base_url="http://testserver", ocr_on_upload=True, ocr_workers=1)
