"""One issuance at a time per case.

Checking "approved and no licence yet" and then signing leaves a window in which two requests
for the same case both pass the check and both sign, archive (WORM: never deletable) and use up
numbers. A claim row, keyed by the case, is inserted before the checks are repeated and removed
afterwards; the second request's insert fails on the primary key and it gets a 409. A claim left
by a crashed process expires after ``STALE_AFTER``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from archive import Actor
from intake.licences.errors import CaseBeingIssuedError
from intake.licences.tables import CaseClaimRow

STALE_AFTER = timedelta(minutes=15)


@contextmanager
def claim_case(sessions: sessionmaker, case_id: str, actor: Actor, *,
               stale_after: timedelta = STALE_AFTER) -> Iterator[None]:
    """Hold the case's issuance claim for the ``with`` block; raise ``CaseBeingIssuedError`` if taken."""
    now = datetime.now(timezone.utc)
    token = secrets.token_hex(16)
    try:
        with sessions.begin() as session:  # a claim left by a crashed process gives way
            session.execute(delete(CaseClaimRow).where(CaseClaimRow.case_id == case_id,
                                                       CaseClaimRow.claimed_at < now - stale_after))
            session.add(CaseClaimRow(case_id=case_id, token=token, claimed_by=actor.name[:100], claimed_at=now))
    except IntegrityError as exc:
        raise CaseBeingIssuedError(f"the licence of case {case_id} is being issued by another request",
                                   case_id=case_id) from exc
    try:
        yield
    finally:
        with sessions.begin() as session:
            session.execute(delete(CaseClaimRow).where(CaseClaimRow.case_id == case_id, CaseClaimRow.token == token))
