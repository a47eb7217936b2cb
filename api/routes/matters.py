"""Matters (事项): the catalog a clerk opens cases from."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.container import Container
from api.deps import Principal, get_container, require_roles
from intake.matters import Matter

router = APIRouter(prefix="/api/v1/matters", tags=["matters"])

READERS = ("clerk", "approver", "admin", "applicant", "system", "courier")


def matter_summary(container: Container, matter: Matter) -> dict[str, Any]:
    before, now = container.desk.catalog.material_counts(matter.id)
    return {
        "id": matter.id, "name": matter.name, "department": matter.department.model_dump(),
        "composite": list(matter.composite), "immediate": matter.immediate,
        "time_limits": matter.time_limits.model_dump(),
        "materials_count": now, "materials_before": before,
        "material_reduction": None if not before else f"{(1 - now / before) * 100:.2f}%",
        "main_count": len(matter.main_materials), "secondary_count": len(matter.secondary_materials),
    }


@router.get("")
def list_matters(container: Container = Depends(get_container),
                 _: Principal = Depends(require_roles(*READERS))) -> dict[str, Any]:
    return {"matters": [matter_summary(container, m) for m in container.desk.catalog]}


@router.get("/{matter_id}")
def get_matter(matter_id: str, container: Container = Depends(get_container),
               _: Principal = Depends(require_roles(*READERS))) -> dict[str, Any]:
    matter = container.desk.catalog.get(matter_id)
    body = matter.model_dump(mode="json")
    body.update(matter_summary(container, matter))
    body["components"] = [matter_summary(container, c) for c in container.desk.catalog.components(matter_id)]
    return body
