"""Job leases: who runs a job and until when, as conditional UPDATEs on the job row.

A replica or worker holds a job only while its lease is fresh; it renews the lease as it works.
Nobody re-queues a job because it *looks* unfinished: a job goes back to the outbox only when its
lease has expired, or when its owner is a process on this very host that no longer exists.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from intake.jobs.tables import JobState, OcrJobRow, PENDING

_PENDING = [state.value for state in PENDING]


def now() -> datetime:
    return datetime.now(timezone.utc)


def new_owner() -> str:
    """This process's lease identity: ``host:pid:nonce`` (the nonce tells two lives of a pid apart)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def _dead_here(owner: str) -> bool:
    """The owner is a process of this host that is gone (its lease need not wait for expiry)."""
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname()[:60] or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim(sessions: sessionmaker[Session], job_id: str, owner: str, seconds: float) -> bool:
    """Take the job to run it: it is queued, or running under a lease that has expired (or is ours)."""
    at = now()
    statement = (
        sa.update(OcrJobRow)
        .where(OcrJobRow.id == job_id, sa.or_(
            OcrJobRow.state == JobState.QUEUED.value,
            sa.and_(OcrJobRow.state == JobState.RUNNING.value,
                    sa.or_(OcrJobRow.lease_expires_at < at, OcrJobRow.lease_owner == owner)),
        ))
        .values(state=JobState.RUNNING.value, lease_owner=owner, lease_expires_at=at + timedelta(seconds=seconds),
                started_at=at, pages_done=0, attempts=OcrJobRow.attempts + 1)
    )
    with sessions.begin() as session:
        return session.execute(statement).rowcount == 1


def renew(sessions: sessionmaker[Session], job_id: str, owner: str, seconds: float, **values: object) -> bool:
    """Extend our lease (and write ``values``, e.g. progress); False when the job is no longer ours."""
    statement = (sa.update(OcrJobRow).where(OcrJobRow.id == job_id, OcrJobRow.lease_owner == owner,
                                            OcrJobRow.state.in_(_PENDING))
                 .values(lease_expires_at=now() + timedelta(seconds=seconds), **values))
    with sessions.begin() as session:
        return session.execute(statement).rowcount == 1


def renew_all(sessions: sessionmaker[Session], owner: str, seconds: float) -> int:
    """Extend every lease this process holds (the in-process pool holds its queued jobs too)."""
    statement = (sa.update(OcrJobRow).where(OcrJobRow.lease_owner == owner, OcrJobRow.state.in_(_PENDING))
                 .values(lease_expires_at=now() + timedelta(seconds=seconds)))
    with sessions.begin() as session:
        return session.execute(statement).rowcount


def finish(sessions: sessionmaker[Session], job_id: str, owner: str, state: JobState, *, code: str | None = None,
           message: str | None = None, doc_type: str | None = None) -> bool:
    """End the job — only if we still hold it (a job taken over by another worker ends there)."""
    statement = (sa.update(OcrJobRow).where(OcrJobRow.id == job_id, OcrJobRow.lease_owner == owner,
                                            OcrJobRow.state == JobState.RUNNING.value)
                 .values(state=state.value, finished_at=now(), error_code=code, error_message=message,
                         doc_type=doc_type, lease_owner=None, lease_expires_at=None))
    with sessions.begin() as session:
        return session.execute(statement).rowcount == 1


def reclaim(sessions: sessionmaker[Session]) -> list[str]:
    """Put jobs whose holder is gone back into the outbox: lease expired, or owner dead on this host."""
    at = now()
    with sessions.begin() as session:
        rows = session.execute(sa.select(OcrJobRow.id, OcrJobRow.lease_owner, OcrJobRow.lease_expires_at)
                               .where(OcrJobRow.state.in_(_PENDING), OcrJobRow.lease_owner.is_not(None))).all()
        lost = [(job_id, owner) for job_id, owner, expires in rows
                if (expires is not None and _aware(expires) < at) or _dead_here(owner)]
        for job_id, owner in lost:
            session.execute(sa.update(OcrJobRow).where(OcrJobRow.id == job_id, OcrJobRow.lease_owner == owner)
                            .values(state=JobState.QUEUED.value, pages_done=0, published_at=None,
                                    lease_owner=None, lease_expires_at=None))
    return [job_id for job_id, _ in lost]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)  # SQLite drops the zone


def release_all(sessions: sessionmaker[Session], owner: str) -> int:
    """On a clean stop: every job this process holds goes back into the outbox for someone else."""
    statement = (sa.update(OcrJobRow).where(OcrJobRow.lease_owner == owner, OcrJobRow.state.in_(_PENDING))
                 .values(state=JobState.QUEUED.value, pages_done=0, published_at=None,
                         lease_owner=None, lease_expires_at=None))
    with sessions.begin() as session:
        return session.execute(statement).rowcount
