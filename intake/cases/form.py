"""The case's form: gather candidate values (OCR of uploaded and reused documents, the case, the
clerk) and let :func:`intake.prefill.prefill` decide; record the clerk's input and resolutions."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from archive import Actor
from intake.cases.service import CaseService
from intake.cases.states import FINISHED
from intake.cases.tables import FieldInputRow
from intake.cases.views import CaseView
from intake.decision import SATISFIED
from intake.errors import IllegalTransitionError, InvalidInputError, UnknownFieldError
from intake.field_kinds import field_value_problem
from intake.matters import FormField, Matter
from intake.ocr_results import DERIVED_KIND, as_result
from intake.prefill import Candidate, FilledField, prefill

__all__ = ["FormService"]


class FormService:
    def __init__(self, cases: CaseService) -> None:
        self.cases = cases

    def form(self, case_id: str) -> tuple[FilledField, ...]:
        """The pre-filled form of the case, every value with its source, conflicts flagged."""
        return self.form_of(self.cases.get(case_id))

    def form_of(self, case: CaseView, loaded: tuple[Mapping, Mapping] | None = None) -> tuple[FilledField, ...]:
        """The form of a case already read; ``loaded``: its documents' records and OCR results, if
        the caller has them already (``{doc_id: DocumentRecord}``, ``{doc_id: ocr}``)."""
        case_id = case.id
        matter = self.cases.matter_of(case)
        candidates = self._document_candidates(case, matter, loaded) + _case_candidates(case, matter)
        clerk, resolutions = self._inputs(case_id)
        candidates += [Candidate(field=name, value=value, source="clerk") for name, value in clerk.items()]
        return prefill(matter, candidates, resolutions)

    def set_values(self, case_id: str, values: Mapping[str, str], actor: Actor) -> tuple[FilledField, ...]:
        """Record what the clerk typed (an empty string clears the clerk's value)."""
        case = self.cases.get(case_id)
        matter = self.cases.matter_of(case)
        checked = {name: _checked(matter, name, value) for name, value in values.items()}
        self._store(case_id, checked, "clerk", actor)
        return self.form(case_id)

    def resolve(self, case_id: str, field: str, value: str, actor: Actor) -> tuple[FilledField, ...]:
        """Settle a conflict by choosing the value to use."""
        case = self.cases.get(case_id)
        matter = self.cases.matter_of(case)
        checked = _checked(matter, field, value)
        if not checked:
            raise InvalidInputError("choose a value to resolve the conflict", message_zh="请选择要采用的值")
        self._store(case_id, {field: checked}, "resolution", actor)
        return self.form(case_id)

    # -- gathering ------------------------------------------------------------------------------
    def _document_candidates(self, case: CaseView, matter: Matter,
                             loaded: tuple[Mapping, Mapping] | None = None) -> list[Candidate]:
        archive = self.cases.archive
        out: list[Candidate] = []
        attached: dict[str, set[str]] = {}
        status: dict[str, str] = {}
        for material in case.materials:
            if material.doc_id and material.status in SATISFIED:
                attached.setdefault(material.doc_id, set()).add(material.material_id)
                status.setdefault(material.doc_id, material.status)
        if loaded is None:
            records, ocr_results = archive.records_with_derived(attached, DERIVED_KIND)  # one statement
        else:
            records, ocr_results = loaded
        for doc_id, material_ids in attached.items():
            record = records.get(doc_id)
            ocr = as_result(ocr_results.get(doc_id))
            if record is None or ocr is None:
                continue
            fields = ocr.fields
            source = "ocr" if status[doc_id] == "provided" else "archive"
            for form_field in matter.fields:
                for spec in form_field.sources:
                    if spec.doc_type != record.doc_type or spec.field not in fields:
                        continue
                    if spec.material is not None and spec.material not in material_ids:
                        continue  # e.g. the quality lead's ID card never names the legal representative
                    entry = fields[spec.field]
                    value = entry.value
                    if value:
                        out.append(Candidate(
                            field=form_field.name, value=value, source=source,  # type: ignore[arg-type]
                            doc_id=record.id, doc_type=record.doc_type, label=spec.field,
                            confidence=entry.confidence, page=entry.page, box=entry.box,
                        ))
        return out

    def _inputs(self, case_id: str) -> tuple[dict[str, str], dict[str, str]]:
        with self.cases.reads() as session:
            rows = session.scalars(select(FieldInputRow).where(FieldInputRow.case_id == case_id)).all()
        clerk = {r.field: r.value for r in rows if r.kind == "clerk"}
        resolutions = {r.field: r.value for r in rows if r.kind == "resolution"}
        return clerk, resolutions

    def _store(self, case_id: str, values: Mapping[str, str], kind: str, actor: Actor) -> None:
        now = self.cases.now()
        with self.cases.locked(case_id) as (session, row):
            if row.state in FINISHED:
                raise IllegalTransitionError(
                    f"the case is already {row.state}; its form can no longer change",
                    message_zh="办件已办结，表单不能再修改", state=row.state,
                )
            existing = {r.field: r for r in session.scalars(select(FieldInputRow).where(
                FieldInputRow.case_id == case_id, FieldInputRow.kind == kind))}
            for name, value in values.items():
                current = existing.get(name)
                if not value:
                    if current is not None:
                        session.delete(current)
                elif current is None:
                    session.add(FieldInputRow(case_id=case_id, field=name, kind=kind, value=value,
                                              actor_name=actor.name, at=now))
                else:
                    current.value, current.actor_name, current.at = value, actor.name, now


def _case_candidates(case: CaseView, matter: Matter) -> list[Candidate]:
    values = {"owner_code": case.owner_code, "applicant_name": case.applicant_name,
              "contact_phone": case.contact_phone}
    out = []
    for form_field in matter.fields:
        for spec in form_field.sources:
            if spec.case and values.get(spec.case):
                out.append(Candidate(field=form_field.name, value=values[spec.case], source="case"))
    return out


def _checked(matter: Matter, name: str, value: object) -> str:
    form_field: FormField | None = matter.field(name)
    if form_field is None:
        raise UnknownFieldError(
            f"matter '{matter.id}' has no form field '{name}'", message_zh=f"表单无字段 '{name}'", field=name
        )
    if not isinstance(value, str):
        raise InvalidInputError(f"field '{name}' takes text", message_zh=f"字段“{form_field.label}”应为文本", field=name)
    text = value.strip()
    if len(text) > 2000:
        raise InvalidInputError(f"field '{name}' is too long", message_zh=f"字段“{form_field.label}”过长", field=name)
    problem = field_value_problem(form_field.type, text)
    if problem is not None:
        raise InvalidInputError(f"field '{name}' {problem}", message_zh=f"字段“{form_field.label}”{problem.zh}",
                                field=name, kind=form_field.type)
    return text
