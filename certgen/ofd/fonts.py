"""A TrueType subset of the CJK face, holding exactly the characters a document uses (fontTools)."""

from __future__ import annotations

import io
import threading
from functools import lru_cache

from fontTools import subset
from fontTools.ttLib import TTFont

from certgen.fonts import cjk_font_path

# bitmaps, hinting and layout tables are not needed for fixed-layout text and make subsetting slow
_DROP = ["EBDT", "EBLC", "EBSC", "BDF", "FFTM", "GSUB", "GPOS", "GDEF", "vhea", "vmtx"]
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def cjk_font_names() -> tuple[str, str]:
    """(font name, family name) of the configured CJK face, as OFD ``Font`` attributes want them."""
    path, index = cjk_font_path()
    font = TTFont(str(path), fontNumber=index, lazy=True)
    names = font["name"]
    return (names.getDebugName(4) or "CJK", names.getDebugName(1) or "CJK")


@lru_cache(maxsize=64)
def _subset(chars: str) -> bytes:
    path, index = cjk_font_path()
    font = TTFont(str(path), fontNumber=index, lazy=True)
    options = subset.Options()
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    options.drop_tables += _DROP
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def subset_cjk_font(text: str) -> bytes:
    """TrueType bytes of the CJK face (``certgen.fonts.cjk_font_path``) cut down to ``text``'s characters."""
    chars = "".join(sorted(set(text) | {" "}))
    with _LOCK:  # fontTools objects are not shared between threads; the cache is
        return _subset(chars)
