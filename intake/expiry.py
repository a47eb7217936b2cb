"""Validity periods as OCR and clerks write them: when does a document stop being valid?

One pure function, :func:`last_valid_day`, reads every form the OCR produces and people type:

* ISO 8601 intervals: ``2015-11-18/2035-11-17``, the open end ``2015-11-18/..``, ``../2035-11-17``;
* Chinese: ``2019年03月01日至长期``, ``自2015年11月18日至2035年11月17日止``, ``至2030年5月1日``,
  ``长期``, ``永久``, ``不约定期限``, ``无固定期限``, ``长期有效``;
* printed on ID cards: ``2016.03.01-2036.03.01``, ``20160301-20360301``, ``2016.03.01-长期``;
* a single date: ``2036-03-01`` or ``有效期至2036年3月1日``.

An open end gives :data:`PERMANENT` (``date.max``). Anything it cannot be sure of gives None — a start
without an end (``2015年11月18日起``, ``2015-11-18至``, ``2015-11-18/``), an impossible date (``2023-02-30``), an end
before the start — so a caller never reuses a document on a guess.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["PERMANENT", "OPEN_END_WORDS", "Validity", "parse_validity", "last_valid_day"]

PERMANENT = dt.date.max
OPEN_END_WORDS: tuple[str, ...] = ("长期", "長期", "永久", "不约定期限", "无固定期限", "無固定期限", "无期限")

_DATE = re.compile(
    r"(?P<y>\d{4})\s*[年./\-]\s*(?P<m>\d{1,2})\s*[月./\-]\s*(?P<d>\d{1,2})\s*日?"
    r"|(?<!\d)(?P<cy>\d{4})(?P<cm>\d{2})(?P<cd>\d{2})(?!\d)"
)
_ISO_OPEN_END = re.compile(r"/\s*\.\.\s*$")
_DANGLING = ("至", "到", "-", "~", "/")
"""What may follow a lone start date: the period was cut off (or OCR lost its end)."""


@dataclass(frozen=True)
class Validity:
    """A validity period; ``end`` is :data:`PERMANENT` for an open end, ``start`` None if not written."""

    start: dt.date | None
    end: dt.date

    @property
    def permanent(self) -> bool:
        return self.end == PERMANENT

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and day <= self.end


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text or "")
    return folded.replace("—", "-").replace("–", "-").replace("－", "-").replace("～", "~").strip()


def parse_validity(text: str) -> Validity | None:
    """The period written in ``text``, or None when it cannot be told for sure."""
    folded = _fold(text)
    if not folded:
        return None
    dates: list[tuple[dt.date, int]] = []
    for match in _DATE.finditer(folded):
        parts = (match["y"], match["m"], match["d"]) if match["y"] else (match["cy"], match["cm"], match["cd"])
        try:
            dates.append((dt.date(*(int(p) for p in parts)), match.end()))
        except ValueError:
            return None  # an impossible date was read: do not guess around it
    open_end = any(word in folded for word in OPEN_END_WORDS) or bool(dates and _ISO_OPEN_END.search(folded))
    if open_end:
        return Validity(dates[0][0] if dates else None, PERMANENT)
    if not dates:
        return None
    if len(dates) == 1:
        day, end_at = dates[0]
        after = folded[end_at:].strip()
        if "起" in after or after.rstrip("止") in _DANGLING:
            return None  # only a start: "2015年11月18日起", "2015-11-18至"
        return Validity(None, day)
    start, end = dates[0][0], dates[-1][0]
    if end < start:
        return None
    return Validity(start, end)


def last_valid_day(text: str) -> dt.date | None:
    """The last day ``text`` says a document is valid (``date.max`` for 长期), or None."""
    validity = parse_validity(text)
    return validity.end if validity else None
