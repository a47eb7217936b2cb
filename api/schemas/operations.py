"""Bodies of the operational routes (health, readiness)."""

from __future__ import annotations

from typing import Literal

from api.schemas.common import Out


class HealthOut(Out):
    status: Literal["ok"]


class ReadyOut(Out):
    status: Literal["ready", "not_ready"]
    checks: dict[str, str]
    """``ok`` or ``error: <type>`` for ``database`` and ``store``."""
