"""Matters (事项): the catalog a clerk opens cases from."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.deps import Matters, Principal, require
from api.schemas import AUTH, MatterListOut, MatterOut, problems
from intake import Action, Catalog, Matter

router = APIRouter(prefix="/api/v1/matters", tags=["matters"])

READERS = Depends(require(Action.MATTER_READ))


def matter_summary(catalog: Catalog, matter: Matter) -> dict[str, Any]:
    before, now = catalog.material_counts(matter.id)
    return {
        "id": matter.id, "name": matter.name, "department": matter.department.model_dump(),
        "composite": list(matter.composite), "immediate": matter.immediate, "licence_type": matter.licence_type,
        "time_limits": matter.time_limits.model_dump(),
        "materials_count": now, "materials_before": before,
        "material_reduction": None if not before else f"{(1 - now / before) * 100:.2f}%",
        "main_count": len(matter.main_materials), "secondary_count": len(matter.secondary_materials),
    }


@router.get("", response_model=MatterListOut, responses=problems(*AUTH))
def list_matters(catalog: Matters, _: Principal = READERS) -> dict[str, Any]:
    return {"matters": [matter_summary(catalog, m) for m in catalog]}


@router.get("/{matter_id}", response_model=MatterOut, responses=problems(*AUTH, 404))
def get_matter(matter_id: str, catalog: Matters, _: Principal = READERS) -> dict[str, Any]:
    matter = catalog.get(matter_id)
    body = matter.model_dump(mode="json")
    body.update(matter_summary(catalog, matter))
    body["components"] = [matter_summary(catalog, c) for c in catalog.components(matter_id)]
    return body
