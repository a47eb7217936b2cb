"""Time zones: China Standard Time (UTC+8, no daylight saving) and naive datetimes read as UTC.

SQLite hands back stored datetimes without their offset; every store writes UTC, so a naive value
read back is UTC. Local dates (dispatch days, 办结 dates, CSV exports) are China's.
"""

from __future__ import annotations

import datetime as dt
from typing import overload

__all__ = ["CHINA_TZ", "aware", "as_utc"]

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


@overload
def as_utc(value: dt.datetime) -> dt.datetime: ...


@overload
def as_utc(value: None) -> None: ...


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """``value`` with UTC attached when it has no offset (an aware value is returned as it is)."""
    return aware(value, dt.timezone.utc) if value is not None else None


def aware(value: dt.datetime, assumed: dt.tzinfo) -> dt.datetime:
    """``value`` with ``assumed`` attached when it has no offset."""
    return value if value.tzinfo else value.replace(tzinfo=assumed)
