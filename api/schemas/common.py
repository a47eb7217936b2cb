"""The shared pieces of the response schemas: the base model, timestamps, problems, binary bodies.

Routes still build their bodies from domain views; the models describe (and validate) exactly
those bodies, so ``/openapi.json`` tells clients what they get. ``extra="allow"`` keeps a body
unchanged should a view grow a key before its model does.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

PROBLEM_JSON = "application/problem+json"

Timestamp = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
"""An ISO 8601 instant with its offset, as ``datetime.isoformat()`` writes it."""
Day = Annotated[str, Field(json_schema_extra={"format": "date"})]
"""An ISO 8601 calendar date (``YYYY-MM-DD``)."""


class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class Problem(Out):
    """RFC 9457 problem details, with a stable ``code`` and the message in Chinese and English."""

    type: str
    title: str
    status: int
    detail: str
    code: str = Field(description="stable snake_case error code")
    message_zh: str
    message_en: str
    instance: str | None = None


_TITLES = {
    400: "the request is not acceptable", 401: "no valid API key", 403: "the key's role may not do this",
    404: "not found", 409: "conflicts with the current state", 413: "too large",
    415: "unsupported media type", 422: "malformed or invalid input", 429: "too many attempts",
    500: "internal error (nothing was changed)", 503: "a backing service is unavailable",
}
_PROBLEM_SCHEMA: dict[str, Any] = Problem.model_json_schema()

AUTH = (401, 403)
"""What every authenticated route can answer besides its own problems."""


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for each status, as problem+json (422 and 500 are always possible)."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in sorted({*statuses, 422, 500}):
        out[status] = {"description": _TITLES.get(status, "error"),
                       "content": {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}}}
    return out


def binary(*media_types: str, description: str = "the file") -> dict[str, Any]:
    """A 200 entry for a binary body in each media type."""
    return {"description": description,
            "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in media_types}}


def text(media_type: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}


def responses(ok: dict[str, Any] | None = None, *statuses: int, status: int = 200) -> dict[int | str, dict[str, Any]]:
    """``problems(...)`` plus, for a non-JSON body, its 2xx entry."""
    out = problems(*statuses)
    if ok is not None:
        out[status] = ok
    return out


def as_json(model: type[Out], body: dict[str, Any]) -> dict[str, Any]:
    """``body`` checked against ``model`` and dumped as the API would send it (the CLI prints this)."""
    return model.model_validate(body).model_dump(mode="json", by_alias=True)


def dumps(model: type[Out], body: dict[str, Any]) -> str:
    return json.dumps(as_json(model, body), ensure_ascii=False, indent=2)
