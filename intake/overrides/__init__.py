"""Audited overrides of blocking findings by approvers."""

from intake.overrides.service import OVERRIDE_ROLES, OverrideService, OverrideView, find_finding
from intake.overrides.tables import OverrideRow

__all__ = ["OVERRIDE_ROLES", "OverrideRow", "OverrideService", "OverrideView", "find_finding"]
