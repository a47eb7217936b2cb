"""The licence of a case, made from the case: what it can fill, what it must ask, who issues it. Pure.

* Fields: every template field the case can answer — the form (企业名称, 法定代表人, 住所 …), the
  case (the applicant's code and name), the applicant's region (digits 3–8 of its USCC) — and the
  caller's own values over them. Only required fields still empty are asked for (``missing``).
* Authority: the case's department — the configured authority whose USCC the matter's
  ``department.authority_code`` names, else the one whose name is the department's; never silently
  another body (its seal would contradict the name on the licence and in the notices).
* A warning when the applicant's registered region lies outside the authority's jurisdiction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["FIELD_SOURCES", "LicenceDraft", "draft_from_case", "authority_for_department", "outside_jurisdiction"]

FIELD_SOURCES: dict[str, tuple[str, ...]] = {
    "holder_name": ("form:company_name", "form:org_name", "case:applicant_name"),
    "holder_code": ("case:owner_code",),
    "legal_representative": ("form:legal_rep",),
    "principal": ("form:principal", "form:legal_rep"),
    "quality_lead": ("form:quality_lead",),
    "domicile": ("form:address",),
    "registered_address": ("form:address",),
    "premises": ("form:premises",),
    "warehouse_address": ("form:warehouse_address",),
    "main_business": ("form:business_form",),
    "business_items": ("form:food_scope",),
    "business_scope": ("form:drug_scope", "form:device_scope", "form:purpose_scope"),
    "region": ("case:region",),
    "area_code": ("case:region4",),
}
"""Licence template field → where in the case its value comes from, first found wins. A template
field named like a form field takes that form field's value too."""


@dataclass(frozen=True)
class LicenceDraft:
    data: dict[str, str]
    sources: dict[str, str]
    """Where each value came from (``form:legal_rep``, ``case:owner_code``, ``given``)."""
    missing: tuple[str, ...]
    """Required template fields nobody answered: the only ones to ask for."""


def _case_values(owner_code: str, owner_code_type: str, applicant_name: str) -> dict[str, str]:
    values = {"owner_code": owner_code, "applicant_name": applicant_name}
    if owner_code_type == "uscc" and len(owner_code) == 18 and owner_code[2:8].isdigit():
        values["region"], values["region4"] = owner_code[2:8], owner_code[4:8]
    return values


def draft_from_case(fields: Sequence[tuple[str, bool]], *, form: Mapping[str, str | None], owner_code: str,
                    owner_code_type: str, applicant_name: str, given: Mapping[str, Any]) -> LicenceDraft:
    """``fields``: the template's ``(key, required)``; ``given``: what the issuer typed (wins)."""
    case = _case_values(owner_code, owner_code_type, applicant_name)
    data: dict[str, str] = {}
    sources: dict[str, str] = {}
    for key, _required in fields:
        if str(given.get(key) or "").strip():
            data[key], sources[key] = str(given[key]).strip(), "given"
            continue
        for source in FIELD_SOURCES.get(key, ()) + (f"form:{key}",):
            kind, name = source.split(":", 1)
            value = (form.get(name) if kind == "form" else case.get(name)) or ""
            if str(value).strip():
                data[key], sources[key] = str(value).strip(), source
                break
    for key, value in given.items():  # keys the template may not list (e.g. permits) pass through
        if key not in data and value not in (None, ""):
            data[key], sources[key] = value, "given"
    missing = tuple(key for key, required in fields if required and key not in data)
    return LicenceDraft(data, sources, missing)


def authority_for_department(authorities: Iterable[Any], *, name: str, authority_code: str | None) -> Any | None:
    """The configured authority (with ``code``, ``name``) that is the department, or None."""
    listed = list(authorities)
    if authority_code:
        return next((a for a in listed if a.code == authority_code), None)
    return next((a for a in listed if a.name == name), None)


def outside_jurisdiction(owner_code: str, owner_code_type: str, authority_region: str) -> bool:
    """Whether the applicant's registered region (USCC digits 3–8) lies outside ``authority_region``
    (GB/T 2260: a city 330300 covers 3303xx, a county 330302 only itself). Unknown → False."""
    region = _case_values(owner_code, owner_code_type, "").get("region")
    if not region or not authority_region or not authority_region.isdigit():
        return False
    prefix = authority_region.rstrip("0") or authority_region
    if len(prefix) % 2:
        prefix += "0"
    return not region.startswith(prefix)
