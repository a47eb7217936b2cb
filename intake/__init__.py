"""The intake domain: matters, cases, materials, reuse, notices, licences, delivery, metrics."""

from intake.db import IntakeBase, migrate

__all__ = ["IntakeBase", "migrate"]
