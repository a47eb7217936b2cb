"""Text layout shared by every renderer: greedy line wrapping measured in the font (CJK-safe)."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfbase.pdfmetrics import stringWidth

__all__ = ["wrap", "wrap_measured"]


def wrap_measured(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """Break ``text`` into lines that ``measure`` no wider than ``width``, character-wise (as CJK
    needs). Explicit newlines start a new line; whitespace at a soft break is dropped; no other
    text is ever dropped (a character wider than ``width`` gets a line of its own). ``""`` -> ``[]``."""
    if not text:
        return []
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if line and measure(line + char) > width:
                lines.append(line)
                line = char.lstrip()
            else:
                line += char
        lines.append(line)
    return lines


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``wrap_measured`` in a reportlab font (points)."""
    return wrap_measured(text, lambda s: stringWidth(s, font, size), width)
