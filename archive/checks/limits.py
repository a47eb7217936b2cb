"""Bounds on what the intake checks will open: pages, pixels, time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckLimits:
    """The same bounds OCR applies (so an accepted file is always readable by OCR), plus time.

    ``max_pixels`` bounds every image frame and every PDF page rendered at ``dpi``; ``render_dpi``
    is the low resolution a PDF page is test-rendered at (a scan page's JPEGs are decoded instead); ``max_seconds`` bounds the whole check.
    """

    max_pages: int = 200
    max_pixels: int = 60_000_000
    dpi: int = 150
    render_dpi: int = 12
    max_seconds: float = 30.0
