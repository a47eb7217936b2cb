"""Run by test_pdfium_threads.py in its own process: pdfium from several threads at once, as one
`serve` process does when the archive's checks, OCR and the desk's page images meet. Exit 0 = alive."""

from __future__ import annotations

import io
import sys
import threading
import time

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from PIL import Image, ImageDraw


def pdf(pages: int) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for n in range(pages):
        image = Image.new("RGB", (400, 300), "white")
        ImageDraw.Draw(image).text((20, 20 + n), f"page {n}", fill="black")
        canvas.drawImage(ImageReader(image), 72, 400, 300, 220)
        canvas.drawString(72, 720, f"Lease contract, page {n + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def main() -> int:
    from api.page_images import render_page
    import hashlib

    from archive.checks import CheckLimits, run_checks
    from ocr.pages import iter_pages

    data = pdf(3)
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 4.0
    stop = time.monotonic() + seconds
    errors: list[BaseException] = []

    def loop(work) -> None:  # type: ignore[no-untyped-def]
        try:
            while time.monotonic() < stop:
                work()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    sha256 = hashlib.sha256(data).hexdigest()
    jobs = [lambda: run_checks(data, "application/pdf", sha256=sha256, filename="lease.pdf", metadata={},
                               limits=CheckLimits()), lambda: list(iter_pages(data)),
            lambda: render_page(data, "application/pdf", 2, 160)] * 2
    threads = [threading.Thread(target=loop, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"errors: {errors!r}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
