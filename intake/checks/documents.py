"""Checks of each document against the case: whose it is, whether it is still valid, what it is.

Pure functions of (matter, case facts, documents) → findings; nothing here reads a database.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence

from intake.checks.model import CaseFacts, DocumentFacts, Finding
from intake.expiry import parse_validity
from intake.matters.model import Material, Matter
from intake.roles import ROLES, card_fits, card_of, person_for_role
from ocr import check_id_card, check_uscc, normalise_code

__all__ = ["HOLDER_FIELDS", "document_findings", "applicant_name_of", "licence_fields_of"]

HOLDER_FIELDS: dict[str, tuple[str, str]] = {
    "business_licence": ("名称", "统一社会信用代码"),
    "food_business_licence": ("经营者名称", "统一社会信用代码"),
    "drug_business_licence": ("企业名称", "统一社会信用代码"),
}
"""Company documents: (holder name label, USCC label) — the holder must be the case's applicant."""
EXPIRY_LABELS = ("有效期限", "有效期至", "营业期限", "证件有效期")
ID_LABELS = ("公民身份号码", "身份证号")
LICENCE = "business_licence"


def _fold(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s()（）]", "", folded)


def licence_fields_of(documents: Sequence[DocumentFacts]) -> dict[str, str] | None:
    return next((dict(d.fields) for d in documents if LICENCE in (d.doc_type, d.detected_type)), None)


def applicant_name_of(case: CaseFacts, documents: Sequence[DocumentFacts]) -> str:
    """Who applies, by name: the form's company name, else the case's, else the business licence's."""
    licence = licence_fields_of(documents) or {}
    for name in (case.form.get("company_name"), case.applicant_name, licence.get("名称")):
        if _fold(name):
            return _fold(name)
    return ""


def _f(code: str, severity: str, doc: DocumentFacts, zh: str, en: str) -> Finding:
    return Finding(code, severity, doc.material_id, doc.doc_id, zh, en)  # type: ignore[arg-type]


def _type_fits(material: Material, doc: DocumentFacts) -> Iterator[Finding]:
    detected = doc.detected_type
    if detected and detected != "unknown" and detected not in material.doc_types:
        yield _f("doc_type_mismatch", "blocking", doc,
                 f"“{material.name}”所附文件经识别为 {detected}，不是所需的材料（{'、'.join(material.doc_types)}）",
                 f"the document attached to '{material.id}' reads as {detected}, not {', '.join(material.doc_types)}")


def _holder(case: CaseFacts, doc: DocumentFacts, applicant: str) -> Iterator[Finding]:
    labels = HOLDER_FIELDS.get(doc.detected_type or doc.doc_type)
    if labels is None:
        return
    name, uscc = doc.fields.get(labels[0]), doc.fields.get(labels[1])
    if uscc and case.owner_code_type == "uscc" and normalise_code(uscc) != normalise_code(case.owner_code):
        yield _f("holder_mismatch", "blocking", doc,
                 f"证照上的统一社会信用代码 {normalise_code(uscc)} 与申请人 {case.owner_code} 不符",
                 f"the document's USCC {normalise_code(uscc)} is not the applicant's {case.owner_code}")
    elif not uscc and name and applicant and _fold(name) != applicant:
        yield _f("holder_mismatch", "blocking", doc, f"证照持有人“{name}”不是申请人“{applicant}”",
                 f"the document's holder '{name}' is not the applicant '{applicant}'")


def _lease(case: CaseFacts, doc: DocumentFacts, applicant: str) -> Iterator[Finding]:
    if (doc.detected_type or doc.doc_type) != "lease_contract":
        return
    tenant = doc.fields.get("承租方")
    if tenant and applicant and _fold(tenant) != applicant:
        yield _f("lease_tenant_mismatch", "blocking", doc, f"租赁合同承租方“{tenant}”不是申请人“{applicant}”",
                 f"the lease's tenant '{tenant}' is not the applicant '{applicant}'")
    term = doc.fields.get("租赁期限")
    if term:
        yield from _validity(case, doc, "租赁期限", term, "lease_ended", "租赁合同已于 {end} 到期", "the lease ended on {iso}")


def _validity(case: CaseFacts, doc: DocumentFacts, label: str, text: str, code: str, zh: str, en: str) -> Iterator[Finding]:
    """``validity_unreadable`` (warning) or ``code`` (blocking) when the period ``text`` ended before today."""
    period = parse_validity(text)
    if period is None:
        yield _f("validity_unreadable", "warning", doc, f"{label}“{text}”无法识别，请核对",
                 f"the validity '{text}' cannot be read; check it")
    elif period.end < case.today:
        yield _f(code, "blocking", doc, zh.format(end=f"{period.end:%Y年%m月%d日}"), en.format(iso=period.end.isoformat()))


def _expiry(case: CaseFacts, doc: DocumentFacts) -> Iterator[Finding]:
    label = next((name for name in EXPIRY_LABELS if doc.fields.get(name)), None)
    if label is not None:
        yield from _validity(case, doc, label, doc.fields[label], "document_expired", f"文件{label}已于 {{end}} 届满",
                             "the document expired on {iso}")


def _person(material: Material, case: CaseFacts, doc: DocumentFacts, licence: dict[str, str] | None) -> Iterator[Finding]:
    if material.person is None or (doc.detected_type or doc.doc_type) != "id_card":
        return
    spec = ROLES[material.person]
    card = card_of(doc.doc_id, doc.fields)
    if card is None:
        return
    person = person_for_role(material.person, case.form, licence)
    if person is None:
        yield _f("person_not_named", "warning", doc, f"本办件未载明{spec.label_zh}，无法核对身份证“{card.name}”",
                 f"the case names no {material.person}; the ID card of '{card.name}' cannot be checked")
    elif not card_fits(person, card):
        who = "、".join(x for x in (person.name, person.id_number) if x)
        yield _f("person_mismatch", "blocking", doc,
                 f"身份证（{card.name}）不是本办件{spec.label_zh}（{who}）的身份证",
                 f"the ID card of '{card.name}' is not that of the {material.person} named in the case ({who})")


def _identifiers(doc: DocumentFacts) -> Iterator[Finding]:
    for label, value in doc.fields.items():
        if label == "统一社会信用代码" or (label in ("社会信用代码",)):
            result = check_uscc(value)
            if not result.valid:
                yield Finding("identifier_invalid", "warning", doc.material_id, doc.doc_id,
                              f"统一社会信用代码 {value} 校验不通过（{result.reason}），请核对",
                              f"USCC {value} fails its check ({result.reason}); verify it", field=label)
        elif label in ID_LABELS:
            result = check_id_card(value)
            if not result.valid:
                yield Finding("identifier_invalid", "blocking", doc.material_id, doc.doc_id,
                              f"身份证号码 {value} 校验不通过（{result.reason}），请核对原件",
                              f"ID number {value} fails its check ({result.reason}); check the original", field=label)


def _age(material: Material, case: CaseFacts, doc: DocumentFacts) -> Iterator[Finding]:
    days = material.max_age_days or material.reuse.max_age_days
    if days is not None and doc.archived_on + dt.timedelta(days=days) < case.today:
        yield _f("document_too_old", "blocking", doc,
                 f"文件于 {doc.archived_on:%Y年%m月%d日} 归档，超过本事项允许的 {days} 天",
                 f"the document was archived on {doc.archived_on.isoformat()}, more than {days} days ago")


def document_findings(matter: Matter, case: CaseFacts, documents: Sequence[DocumentFacts]) -> list[Finding]:
    """Every finding about the documents attached to or reused for the case's materials."""
    applicant = applicant_name_of(case, documents)
    licence = licence_fields_of(documents)
    out: list[Finding] = []
    for doc in documents:
        material = matter.material(doc.material_id)
        if material is None:
            continue
        out += _type_fits(material, doc)
        out += _holder(case, doc, applicant)
        out += _lease(case, doc, applicant)
        out += _expiry(case, doc)
        out += _person(material, case, doc, licence)
        out += _identifiers(doc)
        out += _age(material, case, doc)
    return out
