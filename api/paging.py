"""One paging type for every list: bounded ``limit`` and ``offset``, so no value reaches the database
that it cannot hold (a 64-bit ``offset`` overflow was a 500); out of bounds is a 422."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000
"""No list is paged this deep; beyond it a caller is walking, not reading."""


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)


Page = Annotated[Paging, Depends(paging)]
