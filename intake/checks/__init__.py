"""Checks (核验): every document and the form against the case, as findings.

Pure: :func:`run_checks` takes the matter, the case's facts, its form and each document's OCR
result and returns findings; the caller gathers the inputs (``intake.cases.checking``).
"""

from __future__ import annotations

from collections.abc import Sequence

from intake.checks.documents import HOLDER_FIELDS, document_findings
from intake.checks.form import form_findings
from intake.checks.model import CaseFacts, DocumentFacts, Finding, Severity
from intake.matters.model import Matter
from intake.prefill import FilledField

__all__ = ["CaseFacts", "DocumentFacts", "Finding", "Severity", "HOLDER_FIELDS", "run_checks", "blocking"]


def run_checks(matter: Matter, case: CaseFacts, form: Sequence[FilledField],
               documents: Sequence[DocumentFacts]) -> tuple[Finding, ...]:
    """Every finding, documents in the checklist's order first, then the form's."""
    order = {m.id: i for i, m in enumerate(matter.materials)}
    docs = sorted(documents, key=lambda d: order.get(d.material_id, len(order)))
    return tuple(document_findings(matter, case, docs) + form_findings(form))


def blocking(findings: Sequence[Finding], overridden: set[str] | frozenset[str] = frozenset()) -> tuple[Finding, ...]:
    """The blocking findings no approver has overridden (by :attr:`Finding.key`)."""
    return tuple(f for f in findings if f.severity == "blocking" and f.key not in overridden)
