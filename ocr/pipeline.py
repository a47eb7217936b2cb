"""The reading pipeline: input -> pages -> (clean, read, orient, order) -> type -> fields.

``Reader`` holds one engine (models loaded once, warmed up) and the document-type templates.
Create one per worker and reuse it; it is not meant to be shared between threads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr import preprocess as pp
from ocr.candidates import SECOND_LOOK_SCORE, doubtful_reading, merge_readings, pad_box, scale_box, upscale_factor
from ocr.crops import crop_line
from ocr.doctypes import OTHER, DocType, classify, load_doctypes
from ocr.engines import Engine, EngineConfig, create_engine
from ocr.errors import EngineFailedError, OcrError
from ocr.fields import extract_fields
from ocr.layout import reading_order
from ocr.pages import InputLimits, PageSource, count_pages, iter_pages
from ocr.pairs import extract_pairs
from ocr.seals import Seal, find_seals, remove_seals, seal_touches
from ocr.types import DocumentResult, Line, Page

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class OcrConfig:
    """Everything the pipeline needs; built by the caller (the library reads no settings)."""

    engine: EngineConfig = field(default_factory=EngineConfig)
    limits: InputLimits = field(default_factory=InputLimits)
    template_dir: str | None = None
    orientation: bool = True
    denoise: bool = True
    upscale: bool = True
    warm_up: bool = True


class Reader:
    """Reads documents with one engine instance."""

    def __init__(self, config: OcrConfig | None = None, *, engine: Engine | None = None) -> None:
        self.config = config or OcrConfig()
        self.doctypes: list[DocType] = load_doctypes(self.config.template_dir)
        self.engine: Engine = engine or create_engine(self.config.engine)
        if self.config.warm_up:
            self.engine.warm_up()

    # --- one page ---------------------------------------------------------------------------

    def read_page(self, source: PageSource) -> Page:
        """Read one page (text layer taken as is; images cleaned, read, oriented, ordered)."""
        if source.image is None:
            lines = reading_order(source.text_lines)
            return Page(source.index, source.width, source.height, 0, 0.0, 1.0 if lines else 0.0,
                        "text_layer", False, lines)
        image = source.image
        measured = pp.impulse_noise_level(image)  # at full resolution: shrinking hides specks
        noise = measured if self.config.denoise else 0.0
        full_side = pp.speckled(measured)  # a speckled page is detected at full size, not det_page_side
        image, factor = pp.downscale_large(image, self.config.engine.max_side_len)
        lines, image, denoised = self._read_candidates(image, noise, source.index, full_side)
        rotation = 0
        read = [x for x in lines if x.text]  # upside down, even real lines read with low scores
        if self.config.orientation and pp.needs_orientation_probe(read):
            verdict = pp.probe_orientation(image, read, self.engine.recognise)
            if verdict.rotation:
                rotation = verdict.rotation
                turned = pp.rotate_image(image, rotation)
                lines = (self._reread_turned(image, turned, lines, rotation)
                         or self._read_image(turned, source.index, full_side))
                image = turned
        lines = self._confident(lines)
        if factor != 1.0:
            lines = [Line(x.text, scale_box(x.box, 1.0 / factor), x.score, x.alternatives) for x in lines]
        skew = pp.estimate_skew(lines)
        ordered = reading_order(lines, skew)
        quality = pp.page_quality(ordered, noise)
        height, width = (source.height, source.width) if rotation in (0, 180) else (source.width, source.height)
        return Page(source.index, width, height, rotation, skew, quality, "ocr", denoised, ordered)

    def _read_candidates(self, page: np.ndarray, noise: float, index: int,
                         full_side: bool) -> tuple[list[Line], np.ndarray, bool]:
        """Read the page as it came and, only where a step applies, as cleaned; merge per line.

        Returns the lines, the image later steps (orientation) work on, and whether the page
        was denoised. Each step earns its place on a page: impulse cleaning only on a noisy
        page (then the page as it came is read too), seal removal only inside round red rings
        (it changes no pixel elsewhere, so only the lines crossing a seal are recognised again
        as they came), enlarging only when the text the detector found is tiny. The uncleaned
        reading of every line a step touched stays a candidate. ``full_side``: the page is
        detected at full size (speckled; see ``Engine.read``); an enlarged page always is.
        """
        image = page
        denoised = noise > pp.NOISE_THRESHOLD
        if denoised:
            image = pp.clean_impulse_noise(image)
        found = find_seals(image)
        washed = remove_seals(image, found) if found else image
        lines = self._read_image(washed, index, full_side)
        if found:  # only pixels inside the seals changed: only lines crossing one are read as they came
            lines = self._compare_under_seals(image, lines, found)
        if denoised:  # the cleaned reading is the base, the page as it came a fallback per line
            lines = merge_readings(lines, self._read_image(page, index, full_side))
        image = washed
        lines = self._second_look(image, lines)
        if self.config.upscale:
            up = upscale_factor(lines, max(image.shape[:2]), self.config.engine.max_side_len)
            if up > 1.0:
                big = cv2.resize(image, None, fx=up, fy=up, interpolation=cv2.INTER_CUBIC)
                enlarged = [Line(x.text, scale_box(x.box, 1.0 / up), x.score)
                            for x in self._read_image(big, index, True)]
                lines = merge_readings(lines, enlarged)
        return lines, image, denoised

    def _compare_under_seals(self, unwashed: np.ndarray, lines: list[Line], found: list[Seal]) -> list[Line]:
        """Each line crossing a seal recognised again from the page as it came (recogniser only);
        the better-scored reading of the two wins, the other stays an alternative."""
        touched = [i for i, x in enumerate(lines) if x.text and any(seal_touches(s, x.box) for s in found)]
        if not touched:
            return lines
        again = self.engine.recognise([crop_line(unwashed, lines[i].box, upright_tall=True) for i in touched])
        out = list(lines)
        for i, (text, score) in zip(touched, again, strict=True):
            out[i] = merge_readings([lines[i]], [Line(text, lines[i].box, score)])[0]
        return out

    def _second_look(self, image: np.ndarray, lines: list[Line]) -> list[Line]:
        """Re-recognise doubtful lines from a slightly taller cut (recogniser only) and keep
        whichever reading scores higher: the detector's box often clips a blurred line's
        strokes. Only lines read with a score under ``SECOND_LOOK_SCORE`` pay for it."""
        doubtful = [i for i, x in enumerate(lines) if x.text and x.score < SECOND_LOOK_SCORE]
        if not doubtful:
            return lines
        height, width = image.shape[:2]
        boxes = [pad_box(lines[i].box, 0.15, width, height) for i in doubtful]
        again = self.engine.recognise([crop_line(image, box, upright_tall=True) for box in boxes])
        out = list(lines)
        for i, (text, score) in zip(doubtful, again, strict=True):
            old = lines[i]
            if text and score > old.score + 0.02:
                out[i] = Line(text, old.box, score, (old.text, *old.alternatives))
            elif text and text != old.text:
                out[i] = Line(old.text, old.box, old.score, (*old.alternatives, text))
        return out

    def _confident(self, lines: list[Line]) -> list[Line]:
        return [x for x in lines if x.score >= self.config.engine.text_score]

    def _reread_turned(self, image: np.ndarray, turned: np.ndarray, lines: list[Line], rotation: int) -> list[Line]:
        """Recognise the first pass's lines again on the turned page (no second detection).

        The detector finds lines whatever way up they are; only the reading was wrong. Returns
        nothing when the re-read is not convincing, and the caller reads the page afresh.
        """
        height, width = image.shape[:2]
        boxes = [pp.rotate_box(x.box, width, height, rotation) for x in lines]
        read = self.engine.recognise([crop_line(turned, box) for box in boxes])
        again = [Line(text, box, score) for (text, score), box in zip(read, boxes, strict=True) if text]
        kept = self._confident(again)
        if sum(len(x.text) for x in kept) < 4 or pp.weighted_score(kept) < pp.REREAD_MIN_SCORE \
                or pp.vertical_fraction(kept) > 0.2:
            return []
        return again

    def _read_image(self, image: np.ndarray, index: int, full_side: bool) -> list[Line]:
        try:
            return self.engine.read(image, full_side=full_side)
        except EngineFailedError as exc:
            raise EngineFailedError(f"Page {index + 1}: {exc}", page=index + 1) from exc

    # --- a document -------------------------------------------------------------------------

    def read(self, data: bytes, *, progress: Progress | None = None) -> DocumentResult:
        """Read a whole document. Raises :class:`ocr.errors.OcrError` on bad input or a failed page.

        ``progress(done, total)`` is called after each page.
        """
        limits = self.config.limits
        total = count_pages(data, limits) if progress else 0
        pages: list[Page] = []
        for source in iter_pages(data, limits):
            pages.append(self.read_page(source))
            if progress:
                progress(len(pages), max(total, len(pages)))
        result = self.analyse(pages)
        if not getattr(self.engine, "has_fallback", False) or not (
                fields_doubtful(result, self.doctypes) or any(doubtful_reading(p.lines) for p in pages
                                                             if p.source == "ocr")):
            return result
        # A fast detector in front: its reading or fields fell short (judged on upright pages), so
        # the document is read again with the thorough detector's lines merged in, and the reading
        # with more fields that hold is kept.
        self.engine.thorough = True  # type: ignore[attr-defined]
        try:
            again = self.analyse([self.read_page(source) for source in iter_pages(data, limits)])
        finally:
            self.engine.thorough = False  # type: ignore[attr-defined]
        return again if _sound_fields(again) >= _sound_fields(result) else result

    def analyse(self, pages: list[Page]) -> DocumentResult:
        """Type and fields of already-read pages."""
        verdict = classify(pages, self.doctypes)
        pairs = extract_pairs(pages)
        fields = {}
        if verdict.doc_type != OTHER:
            doctype = next(t for t in self.doctypes if t.name == verdict.doc_type)
            fields = dict(pairs) if doctype.pairs_as_fields else {}
            fields.update(extract_fields(pages, doctype))
        return DocumentResult(verdict.doc_type, verdict.confidence, pages, fields, pairs,
                              getattr(self.engine, "name", ""))


def _sound_fields(result: DocumentResult) -> int:
    return sum(1 for f in result.fields.values() if f.value is not None and f.valid is not False)


def fields_doubtful(result: DocumentResult, doctypes: list[DocType]) -> bool:
    """Whether a reading's fields fell short: a known document type with more than one of its
    declared fields absent (one may be: the old 注册号 is on old licences only), or a field that
    does not parse or fails its check, or was read with low confidence."""
    if result.doc_type == OTHER:
        return False
    doctype = next((t for t in doctypes if t.name == result.doc_type), None)
    if doctype is None:
        return False
    absent = sum(1 for spec in doctype.fields if spec.key not in result.fields)
    unsound = any(f.value is None or f.valid is False or "low_confidence" in f.flags for f in result.fields.values())
    return absent > 1 or unsound


def read_document(data: bytes, config: OcrConfig | None = None) -> DocumentResult:
    """One-off convenience: build a :class:`Reader` and read ``data`` (loads models each call)."""
    return Reader(config).read(data)


__all__ = ["OcrConfig", "OcrError", "Reader", "read_document"]
