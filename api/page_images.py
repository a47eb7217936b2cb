"""Page images of an archived scan for the desk (thumbnails and full-size previews).

PDFs are rendered with pypdfium2, images are scaled with Pillow; each rendering is cached with the
document as a derived record (``archive.put_derived``), so the original is read (and audited) once.
"""

from __future__ import annotations

import base64
import io

import pypdfium2
from PIL import Image

from standards.pdfium import PDFIUM_LOCK

DERIVED_KIND = "page-images"
WIDTHS = (160, 1000)
"""The two sizes the desk asks for: a thumbnail and a preview."""


def page_count(data: bytes, media_type: str) -> int:
    if media_type == "application/pdf":
        with PDFIUM_LOCK:
            pdf = pypdfium2.PdfDocument(data)
            try:
                return len(pdf)
            finally:
                pdf.close()
    with Image.open(io.BytesIO(data)) as image:
        return getattr(image, "n_frames", 1)


def render_page(data: bytes, media_type: str, page: int, width: int) -> bytes:
    """PNG of page ``page`` (1-based) scaled to ``width`` pixels; ``IndexError`` past the last page."""
    if media_type == "application/pdf":
        with PDFIUM_LOCK:
            pdf = pypdfium2.PdfDocument(data)
            try:
                if not 1 <= page <= len(pdf):
                    raise IndexError(page)
                sheet = pdf[page - 1]
                scale = width / sheet.get_width()
                bitmap = sheet.render(scale=scale)
                image = bitmap.to_pil().copy()  # our own pixels: pdfium's buffer goes with the bitmap
                bitmap.close()
                sheet.close()
            finally:
                pdf.close()
    else:
        with Image.open(io.BytesIO(data)) as source:
            if not 1 <= page <= getattr(source, "n_frames", 1):
                raise IndexError(page)
            source.seek(page - 1)
            image = source.convert("RGB")
            image.thumbnail((width, width * 4))
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", optimize=False)
    return out.getvalue()


def cache_key(page: int, width: int) -> str:
    return f"{page}@{width}"


def encode(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


def decode(text: str) -> bytes:
    return base64.b64decode(text)
