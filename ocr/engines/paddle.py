"""Optional engine: PaddleOCR 3.x (extra ``onceonly[paddle]``) from local model directories.

PaddleOCR tries to reach model hubs unless told not to; this engine sets
``PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK`` and requires ``det_model``/``rec_model`` directories
(Paddle inference format with ``inference.yml``), so it never downloads anything.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ocr.engines.api import Engine, EngineConfig, register_engine
from ocr.errors import EngineFailedError, EngineUnavailableError
from ocr.types import Box, Line


def _model_name(directory: str) -> str | None:
    """The model name declared in a model directory's ``inference.yml`` (Global.model_name)."""
    meta = Path(directory) / "inference.yml"
    if not meta.is_file():
        return None
    import yaml

    data = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
    name = (data.get("Global") or {}).get("model_name")
    return str(name) if name else None


class PaddleOcrEngine:
    """PaddleOCR behind the :class:`Engine` interface (line orientation and unwarping off)."""

    name = "paddleocr"

    def __init__(self, config: EngineConfig) -> None:
        if not config.det_model or not config.rec_model:
            raise EngineUnavailableError(
                "The paddleocr engine needs local det_model and rec_model directories.",
                engine=self.name,
            )
        for path in (config.det_model, config.rec_model):
            if not Path(path).is_dir():
                raise EngineUnavailableError(f"Model directory not found: {path}", engine=self.name)
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        try:
            from paddleocr import PaddleOCR, TextRecognition
        except ImportError as exc:
            raise EngineUnavailableError(
                "PaddleOCR is not installed; install the extra onceonly[paddle].", engine=self.name
            ) from exc
        threads = config.effective_threads
        common = {"device": "cpu", "cpu_threads": threads, "enable_mkldnn": bool(config.options.get("mkldnn", False))}
        self._ocr = PaddleOCR(
            text_detection_model_dir=config.det_model,
            text_detection_model_name=_model_name(config.det_model),
            text_recognition_model_dir=config.rec_model,
            text_recognition_model_name=_model_name(config.rec_model),
            use_doc_orientation_classify=False,
            use_doc_unwarping=False,
            use_textline_orientation=False,
            text_det_limit_side_len=config.max_side_len,
            text_det_limit_type="max",
            text_rec_score_thresh=0.0,  # every line: orientation needs them; the pipeline filters
            **common,
        )
        self._rec = TextRecognition(
            model_dir=config.rec_model, model_name=_model_name(config.rec_model), **common
        )
        self.threads = threads

    def read(self, image: np.ndarray, *, full_side: bool = False) -> list[Line]:
        # full_side: always so here (this engine detects every page at up to max_side_len)
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        try:
            results = list(self._ocr.predict(bgr))
        except Exception as exc:  # noqa: BLE001
            raise EngineFailedError(f"PaddleOCR failed: {exc}") from exc
        lines: list[Line] = []
        for res in results:
            for poly, text, score in zip(res["rec_polys"], res["rec_texts"], res["rec_scores"], strict=False):
                pts = [(float(x), float(y)) for x, y in np.asarray(poly).reshape(-1, 2)[:4]]
                quad: Box = (pts[0], pts[1], pts[2], pts[3])
                lines.append(Line(str(text).strip(), quad, float(score)))  # empty too: a turned page re-reads it
        return lines

    def recognise(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        if not crops:
            return []
        try:
            results = list(self._rec.predict([np.ascontiguousarray(c[:, :, ::-1]) for c in crops]))
        except Exception as exc:  # noqa: BLE001
            raise EngineFailedError(f"PaddleOCR failed: {exc}") from exc
        return [(str(r["rec_text"]), float(r["rec_score"])) for r in results]

    def warm_up(self) -> None:
        canvas = np.full((64, 256, 3), 255, dtype=np.uint8)
        canvas[24:40, 20:236] = 0
        self.read(canvas)


@register_engine("paddleocr")
def _make(config: EngineConfig) -> Engine:
    return PaddleOcrEngine(config)
