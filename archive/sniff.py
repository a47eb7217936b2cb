"""Kept for one release: content sniffing lives in ``standards.sniff`` (shared with ``ocr``)."""

from standards.sniff import HEIC_BRANDS, sniff_media_type

__all__ = ["HEIC_BRANDS", "sniff_media_type"]
