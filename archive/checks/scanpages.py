"""Scanned PDF pages: a page that only draws JPEG images is proven by decoding those images in full.

pdfium decodes a page's full-resolution scan even when it renders at 12 dpi (~10 ms a page), and it
draws a truncated or corrupt JPEG without complaint. A page whose content stream only sets state and
draws DCT-encoded image XObjects (``q … cm /Im0 Do Q``, what scanners write) is instead proven by
decoding every one of its images with libjpeg through Pillow: every entropy-coded block is read
(DCT-scaled, see ``usability.decode_fully``), the image's own declared size is bounded (a small
``/Width`` cannot hide a bomb in the JPEG), and pdfium must still load the page and see exactly those
images and nothing else. Every other page, and any image this module does not decode itself, is
rendered by pdfium as before.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING, Any

from archive.checks.limits import CheckLimits
from archive.checks.usability import decode_fully, unusable
from archive.errors import DocumentUnusableError

if TYPE_CHECKING:
    from archive.checks.usability import Clock

# Operators that set state without painting anything; ``Do`` is checked separately.
_STATE_OPERATORS = frozenset({
    "q", "Q", "cm", "gs", "w", "J", "j", "M", "d", "ri", "i", "g", "G", "rg", "RG", "k", "K", "cs", "CS",
    "BT", "ET", "Tf", "TL", "Tc", "Tw", "Tz", "Ts", "Tr", "Td", "TD", "Tm", "T*",
})
_OUTER_FILTERS = frozenset({"/ASCII85Decode", "/ASCIIHexDecode", "/FlateDecode", "/LZWDecode", "/RunLengthDecode"})
_MAX_IMAGES = 8


def scan_pages(pdf: Any, limits: CheckLimits, clock: Clock) -> dict[int, int]:
    """Decode the images of every scan page of ``pdf``; return {page index: images drawn} for them.

    Raises ``DocumentUnusableError`` when one of those images is damaged or too large. An image
    object drawn on several pages is decoded once.
    """
    done: set[tuple[int, int]] = set()
    scratch: list[Any] = []
    found: dict[int, int] = {}
    try:
        for index, page in enumerate(pdf.pages):
            images = _page_images(page)
            if images is None:
                continue
            for image in images:
                key = image.objgen
                if key in done:
                    continue
                clock.tick()
                _decode_jpeg(_jpeg_bytes(image, scratch), limits, index)
                done.add(key)
            found[index] = len(images)
    finally:
        for doc in scratch:
            doc.close()
    return found


def pdfium_sees_only_images(page: Any, count: int) -> bool:
    """True when pdfium parsed the page into exactly ``count`` image objects and nothing else."""
    import pypdfium2.raw as pdfium_c

    if pdfium_c.FPDFPage_CountObjects(page.raw) != count:
        return False
    return all(pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, i)) == pdfium_c.FPDF_PAGEOBJ_IMAGE
               for i in range(count))


def _page_images(page: Any) -> list[Any] | None:
    """The JPEG image XObjects the page draws, when it paints nothing else; else None (render it)."""
    import pikepdf

    if "/Annots" in page.obj:
        return None
    try:
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        instructions = pikepdf.parse_content_stream(page)
    except Exception:  # noqa: BLE001 - let pdfium judge a page qpdf cannot parse
        return None
    images: list[Any] = []
    for instruction in instructions:
        operator = str(getattr(instruction, "operator", ""))
        if operator == "Do":
            operands = instruction.operands
            image = xobjects.get(operands[0]) if isinstance(xobjects, pikepdf.Dictionary) and operands else None
            if not _plain_jpeg(image):
                return None
            images.append(image)
        elif operator not in _STATE_OPERATORS:
            return None
    return images if 0 < len(images) <= _MAX_IMAGES else None


def _filters(stream: Any) -> list[str]:
    import pikepdf

    value = stream.stream_dict.get("/Filter")
    if isinstance(value, pikepdf.Name):
        return [str(value)]
    if isinstance(value, pikepdf.Array):
        return [str(f) for f in value]
    return []


def _plain_jpeg(image: Any) -> bool:
    """A DCT image with no mask and no soft mask, under at most a few general-purpose filters."""
    import pikepdf

    if not isinstance(image, pikepdf.Stream):
        return False
    d = image.stream_dict
    if d.get("/Subtype") != "/Image" or "/SMask" in d or "/Mask" in d or bool(d.get("/ImageMask", False)):
        return False
    try:
        filters = _filters(image)
    except Exception:  # noqa: BLE001
        return False
    return bool(filters) and filters[-1] == "/DCTDecode" and all(f in _OUTER_FILTERS for f in filters[:-1])


def _jpeg_bytes(image: Any, scratch: list[Any]) -> bytes:
    """The JPEG file inside the stream: qpdf undoes the general-purpose filters before ``/DCTDecode``."""
    import pikepdf

    raw = image.read_raw_bytes()
    filters = _filters(image)
    if len(filters) == 1:
        return raw
    if not scratch:
        scratch.append(pikepdf.new())  # a throw-away document: the checked one is never modified
    outer = scratch[0].make_stream(b"")
    params = image.stream_dict.get("/DecodeParms")
    kwargs: dict[str, Any] = {}
    if isinstance(params, pikepdf.Array):
        kwargs["decode_parms"] = pikepdf.Array(list(params)[:-1])
    outer.write(raw, filter=pikepdf.Array([pikepdf.Name(f) for f in filters[:-1]]), **kwargs)
    try:
        return outer.read_bytes()
    except Exception as exc:  # noqa: BLE001
        raise unusable("damaged", "an image stream of the PDF cannot be decoded") from exc


def _decode_jpeg(data: bytes, limits: CheckLimits, index: int) -> None:
    from PIL import Image

    page = index + 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if image.format != "JPEG":
                    raise unusable("damaged", f"an image on page {page} of the PDF is not a JPEG", page=page)
                if width <= 0 or height <= 0 or width * height > limits.max_pixels:
                    raise unusable("too_large", f"an image on page {page} is {width}×{height} pixels; the limit "
                                   f"is {limits.max_pixels} pixels", "PDF 中的图像像素数超过上限（疑似解压炸弹），请重新扫描",
                                   page=page)
                decode_fully(image)
    except DocumentUnusableError:
        raise
    except Image.DecompressionBombError as exc:
        raise unusable("too_large", f"an image on page {page} declares more pixels than allowed",
                       "PDF 中的图像像素数超过上限（疑似解压炸弹），请重新扫描", page=page) from exc
    except MemoryError as exc:
        raise unusable("too_large", f"an image on page {page} is too large to decode", page=page) from exc
    except Exception as exc:  # noqa: BLE001 - every decoder failure means "cannot be shown"
        raise unusable("damaged", f"an image on page {page} of the PDF is damaged or incomplete "
                       f"({type(exc).__name__})", page=page) from exc
