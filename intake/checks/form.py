"""Checks of the form: required fields filled, conflicts settled, identifiers that pass their check."""

from __future__ import annotations

from collections.abc import Sequence

from intake.checks.model import Finding
from intake.prefill import FilledField

__all__ = ["form_findings"]


def form_findings(form: Sequence[FilledField]) -> list[Finding]:
    out: list[Finding] = []
    for f in form:
        if f.conflict and not f.resolved:
            values = "、".join(dict.fromkeys(c.value for c in f.candidates if c.value.strip()))
            out.append(Finding("form_conflict", "blocking", None, None, f"“{f.label}”各来源不一致（{values}），请选择",
                               f"the sources of '{f.name}' disagree ({values}); choose one", field=f.name))
        elif f.required and not f.value:
            out.append(Finding("form_required_empty", "blocking", None, None, f"必填项“{f.label}”尚未填写",
                               f"required field '{f.name}' is empty", field=f.name))
        if f.value and f.valid is False:
            severity = "warning" if f.type == "uscc" and f.check_reason == "check_mismatch" else "blocking"
            out.append(Finding("form_value_invalid", severity, None, None,  # type: ignore[arg-type]
                               f"“{f.label}”{f.value} 校验不通过（{f.check_reason}）",
                               f"'{f.name}' {f.value} fails its check ({f.check_reason})", field=f.name))
    return out
