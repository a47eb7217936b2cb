"""Text as a literal inside an SQL ``LIKE`` pattern (the same on SQLite and PostgreSQL)."""

from __future__ import annotations

__all__ = ["LIKE_ESCAPE", "like_contains"]

LIKE_ESCAPE = "\\"
"""The escape character to pass as ``escape=`` with a pattern from :func:`like_contains`."""


def like_contains(text: str) -> str:
    """A pattern matching any value that contains ``text`` as it is (``%`` and ``_`` are not wildcards)."""
    literal = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{literal}%"
