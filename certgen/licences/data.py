"""Check licence input data against its template (pure functions) and produce example input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from certgen.errors import LicenceDataError
from certgen.licences.model import FieldSpec, LicenceTemplate
from standards.checkdigits import USCC_CHARSET, id_card_ok
from standards.checkdigits import uscc_ok as uscc_check_ok

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PHONE = re.compile(r"^[0-9+\- ()]{3,20}$")


@dataclass(frozen=True)
class PermitInput:
    kind: str
    scope: str
    valid_until: date | None = None  # default: issue date + the kind's validity


@dataclass(frozen=True)
class CheckedData:
    values: dict[str, str]
    permits: tuple[PermitInput, ...]
    valid_from: date | None
    warnings: tuple[str, ...]


def _value(spec: FieldSpec, raw: Any, warnings: list[str]) -> str:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise ValueError("must be text")
    value = raw.strip()
    if _CONTROL.search(value):
        raise ValueError("contains control characters")
    if len(value) > spec.max_length:
        raise ValueError(f"longer than {spec.max_length} characters")
    if spec.kind == "date":
        date.fromisoformat(value)
    elif spec.kind == "uscc":
        value = value.upper()
        if len(value) != 18 or any(c not in USCC_CHARSET for c in value):
            raise ValueError("must be an 18-character unified social credit code")
        if not uscc_check_ok(value):
            warnings.append(f"{spec.key}: check character of {value} does not match (kept; verify by hand)")
    elif spec.kind == "id_card":
        value = value.upper()
        if not id_card_ok(value):
            raise ValueError("must be a valid 18-digit resident ID number")
    elif spec.kind == "phone" and not _PHONE.match(value):
        raise ValueError("must be a phone number")
    elif spec.kind == "choice" and value not in spec.choices:
        raise ValueError(f"must be one of {list(spec.choices)}")
    return value


def check_data(template: LicenceTemplate, data: Any) -> CheckedData:
    """Validate ``data`` (a JSON object) for ``template``; raises ``LicenceDataError`` listing every problem."""
    if not isinstance(data, dict):
        raise LicenceDataError("licence data must be a JSON object", problems={"": "not an object"})
    problems: dict[str, str] = {}
    problems_zh: list[str] = []
    warnings: list[str] = []
    values: dict[str, str] = {}
    known = {f.key for f in template.fields} | {"valid_from"}
    for key in data:
        if key not in known:
            problems[key] = "unknown field"
    for spec in template.fields:
        if spec.kind == "permits":
            continue
        raw = data.get(spec.key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if spec.required:
                problems[spec.key] = f"{spec.label} is required"
                problems_zh.append(f"{spec.label}为必填项")
            continue
        try:
            values[spec.key] = _value(spec, raw, warnings)
        except ValueError as exc:
            problems[spec.key] = f"{spec.label}: {exc}"
            problems_zh.append(f"{spec.label}格式有误")
    if template.holder_code_kind == "id_card" and "holder_code" in values and not id_card_ok(values["holder_code"]):
        problems["holder_code"] = "holder_code must be a valid resident ID number"
    permits = _permits(template, data.get("permits"), problems) if template.merged else ()
    valid_from = None
    if data.get("valid_from") is not None:
        try:
            valid_from = date.fromisoformat(str(data["valid_from"]))
        except ValueError:
            problems["valid_from"] = "must be a date YYYY-MM-DD"
    if problems:
        summary = "; ".join(f"{k}: {v}" for k, v in problems.items())
        raise LicenceDataError(f"invalid licence data for {template.id}: {summary}", problems=problems,
                               message_zh=f"{template.name}数据有误：" + "；".join(problems_zh or list(problems)))
    return CheckedData(values, permits, valid_from, tuple(warnings))


def _permits(template: LicenceTemplate, raw: Any, problems: dict[str, str]) -> tuple[PermitInput, ...]:
    if not isinstance(raw, list) or not raw:
        problems["permits"] = "a merged licence needs a non-empty list of permits"
        return ()
    out: list[PermitInput] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"permits[{i}]"
        if not isinstance(item, dict) or set(item) - {"kind", "scope", "valid_until"}:
            problems[where] = "must be {kind, scope, valid_until?}"
            continue
        kind = template.permit_kind(str(item.get("kind")))
        scope = item.get("scope")
        if kind is None:
            problems[where] = f"kind must be one of {[p.key for p in template.permit_kinds]}"
            continue
        if kind.key in seen:
            problems[where] = f"{kind.key} appears twice"
            continue
        seen.add(kind.key)
        if not isinstance(scope, str) or not scope.strip() or len(scope) > 4000 or _CONTROL.search(scope):
            problems[where] = "scope must be non-empty text (at most 4000 characters)"
            continue
        until = None
        if item.get("valid_until") is not None:
            try:
                until = date.fromisoformat(str(item["valid_until"]))
            except ValueError:
                problems[where] = "valid_until must be YYYY-MM-DD"
                continue
        out.append(PermitInput(kind.key, scope.strip(), until))
    return tuple(out)


def example_data(template: LicenceTemplate) -> dict[str, Any]:
    """A valid input for ``template`` built from the examples in its field definitions."""
    data: dict[str, Any] = {}
    for spec in template.fields:
        if spec.kind == "permits":
            data["permits"] = [{"kind": p.key, "scope": f"{p.label}（示例经营范围）"} for p in template.permit_kinds]
        elif spec.example:
            data[spec.key] = spec.example
        elif spec.kind == "choice":
            data[spec.key] = spec.choices[0]
        elif spec.required:
            data[spec.key] = spec.label
    return data
