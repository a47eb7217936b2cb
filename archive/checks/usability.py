"""可用性: can the upload be shown at all? Images decoded in full, PDFs opened and every page rendered
(a scanned page by decoding its JPEGs, see ``scanpages``).

Declared sizes are checked before any pixel is decoded (decompression bombs never allocate), then
every frame / page is really decoded within the time budget. A PDF that qpdf had to repair (broken
xref) is usable but flagged ``repaired``; the original bytes are what the archive keeps.
"""

from __future__ import annotations

import io
import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from archive.checks.limits import CheckLimits
from archive.checks.package import check_ofd_package
from archive.errors import DocumentUnusableError
from standards.pdfium import PDFIUM_LOCK

if TYPE_CHECKING:
    from PIL import Image

PdfInspector = Callable[[Any], dict[str, Any]]
_ZH_DAMAGED = "文件已损坏或不完整，请重新扫描"


@dataclass
class Usability:
    """What opening the file showed: pages and their pixel sizes, repairs, warnings."""

    pages: int
    sizes: list[tuple[int, int]] = field(default_factory=list)  # per page/frame, pixels at ``dpi``
    repaired: bool = False
    encrypted: bool = False
    warnings: list[str] = field(default_factory=list)
    inspected: dict[str, Any] | None = field(default=None, repr=False)  # what ``inspect`` found (PDF)

    def as_dict(self) -> dict[str, object]:
        return {"ok": True, "pages": self.pages, "sizes": [list(s) for s in self.sizes[:20]],
                "repaired": self.repaired, "encrypted": self.encrypted, "warnings": self.warnings[:20]}


def unusable(reason: str, message_en: str, message_zh: str = _ZH_DAMAGED, **extra: object) -> DocumentUnusableError:
    return DocumentUnusableError(message_en, message_zh=message_zh, reason=reason, **extra)


class Clock:
    def __init__(self, limits: CheckLimits) -> None:
        self.deadline = time.monotonic() + limits.max_seconds

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise unusable("too_slow", "the file takes too long to open; it may be damaged or crafted",
                           "文件打开耗时过长，可能已损坏，请重新扫描")


def check_usable(
    data: bytes, media_type: str, limits: CheckLimits, *, inspect: PdfInspector | None = None,
) -> Usability:
    """Open ``data`` as ``media_type`` with a real parser; raise ``DocumentUnusableError`` if it fails.

    ``inspect`` is called with the open ``pikepdf.Pdf`` of a usable PDF (so the security scan does not
    parse the file a second time); its result is ``Usability.inspected``.
    """
    clock = Clock(limits)
    if media_type == "application/pdf":
        return _check_pdf(data, limits, clock, inspect)
    if media_type == "application/ofd":
        return Usability(pages=check_ofd_package(data, limits))
    return _check_image(data, media_type, limits, clock)


# --- images ------------------------------------------------------------------------------------


def _check_image(data: bytes, media_type: str, limits: CheckLimits, clock: Clock) -> Usability:
    from PIL import Image

    if media_type == "image/heic":
        try:
            import pillow_heif  # type: ignore[import-not-found]

            pillow_heif.register_heif_opener()
        except ImportError as exc:
            raise unusable("heic_unsupported", "HEIC images cannot be read on this server",
                           "本系统无法读取 HEIC 图像，请转换为 JPEG 或 PDF 后上传") from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            frames = getattr(image, "n_frames", 1)
            if frames > limits.max_pages:
                raise unusable("too_many_pages", f"the image has {frames} frames; at most {limits.max_pages} "
                               "are accepted", f"图像共 {frames} 页，超过上限 {limits.max_pages} 页")
            result = Usability(pages=frames)
            for index in range(frames):
                clock.tick()
                image.seek(index)
                width, height = image.size
                if width <= 0 or height <= 0 or width * height > limits.max_pixels:
                    raise _too_large(index, width, height, limits)
                decode_fully(image)  # truncated data raises here
                result.sizes.append((width, height))
            return result
    except DocumentUnusableError:
        raise
    except Image.DecompressionBombError as exc:
        raise unusable("too_large", "the image declares more pixels than allowed (decompression bomb)",
                       "图像像素数超过上限（疑似解压炸弹），请重新扫描") from exc
    except MemoryError as exc:
        raise unusable("too_large", "the image is too large to decode", "图像过大，无法读取，请重新扫描") from exc
    except Exception as exc:  # noqa: BLE001 - every decoder failure means "cannot be shown"
        raise unusable("damaged", f"the image is damaged or incomplete ({type(exc).__name__})") from exc


def decode_fully(image: "Image.Image") -> None:
    """Decode every byte of the current frame's data; truncated or undecodable data raises.

    A plain JPEG is decoded with libjpeg's DCT scaling (1/8): every entropy-coded block is still read
    and Huffman-decoded (a truncated or corrupt scan fails exactly as a full decode does, see
    tests/archive/test_jpeg_draft.py), but the inverse DCT and colour work shrink to 1/64.
    """
    if image.format == "JPEG" and getattr(image, "n_frames", 1) == 1:
        width, height = image.size
        image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
    image.load()


def _too_large(index: int, width: int, height: int, limits: CheckLimits) -> DocumentUnusableError:
    return unusable("too_large", f"page {index + 1} is {width}×{height} pixels; the limit is "
                    f"{limits.max_pixels} pixels", f"第 {index + 1} 页像素数超过上限（疑似解压炸弹），请重新扫描",
                    page=index + 1)


# --- PDF ---------------------------------------------------------------------------------------


def _check_pdf(data: bytes, limits: CheckLimits, clock: Clock, inspect: PdfInspector | None) -> Usability:
    import pikepdf

    from archive.checks.scanpages import scan_pages

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            repaired_by = [str(w) for w in pdf.get_warnings()]
            encrypted = bool(pdf.is_encrypted)
            pages = len(pdf.pages)
            _check_pdf_images(pdf, limits)
            _check_page_count(pages, limits)
            scans = scan_pages(pdf, limits, clock)
            inspected = inspect(pdf) if inspect is not None else None
    except DocumentUnusableError:
        raise
    except pikepdf.PasswordError as exc:
        raise unusable("encrypted", "the PDF is protected by a password",
                       "PDF 文件已加密，请去除密码后重新上传") from exc
    except Exception as exc:  # noqa: BLE001 - qpdf could not even repair it
        raise unusable("damaged", f"the PDF cannot be opened ({type(exc).__name__})") from exc
    result = Usability(pages=pages, repaired=bool(repaired_by), encrypted=encrypted, warnings=repaired_by,
                       inspected=inspected)
    _render_pages(data, result, limits, clock, scans)
    return result


def _check_page_count(pages: int, limits: CheckLimits) -> None:
    if pages == 0:
        raise unusable("no_pages", "the PDF has no pages", "PDF 文件没有页面，请重新扫描")
    if pages > limits.max_pages:
        raise unusable("too_many_pages", f"the PDF has {pages} pages; at most {limits.max_pages} are accepted",
                       f"PDF 共 {pages} 页，超过上限 {limits.max_pages} 页")


def _check_pdf_images(pdf, limits: CheckLimits) -> None:  # type: ignore[no-untyped-def]
    """Every image XObject within the pixel limit: a page may be small while its image is a bomb."""
    import pikepdf

    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.stream_dict.get("/Subtype") != "/Image":
            continue
        try:
            width, height = int(obj.stream_dict.get("/Width", 0)), int(obj.stream_dict.get("/Height", 0))
        except (TypeError, ValueError):
            continue  # a malformed image dictionary is left to the renderer to refuse
        if width * height > limits.max_pixels:
            raise unusable("too_large", f"the PDF holds a {width}×{height} pixel image; the limit is "
                           f"{limits.max_pixels} pixels", "PDF 中的图像像素数超过上限（疑似解压炸弹），请重新扫描")


def _render_pages(data: bytes, result: Usability, limits: CheckLimits, clock: Clock, scans: dict[int, int]) -> None:
    """Every page opened by pdfium (the renderer OCR uses), bounded in size, rendered at low dpi.

    ``scans``: pages whose JPEG images were already decoded in full (``scanpages``); such a page is
    not rendered when pdfium, too, sees nothing on it but those images.
    """
    with PDFIUM_LOCK:  # pdfium is not thread-safe (standards.pdfium)
        _render_locked(data, result, limits, clock, scans)


def _render_locked(data: bytes, result: Usability, limits: CheckLimits, clock: Clock, scans: dict[int, int]) -> None:
    import pypdfium2 as pdfium

    from archive.checks.scanpages import pdfium_sees_only_images

    try:
        doc = pdfium.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001
        raise unusable("damaged", f"the PDF cannot be rendered ({type(exc).__name__})") from exc
    try:
        if len(doc) != result.pages:
            result.warnings.append(f"renderer sees {len(doc)} pages, parser {result.pages}")
            result.pages = len(doc)
            scans = {}  # the two parsers disagree: render every page
            if result.pages == 0:
                raise unusable("no_pages", "the PDF has no pages the renderer can open", "PDF 文件没有可显示的页面")
        scale = limits.dpi / 72.0
        for index in range(result.pages):
            clock.tick()
            try:
                page = doc[index]
            except Exception as exc:  # noqa: BLE001
                raise unusable("damaged", f"page {index + 1} of the PDF cannot be loaded", page=index + 1) from exc
            try:
                w_pt, h_pt = page.get_size()
                if w_pt < 3 or h_pt < 3:  # below the smallest page PDF allows: nothing can be shown
                    raise unusable("damaged", f"page {index + 1} of the PDF has no usable size", page=index + 1)
                width, height = int(round(w_pt * scale)), int(round(h_pt * scale))
                if width <= 0 or height <= 0 or width * height > limits.max_pixels:
                    raise _too_large(index, width, height, limits)
                if index not in scans or not pdfium_sees_only_images(page, scans[index]):
                    bitmap = page.render(scale=limits.render_dpi / 72.0, may_draw_forms=False, no_smoothimage=True)
                    bitmap.close()
                result.sizes.append((width, height))
            except DocumentUnusableError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise unusable("damaged", f"page {index + 1} of the PDF cannot be rendered", page=index + 1) from exc
            finally:
                page.close()
    finally:
        doc.close()
