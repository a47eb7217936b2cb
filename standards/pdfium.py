"""One lock for every call into pdfium in this process.

pdfium is not thread-safe: two threads inside it at once — even on different documents — corrupt its
global state, and the process dies (a segfault; `serve` lost requests in flight when two licences'
四性检测 rendered their PDFs side by side). The archive's checks, OCR's page rendering and the desk's
page images all run in one process, on different threads, so they share this lock. Hold it around
each pdfium call sequence (open, pages, render, close), not around work on the rendered pixels.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
"""Re-entrant: a function holding it may call another that takes it."""
