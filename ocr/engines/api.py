"""The engine interface and registry. An engine turns one upright RGB image into text lines.

Engines register a factory under a name; configuration picks the name. Nothing else in the
package knows which engines exist::

    @register_engine("myengine")
    def _make(config: EngineConfig) -> Engine: ...
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from ocr.errors import EngineUnavailableError
from ocr.types import Line


@dataclass(frozen=True)
class EngineConfig:
    """What an engine needs to start. Paths are local files/directories; nothing is downloaded.

    ``threads`` is capped at the CPUs this process may use. ``det_model``/``rec_model``/
    ``cls_model`` override the models shipped with the engine (ONNX files for rapidocr, model
    directories for paddleocr). ``max_side_len`` bounds the detector input (pixels); a smaller
    image is detected at its own size (the pipeline enlarges it only when its text is tiny).
    ``runtime`` picks the inference library of engines that offer several (rapidocr:
    ``onnxruntime``, ``openvino`` — extra ``onceonly[openvino]`` —, or ``auto`` = OpenVINO when
    installed). onnxruntime is the default: OpenVINO was no faster here and its peak RSS
    (1455 MB) is over the 1.2 GB a worker may use (``bench/ocr_speed.py``). ``det_fallback``
    (with ``det_model``): a page whose reading is doubtful is detected again by the engine's own
    detector, and its new lines merged in (a fast ``det_model`` with the thorough one behind).
    ``memory_arena`` (rapidocr on onnxruntime, on by default): the recogniser keeps the buffers
    of one inference for the next (onnxruntime's CPU memory arena) instead of allocating — and
    page-faulting — every tensor afresh on each call; the same numbers come out, 0-9 % faster on
    the mix, ~90-130 MB more RSS. The detector keeps it off: its page-sized tensors would stay
    resident (docs/ocr.md, "Fourth session"). ``det_page_side``:
    the long side a page that is *not* enlarged for the detector (a scan, not a small photo) is
    detected at, at most (``None``: ``max_side_len``); lines are still cut from the full page.
    At 1280 scans are detected in about a third of the time at 2000; a speckled page
    (``ocr.preprocess.speckled``: salt-and-pepper) is detected at ``max_side_len`` whatever
    this says, since at 1280 it lost fields (own set 96.5 % of that condition vs 98.3 %).
    ``rec_min_width``: the narrowest the recogniser's input is (rapidocr; lines are 48 px high,
    a batch is as wide as its widest line, padded, and never narrower than this). RapidOCR's 320
    pads a batch of short lines (labels, dates, names) to 6.7 times their height; at 160 they cost
    about half as much, and the recogniser's time on the mix drops 9-17 % with the same fields on
    every set (docs/ocr.md, "Eighth session").
    """

    name: str = "rapidocr"
    threads: int = 2
    det_model: str | None = None
    rec_model: str | None = None
    cls_model: str | None = None
    rec_keys: str | None = None
    max_side_len: int = 2000
    text_score: float = 0.5
    runtime: str = "onnxruntime"
    det_fallback: bool = False
    memory_arena: bool = True
    det_page_side: int | None = 1280
    rec_min_width: int = 160
    options: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def effective_threads(self) -> int:
        try:
            available = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            available = os.cpu_count() or 1
        return max(1, min(self.threads, available))


@runtime_checkable
class Engine(Protocol):
    """An OCR engine instance: models loaded once, then ``read`` called per page."""

    name: str

    def read(self, image: np.ndarray, *, full_side: bool = False) -> list[Line]:
        """Text lines of an RGB ``H×W×3`` uint8 image, boxes in that image's pixels.

        ``full_side``: detect at up to ``max_side_len`` even where a scan would be detected
        smaller (``det_page_side``): the pipeline asks for it on speckled pages, whose strokes a
        smaller detector input loses among the specks, and on pages it enlarged.
        """
        ...

    def recognise(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Text and score of each single-line RGB crop (recogniser only; used by orientation)."""
        ...

    def warm_up(self) -> None:
        """Run once on a small synthetic image so the first real page pays no start-up cost."""
        ...


EngineFactory = Callable[[EngineConfig], Engine]
_REGISTRY: dict[str, EngineFactory] = {}


def register_engine(name: str) -> Callable[[EngineFactory], EngineFactory]:
    """Decorator: make ``factory`` available as engine ``name``."""

    def decorate(factory: EngineFactory) -> EngineFactory:
        _REGISTRY[name] = factory
        return factory

    return decorate


def available_engines() -> list[str]:
    """Names of the registered engines (an engine whose library is missing still registers)."""
    _load_builtin()
    return sorted(_REGISTRY)


def create_engine(config: EngineConfig | None = None) -> Engine:
    """Build the engine named by ``config.name`` (raises :class:`EngineUnavailableError`)."""
    config = config or EngineConfig()
    _load_builtin()
    factory = _REGISTRY.get(config.name)
    if factory is None:
        raise EngineUnavailableError(
            f"Unknown OCR engine {config.name!r}; available: {', '.join(sorted(_REGISTRY))}.",
            engine=config.name,
        )
    return factory(config)


def _load_builtin() -> None:
    # Importing the modules registers them; their heavy libraries load only when created.
    from ocr.engines import paddle, rapid  # noqa: F401
