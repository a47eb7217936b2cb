"""Case rows to views: what a case read returns, assembled from rows loaded elsewhere (no I/O)."""

from __future__ import annotations

from archive import checks_summary
from intake.cases.tables import CaseMaterialRow, CaseRow, TransitionRow
from intake.cases.views import CaseView, MaterialView, TransitionView
from intake.matters import Material, Matter
from standards import as_utc

__all__ = ["case_view"]


def case_view(row: CaseRow, matter: Matter, materials: dict[str, CaseMaterialRow], transitions: list[TransitionRow],
              reports: dict[str, dict]) -> CaseView:
    """A case's view from its rows, its matter and its documents' 四性检测 reports (by document id)."""
    return CaseView(
        id=row.id, matter_id=row.matter_id, matter_name=matter.name, department_id=row.department_id,
        owner_code=row.owner_code, owner_code_type=row.owner_code_type, owner_code_valid=row.owner_code_valid,
        owner_code_warning=row.owner_code_warning, applicant_name=row.applicant_name,
        contact_phone=row.contact_phone, state=row.state, received_on=row.received_on,
        accepted_on=row.accepted_on, committed_due=row.committed_due,
        supplement_deadline=row.supplement_deadline, completed_at=as_utc(row.completed_at),
        visits=row.visits, officer_name=row.officer_name, officer_phone=row.officer_phone,
        created_at=as_utc(row.created_at), centre=row.centre,
        materials=tuple(_material_view(m, materials.get(m.id), _checks(materials.get(m.id), reports))
                        for m in matter.materials),
        transitions=tuple(
            TransitionView(t.from_state, t.to_state, t.actor_name, t.actor_role, t.reason, as_utc(t.at))
            for t in transitions
        ),
    )


def _checks(row: CaseMaterialRow | None, reports: dict[str, dict]) -> dict | None:
    """The 四性检测 summary of the document given for a material (None when there is none)."""
    if row is None or not row.doc_id:
        return None
    return checks_summary(reports.get(row.doc_id))


def _material_view(material: Material, row: CaseMaterialRow | None, checks: dict | None = None) -> MaterialView:
    return MaterialView(
        material_id=material.id, name=material.name, kind=material.kind,
        status=row.status if row else "missing", doc_id=row.doc_id if row else None,
        reused_from_case=row.reused_from_case if row else None, doc_types=material.doc_types,
        standard=material.standard, note=row.note if row else "", checks=checks,
    )
