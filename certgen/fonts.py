"""Embedded CJK fonts for every PDF certgen renders.

reportlab's built-in CID fonts (STSong-Light) are never embedded, so viewers substitute whatever
they have. We register a TrueType CJK font instead; reportlab embeds it as a subset.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from certgen.errors import FontUnavailableError

CJK_FONT = "OnceOnlyCJK"
"""The registered name of the default font; renderers use the name ``register_cjk_font`` returns."""

_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)


@dataclass(frozen=True)
class CjkFont:
    """A TrueType font (or collection and its subfont ``index``) with the Chinese glyphs."""

    path: Path
    index: int = 0


_chosen: CjkFont | None = None
_REGISTERING = threading.Lock()  # parsing the collection takes seconds: concurrent first users wait for one


def use_cjk_font(font: CjkFont | None) -> None:
    """Render Chinese text in ``font`` from now on (None: the first installed of the known fonts).

    The font is process-wide, like reportlab's font registry it is registered in."""
    global _chosen
    if font == _chosen:
        return
    _chosen = font
    cjk_font_path.cache_clear()
    _register_cjk_font.cache_clear()


@lru_cache(maxsize=1)
def cjk_font_path() -> tuple[Path, int]:
    """Return the TrueType collection and subfont index used for Chinese text."""
    chosen = [(str(_chosen.path), _chosen.index)] if _chosen else []
    for path, index in chosen + list(_CANDIDATES):
        if Path(path).is_file():
            return Path(path), index
    raise FontUnavailableError(
        "no TrueType CJK font found; install fonts-wqy-zenhei or set ONCEONLY_CJK_FONT"
    )


def register_cjk_font() -> str:
    """Register the CJK font with reportlab once per process and return its name.

    Pass the returned name as ``fontName`` (and as ``initialFontName`` to ``Canvas``) so that no
    unembedded base-14 font is written.
    """
    with _REGISTERING:
        return _register_cjk_font()


@lru_cache(maxsize=1)
def _register_cjk_font() -> str:
    path, index = cjk_font_path()
    name = CJK_FONT if _chosen is None else f"{CJK_FONT}-{path.stem}-{index}"  # reportlab keeps a name's first font
    font = TTFont(name, str(path), subfontIndex=index)
    if type(font.face) is TTFontFace:
        font.face.__class__ = _SubsettingFace
    pdfmetrics.registerFont(font)
    return name


class _GlyfView:
    """The font's ``glyf`` table without a copy of it: slices come out as ``bytes``."""

    def __init__(self, view: memoryview) -> None:
        self._view = view

    def __getitem__(self, index: slice) -> bytes:
        return bytes(self._view[index])

    def __len__(self) -> int:
        return len(self._view)


class _SubsettingFace(TTFontFace):
    """reportlab's face, except that subsetting reads the glyphs it needs in place.

    ``makeSubset`` (once per document) asks for the whole ``glyf`` table and slices the glyphs out
    of it; reportlab copies the table for that (10 MB for WenQuanYi Zen Hei: ~2 ms per licence).
    Here it gets a view of the font bytes already in memory; the subset is byte-identical
    (``tests/certgen/test_fonts.py`` compares it with reportlab's own)."""

    def get_table(self, tag: str) -> bytes:
        if tag != "glyf":
            return super().get_table(tag)
        pos, length = self.get_table_pos(tag)
        return _GlyfView(memoryview(self._ttf_data)[pos:pos + length])  # type: ignore[return-value]
