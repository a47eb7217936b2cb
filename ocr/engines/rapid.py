"""The default engine: RapidOCR 3.x with the PP-OCR ONNX models shipped in its wheel (offline).

Images are passed as numpy arrays (never a path or string that RapidOCR could fetch as a URL).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from ocr.candidates import box_iou, merge_readings
from ocr.crops import crop_line
from ocr.engines.api import Engine, EngineConfig, register_engine
from ocr.errors import EngineFailedError, EngineUnavailableError
from ocr.types import Box, Line


DET_MIN_SIDE = 736  # the short side small images are detected at (RapidOCR's default)


class RapidOcrEngine:
    """RapidOCR behind the :class:`Engine` interface."""

    name = "rapidocr"

    def __init__(self, config: EngineConfig) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:  # pragma: no cover - rapidocr is a core dependency
            raise EngineUnavailableError("rapidocr is not installed.") from exc
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        threads = config.effective_threads
        params: dict[str, object] = {
            "Global.log_level": "error",
            "Global.max_side_len": config.max_side_len,
            "Global.text_score": 0.0,  # every line: orientation needs them; the pipeline filters
            "Global.use_cls": False,  # pages are oriented whole (ocr.preprocess), never line by line
            # RapidOCR's default scales the *short* side up to 736 px: a 130×700 px photo is
            # detected at 736×3900 (most of its CPU, and no better reading). Detect at the
            # image's own size up to max_side_len; the pipeline enlarges pages whose text is tiny.
            "Det.limit_type": "max",
            "Det.limit_side_len": config.max_side_len,
            "Rec.rec_img_shape": [3, 48, config.rec_min_width],  # RapidOCR pads every batch to >= 320
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        self.runtime = _runtime(config.runtime)
        if self.runtime == "openvino":
            from rapidocr import EngineType

            params.update({"Det.engine_type": EngineType.OPENVINO, "Rec.engine_type": EngineType.OPENVINO,
                           "EngineConfig.openvino.inference_num_threads": threads})
        for key, path in (("Det", config.det_model), ("Rec", config.rec_model), ("Cls", config.cls_model)):
            if path:
                if not Path(path).is_file():
                    raise EngineUnavailableError(f"{key} model file not found: {path}")
                params[f"{key}.model_path"] = str(path)
        _check_characters(config)
        if config.rec_keys:
            params["Rec.rec_keys_path"] = str(config.rec_keys)
        for key, value in config.options.items():
            if "." in key:
                params[key] = value
        self.threads = threads
        self.max_side_len = config.max_side_len
        self.page_side = min(config.det_page_side or config.max_side_len, config.max_side_len)
        self._ocr = RapidOCR(params=params)
        if config.memory_arena and self.runtime == "onnxruntime":
            _recogniser_arena(self._ocr)
        self._fallback = None  # the wheel's own (small) detector, for pages the first one doubts
        self.thorough = False  # set by the pipeline: every page also detected by the fall-back
        if config.det_fallback and config.det_model:
            self._fallback = RapidOCR(params={k: v for k, v in params.items() if k != "Det.model_path"})

    def recognise(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Recognise single-line crops (RGB) in batches, without detection or line classification."""
        if not crops:
            return []
        bgr = [np.ascontiguousarray(c[:, :, ::-1]) if c.ndim == 3 else c for c in crops]
        try:
            res = self._ocr.recognize_txt(bgr)
        except Exception as exc:  # noqa: BLE001
            raise EngineFailedError(f"RapidOCR failed: {exc}") from exc
        texts, scores = list(res.txts or ()), list(res.scores or ())
        if len(texts) != len(crops) or len(scores) != len(crops):
            raise EngineFailedError(f"RapidOCR recognised {len(texts)} of {len(crops)} lines")
        return [(str(t), float(s)) for t, s in zip(texts, scores, strict=True)]

    def read(self, image: np.ndarray, *, full_side: bool = False) -> list[Line]:
        """Detect, then recognise every detected line (lines read as empty are kept, text "").

        The detector's input is sized by :meth:`detector_limit`. With a fall-back detector and
        ``thorough`` set (by the pipeline, for a document whose reading or fields fell short),
        the page is detected again by it; only its boxes that are new are recognised, and the
        two readings are merged line by line (the better-scored reading of a line wins).
        """
        bgr = np.ascontiguousarray(image[:, :, ::-1]) if image.ndim == 3 else image
        limit = self.detector_limit(bgr.shape[0], bgr.shape[1], full_side=full_side)
        lines = self._recognise_boxes(image, self._detect(self._ocr, bgr, limit))
        if self._fallback is None or not self.thorough:
            return lines
        known = [x.box for x in lines]
        extra = [q for q in self._detect(self._fallback, bgr, limit)
                 if not any(box_iou(q, k) >= SAME_BOX_IOU for k in known)]
        if not extra:
            return lines
        return merge_readings(lines, self._recognise_boxes(image, extra))

    @property
    def has_fallback(self) -> bool:
        return self._fallback is not None

    def detector_limit(self, height: int, width: int, *, full_side: bool = False) -> tuple[str, int]:
        """RapidOCR's (limit type, side) for a ``height×width`` page: a small page enlarged to
        :func:`detector_scale` on its short side; any other page bounded on its long side by
        ``det_page_side`` (``max_side_len`` when unset, or when ``full_side`` is asked)."""
        scale = detector_scale(height, width, self.max_side_len)
        if scale > 1.0:
            return "min", int(round(min(height, width) * scale))
        return "max", self.max_side_len if full_side else self.page_side

    def _detect(self, ocr, bgr: np.ndarray, limit: tuple[str, int]) -> list[Box]:  # type: ignore[no-untyped-def]
        detector = ocr._load_det_model()  # sized per page, resized once, by the detector
        detector.limit_type, detector.limit_side_len = limit
        try:
            found = ocr(bgr, use_det=True, use_cls=False, use_rec=False)
        except Exception as exc:  # noqa: BLE001 - any engine failure becomes a typed error
            raise EngineFailedError(f"RapidOCR failed: {exc}") from exc
        boxes = getattr(found, "boxes", None)
        if boxes is None or not len(boxes):
            return []
        quads: list[Box] = []
        for box in boxes:
            pts = [(float(x), float(y)) for x, y in np.asarray(box).reshape(4, 2)]
            quads.append((pts[0], pts[1], pts[2], pts[3]))
        return quads

    def _recognise_boxes(self, image: np.ndarray, quads: list[Box]) -> list[Line]:
        read = self.recognise([crop_line(image, quad, upright_tall=True) for quad in quads])
        return [Line(text, quad, score) for (text, score), quad in zip(read, quads, strict=True)]

    def warm_up(self) -> None:
        canvas = np.full((64, 256, 3), 255, dtype=np.uint8)
        canvas[24:40, 20:236] = 0
        self.read(canvas)


def detector_scale(height: int, width: int, max_side: int, min_side: int = DET_MIN_SIDE) -> float:
    """How much the detector's input is enlarged: the short side to ``min_side``, the long side
    kept within ``max_side`` (lines are still cut out of the image as given, for the recogniser).

    RapidOCR's own default enlarges the short side to 736 px with no bound on the long side:
    a 132×709 px strip is detected at 736×3953. Small photos are detected better enlarged;
    strips and scans gain nothing from more than ``max_side``.
    """
    short, long = min(height, width), max(height, width)
    if short >= min_side or short <= 0:
        return 1.0
    return max(1.0, min(min_side / short, max_side / long))


SAME_BOX_IOU = 0.6  # a fall-back box overlapping a first-pass box this much is the same line
def _recogniser_arena(ocr) -> None:  # type: ignore[no-untyped-def]
    """Load the recogniser with onnxruntime's CPU memory arena on, the detector with it off.

    RapidOCR turns the arena off for all its sessions: every tensor is then allocated and
    page-faulted afresh on each call. Kept on, one call's buffers serve the next (the same
    numbers come out). The recogniser's tensors are small (six 48 px high lines); the
    detector's are page-sized and of a new shape on each page, so an arena there held 1.4 GB.
    RapidOCR loads its models lazily from one shared config: the detector is loaded first with
    the arena off, then the flag is set for the recogniser alone.
    """
    ocr._load_det_model()
    ocr.cfg.EngineConfig.onnxruntime.enable_cpu_mem_arena = True
    ocr._load_rec_model()
    ocr.cfg.EngineConfig.onnxruntime.enable_cpu_mem_arena = False


def _runtime(requested: str) -> str:
    """``openvino`` or ``onnxruntime``: the inference library the models run on.

    OpenVINO runs the same ONNX files; on the mix of ``bench/ocr_speed.py`` it was no faster than
    onnxruntime and peaked at 1455 MB RSS, so it is opt-in. ``auto`` takes it when installed.
    """
    if requested not in ("auto", "openvino", "onnxruntime"):
        raise EngineUnavailableError(f"Unknown rapidocr runtime {requested!r}: auto, openvino or onnxruntime.")
    if requested == "onnxruntime":
        return requested
    try:
        import openvino  # noqa: F401
    except ImportError as exc:
        if requested == "openvino":
            raise EngineUnavailableError("The openvino runtime is not installed (pip install openvino).") from exc
        return "onnxruntime"
    return "openvino"


def _check_characters(config: EngineConfig) -> None:
    """Refuse a recogniser whose character list is nowhere local: RapidOCR would download one."""
    if config.rec_keys:
        if not Path(config.rec_keys).is_file():
            raise EngineUnavailableError(f"Rec character list not found: {config.rec_keys}")
        return
    if not config.rec_model:
        return
    import onnxruntime as ort

    try:
        session = ort.InferenceSession(str(config.rec_model), providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - a broken model file is a configuration error
        raise EngineUnavailableError(f"Rec model cannot be loaded: {config.rec_model}: {exc}") from exc
    if "character" not in session.get_modelmeta().custom_metadata_map:
        raise EngineUnavailableError(
            f"Rec model {config.rec_model} embeds no character list; give its dictionary as rec_keys "
            "(ONCEONLY_OCR_REC_KEYS)."
        )


@register_engine("rapidocr")
def _make(config: EngineConfig) -> Engine:
    return RapidOcrEngine(config)
