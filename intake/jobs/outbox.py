"""The outbox dispatcher: jobs are rows written with their document; this hands them to the queue.

An upload writes its job row in the document's own transaction (``add_job``), so an acknowledged
upload always has its job, even if the process dies the next instant. The dispatcher (a thread in
every API replica and worker) publishes rows with ``published_at IS NULL``; a failed publish (the
broker is down) leaves the row unpublished and is retried with back-off. It also returns jobs whose
lease expired, or whose owner died on this host, to the outbox. On PostgreSQL rows are taken with
``FOR UPDATE SKIP LOCKED``, so replicas never publish the same row at the same moment.
"""

from __future__ import annotations

import logging
import secrets
import threading
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from intake.jobs import leases
from intake.jobs.api import JobQueue
from intake.jobs.tables import JobState, OcrJobRow

log = logging.getLogger("onceonly.jobs.outbox")
BATCH = 100


def add_job(session: Session, doc_id: str) -> str:
    """Write a queued, unpublished job for ``doc_id`` in the caller's transaction."""
    job_id = secrets.token_hex(16)
    session.add(OcrJobRow(id=job_id, doc_id=doc_id, state=JobState.QUEUED.value, pages_done=0,
                          created_at=leases.now(), attempts=0))
    return job_id


class Dispatcher:
    """Publishes the outbox to ``queue``; ``kick()`` after a commit publishes without waiting."""

    def __init__(self, sessions: sessionmaker[Session], queue: JobQueue, *, owner: str,
                 lease_seconds: float, interval: float = 1.0, max_backoff: float = 30.0) -> None:
        self.sessions = sessions
        self.queue = queue
        self.owner = owner
        self.lease_seconds = lease_seconds
        self.interval = interval
        self.max_backoff = max_backoff
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._loop, name="ocr-outbox", daemon=True)
                self._thread.start()

    def kick(self) -> None:
        self.start()
        self._wake.set()

    def close(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        delay = self.interval
        last_renew = 0.0
        while not self._stop.is_set():
            try:
                if self.queue.runs_locally and leases.now().timestamp() - last_renew > self.lease_seconds / 3:
                    leases.renew_all(self.sessions, self.owner, self.lease_seconds)
                    last_renew = leases.now().timestamp()
                leases.reclaim(self.sessions)
                self.publish_pending()
                delay = self.interval
            except Exception:  # noqa: BLE001 - broker or database away: retry with back-off
                log.warning("outbox: publishing failed; retrying in %.1fs", delay, exc_info=True)
                delay = min(self.max_backoff, delay * 2)
            self._wake.wait(delay)
            self._wake.clear()

    def publish_pending(self) -> int:
        """Publish up to a batch of unpublished jobs; returns how many went out."""
        sent = 0
        with self.sessions.begin() as session:
            query = (sa.select(OcrJobRow).where(OcrJobRow.state == JobState.QUEUED.value,
                                                OcrJobRow.published_at.is_(None))
                     .order_by(OcrJobRow.created_at).limit(BATCH))
            if session.bind is not None and session.bind.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            for row in session.scalars(query).all():
                self.queue.publish(row.id)  # raises when the broker is down: the row stays unpublished
                row.published_at = leases.now()
                if self.queue.runs_locally:  # the job sits in this process's memory: hold it
                    row.lease_owner = self.owner
                    row.lease_expires_at = row.published_at + timedelta(seconds=self.lease_seconds)
                sent += 1
                session.flush()
        return sent
