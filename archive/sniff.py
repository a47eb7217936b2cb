"""Media type from the first bytes of the content, never from a filename or a client's claim."""

from __future__ import annotations

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def sniff_media_type(head: bytes) -> str | None:
    """Return the media type the bytes really are, or None when unrecognised."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head.startswith(b"PK\x03\x04") and head[26:28] == b"\x07\x00" and head[30:37] == b"OFD.xml":
        return "application/ofd"  # GB/T 33190: a ZIP whose first member is OFD.xml
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return "image/heic"
    return None
