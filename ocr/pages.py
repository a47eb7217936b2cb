"""Pages from any input: PDF (rendered, or its text layer), JPEG, PNG, TIFF, HEIC.

Limits are checked before any pixel is decoded: the page count of a PDF is read from its page
tree, the pixel size of an image from its header, and a PDF page's rendered size from its media
box and the dpi. A decompression bomb is refused, never rendered.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ocr.errors import (
    CorruptInputError,
    EmptyInputError,
    EncryptedPdfError,
    ImageTooLargeError,
    TooManyPagesError,
    UnsupportedInputError,
)
from ocr.types import Box, Line, box_from_rect
from standards.pdfium import PDFIUM_LOCK
from standards.sniff import sniff_media_type

MediaKind = Literal["pdf", "jpeg", "png", "tiff", "heic"]
_KINDS: dict[str, MediaKind] = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png",
                                "image/tiff": "tiff", "image/heic": "heic"}


@dataclass(frozen=True)
class InputLimits:
    """Bounds on what is read. ``max_pixels`` applies to every image and rendered page."""

    max_pages: int = 200
    max_pixels: int = 60_000_000
    dpi: int = 150
    #: A PDF page whose text layer has at least this many characters is taken as born-digital.
    text_layer_min_chars: int = 20
    use_text_layer: bool = True


@dataclass
class PageSource:
    """One page ready for reading: an RGB image (H×W×3 uint8) and/or its text-layer lines."""

    index: int
    width: int
    height: int
    image: np.ndarray | None = None
    text_lines: list[Line] = field(default_factory=list)


def sniff(data: bytes) -> MediaKind:
    """The media kind from the magic bytes (the filename is never trusted)."""
    if not data:
        raise EmptyInputError("The file is empty (0 bytes).")
    media_type = sniff_media_type(data[:1024], pdf_header_within=1024)
    if media_type is not None:
        return _KINDS[media_type]
    raise UnsupportedInputError("The file is not a PDF, JPEG, PNG, TIFF or HEIC image.")


def count_pages(data: bytes, limits: InputLimits | None = None) -> int:
    """How many pages the input has (cheap: no page is rendered or decoded). With ``limits``, more
    than ``limits.max_pages`` raises ``TooManyPagesError``."""
    kind = sniff(data)
    if kind == "pdf":
        with PDFIUM_LOCK:
            pdf = _open_pdf(data)
            try:
                pages = len(pdf)
            finally:
                pdf.close()
    else:
        pages = _frame_count(_open_image(data, kind))
    if limits is not None:
        _check_pages(pages, kind, limits)
    return pages


def _check_pages(pages: int, kind: MediaKind, limits: InputLimits) -> None:
    if pages > limits.max_pages:
        what = "PDF" if kind == "pdf" else "image"
        raise TooManyPagesError(f"The {what} has {pages} pages; at most {limits.max_pages} are accepted.",
                                pages=pages, max_pages=limits.max_pages)


def iter_pages(data: bytes, limits: InputLimits | None = None) -> Iterator[PageSource]:
    """Yield the pages of the input one by one (so a long PDF is never held in memory at once).

    Raises an :class:`ocr.errors.OcrError` subclass for empty, unsupported, corrupt, encrypted,
    too-long or too-large input — before yielding anything when the problem is known up front.
    """
    limits = limits or InputLimits()
    kind = sniff(data)
    if kind == "pdf":
        yield from _pdf_pages(data, limits)
    else:
        yield from _image_pages(data, kind, limits)


# --- PDF -----------------------------------------------------------------------------------


def _open_pdf(data: bytes):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text or "security" in text:
            raise EncryptedPdfError("The PDF is encrypted; remove the password first.") from exc
        raise _corrupt("The PDF is damaged or incomplete and cannot be opened.") from exc
    except Exception as exc:  # noqa: BLE001 - whatever the parser says, the file is unreadable
        raise _corrupt("The PDF is damaged or incomplete and cannot be opened.") from exc


_CLERK_ZH = "文件已损坏或不完整，请重新扫描"


def _corrupt(message: str, **extra: object) -> CorruptInputError:
    """A corrupt-input error with a clerk's message; never the parser's text (it may hold object reprs)."""
    return CorruptInputError(message, message_zh=_CLERK_ZH, **extra)


def _pdf_pages(data: bytes, limits: InputLimits) -> Iterator[PageSource]:
    """Each page read under pdfium's process-wide lock (``standards.pdfium``), released between pages."""
    with PDFIUM_LOCK:
        pdf = _open_pdf(data)
    try:
        with PDFIUM_LOCK:
            n = len(pdf)
        if n == 0:
            raise CorruptInputError("The PDF has no pages.")
        _check_pages(n, "pdf", limits)
        scale = limits.dpi / 72.0
        for index in range(n):
            with PDFIUM_LOCK:
                source = _read_pdf_page(pdf, index, scale, limits)
            yield source
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def _read_pdf_page(pdf, index: int, scale: float, limits: InputLimits) -> PageSource:  # type: ignore[no-untyped-def]
    try:
        page = pdf[index]
    except Exception as exc:  # noqa: BLE001 - pdfium: "Failed to load page"
        raise _corrupt(f"Page {index + 1} of the PDF is damaged and cannot be read.", page=index + 1) from exc
    try:
        w_pt, h_pt = page.get_size()
        width, height = int(round(w_pt * scale)), int(round(h_pt * scale))
        if width <= 0 or height <= 0:
            raise CorruptInputError(f"Page {index + 1} has an empty media box.")
        if width * height > limits.max_pixels:
            raise ImageTooLargeError(
                f"Page {index + 1} would render to {width}×{height} pixels at "
                f"{limits.dpi} dpi; the limit is {limits.max_pixels} pixels.",
                page=index + 1,
            )
        lines = _text_layer(page, scale, h_pt) if limits.use_text_layer else []
        if sum(len(x.text) for x in lines) >= limits.text_layer_min_chars:
            return PageSource(index, width, height, None, lines)
        try:
            bitmap = page.render(scale=scale, rotation=0)
            try:
                image = np.ascontiguousarray(bitmap.to_numpy()[:, :, :3][:, :, ::-1])  # BGR(A)->RGB, our copy
            finally:
                bitmap.close()  # now, under the lock: never by the garbage collector on another thread
        except MemoryError as exc:
            raise ImageTooLargeError(f"Page {index + 1} is too large to render.", page=index + 1) from exc
        except Exception as exc:  # noqa: BLE001
            raise _corrupt(f"Page {index + 1} of the PDF is damaged and cannot be rendered.",
                           page=index + 1) from exc
        return PageSource(index, image.shape[1], image.shape[0], image)
    finally:
        page.close()


def _text_layer(page, scale: float, height_pt: float) -> list[Line]:  # type: ignore[no-untyped-def]
    """Lines of a page's text layer with boxes in rendered-pixel coordinates (top-left origin)."""
    try:
        textpage = page.get_textpage()
    except Exception:  # noqa: BLE001 - a broken text layer means "render instead"
        return []
    try:
        if textpage.count_chars() <= 0:
            return []
        lines: list[Line] = []
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            text = textpage.get_text_bounded(left, bottom, right, top).strip()
            text = "".join(ch for ch in text if ch.isprintable())
            if not text:
                continue
            box: Box = box_from_rect(
                left * scale, (height_pt - top) * scale, right * scale, (height_pt - bottom) * scale
            )
            lines.append(Line(text, box, 1.0))
        return _merge_segments(lines)
    finally:
        textpage.close()


def _merge_segments(lines: list[Line]) -> list[Line]:
    """pdfium splits a line at gaps; rejoin segments on the same baseline that are close together."""
    out: list[Line] = []
    for line in sorted(lines, key=lambda x: (round(x.box[0][1] / 4), x.box[0][0])):
        if out:
            prev = out[-1]
            h = prev.box[3][1] - prev.box[0][1]
            same_row = abs(prev.box[0][1] - line.box[0][1]) < 0.4 * max(h, 1)
            gap = line.box[0][0] - prev.box[1][0]
            if same_row and 0 <= gap < 1.5 * max(h, 1):
                merged = box_from_rect(
                    prev.box[0][0], min(prev.box[0][1], line.box[0][1]),
                    line.box[1][0], max(prev.box[3][1], line.box[3][1]),
                )
                out[-1] = Line(prev.text + line.text, merged, 1.0)
                continue
        out.append(line)
    return out


# --- images --------------------------------------------------------------------------------


def _open_image(data: bytes, kind: MediaKind) -> Image.Image:
    if kind == "heic":
        try:
            import pillow_heif  # type: ignore[import-not-found]

            pillow_heif.register_heif_opener()
        except ImportError as exc:
            raise UnsupportedInputError(
                "HEIC images need the optional extra onceonly[heic].",
                message_zh="读取 HEIC 图像需要安装可选组件 onceonly[heic]",
            ) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError("The image declares more pixels than allowed (possible decompression bomb).") from exc
    except UnidentifiedImageError as exc:
        raise _corrupt("The image is damaged or not a picture this service can read.") from exc
    except Exception as exc:  # noqa: BLE001 - OSError, SyntaxError, TypeError ("Missing dimensions"), ...
        raise _corrupt("The image is damaged or incomplete and cannot be read.") from exc


def _frame_count(img: Image.Image) -> int:
    try:
        return int(getattr(img, "n_frames", 1))
    except Exception as exc:  # noqa: BLE001 - a broken frame chain
        raise _corrupt("The image's pages cannot be counted; the file is damaged.") from exc


def _image_pages(data: bytes, kind: MediaKind, limits: InputLimits) -> Iterator[PageSource]:
    img = _open_image(data, kind)
    frames = _frame_count(img)
    _check_pages(frames, kind, limits)
    for index in range(frames):
        try:
            img.seek(index)
        except Exception as exc:  # noqa: BLE001 - EOFError, or a broken frame header
            raise _corrupt(f"Page {index + 1} of the image is missing or damaged.", page=index + 1) from exc
        width, height = img.size
        if width <= 0 or height <= 0:
            raise CorruptInputError("The image has no pixels.")
        if width * height > limits.max_pixels:
            raise ImageTooLargeError(
                f"The image is {width}×{height} pixels; the limit is {limits.max_pixels} pixels.",
                page=index + 1,
            )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                frame = ImageOps.exif_transpose(img.copy() if frames > 1 else img)
                frame = _to_rgb(frame)
                image = np.asarray(frame, dtype=np.uint8)
        except Image.DecompressionBombError as exc:
            raise ImageTooLargeError("The image declares more pixels than allowed (possible decompression bomb).",
                                     page=index + 1) from exc
        except MemoryError as exc:
            raise ImageTooLargeError("The image is too large to decode.", page=index + 1) from exc
        except Exception as exc:  # noqa: BLE001 - OSError, SyntaxError, ValueError, TypeError, ...
            raise _corrupt(f"Page {index + 1} of the image is damaged or truncated.", page=index + 1) from exc
        yield PageSource(index, image.shape[1], image.shape[0], np.ascontiguousarray(image))


def _backdrop(rgba: Image.Image) -> tuple[int, int, int]:
    """The colour to flatten a transparent image onto: white, unless what is drawn is light.

    White text on a transparent background pasted onto white vanishes; onto black it reads.
    """
    arr = np.asarray(rgba.reduce(4) if min(rgba.size) >= 64 else rgba, dtype=np.uint8)
    drawn = arr[:, :, 3] > 127
    if drawn.all() or not drawn.any():
        return (255, 255, 255)
    luminance = arr[:, :, :3][drawn].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    return (0, 0, 0) if float(np.median(luminance)) > 160 else (255, 255, 255)


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode == "RGB":
        return img
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, _backdrop(rgba))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float64)
        peak = float(arr.max()) or 1.0
        return Image.fromarray((arr * (255.0 / peak)).astype(np.uint8)).convert("RGB")
    return img.convert("RGB")
