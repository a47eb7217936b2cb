"""``GET /api/v1/me``: the caller's name, role and permitted actions, so the desk shows only what works."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.deps import Principal, get_principal
from api.schemas import AUTH, problems
from api.schemas.me import MeOut
from intake import Action, allowed

router = APIRouter(prefix="/api/v1/me", tags=["operations"])


@router.get("", response_model=MeOut, responses=problems(*AUTH))
def me(principal: Principal = Depends(get_principal)) -> dict[str, Any]:
    return {"key_id": principal.key_id, "name": principal.name, "role": principal.role,
            "centre": principal.centre, "owner_code": principal.owner_code,
            "actions": [a.value for a in Action if allowed(principal.role, a)]}
