"""Content type from the first bytes (magic numbers), never from a filename or a client's claim."""

from __future__ import annotations

__all__ = ["HEIC_BRANDS", "sniff_media_type"]

HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
"""ISO BMFF ``ftyp`` brands of HEIF/HEIC images."""


def sniff_media_type(head: bytes, *, pdf_header_within: int = 0) -> str | None:
    """The media type the bytes really are (PDF, JPEG, PNG, TIFF, HEIC, OFD), or None when unrecognised.

    A PDF must start with ``%PDF-``; with ``pdf_header_within`` the header may come after leading
    junk in the first that many bytes (readers tolerate it, an archive of originals does not)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if pdf_header_within:
        window = head[:pdf_header_within]
        if window.lstrip().startswith(b"%PDF") or b"%PDF-" in window:
            return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head.startswith(b"PK\x03\x04") and head[26:28] == b"\x07\x00" and head[30:37] == b"OFD.xml":
        return "application/ofd"  # GB/T 33190: a ZIP whose first member is OFD.xml
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return "image/heic"
    return None
