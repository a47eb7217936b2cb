"""OCR jobs: every new upload is read in the background; state and progress are in a table.

The job row is written in the upload's own transaction (``in_transaction``) and handed to a
queue by the outbox dispatcher (``intake.jobs.outbox``). The queue is a port with two adapters:
the embedded default runs worker threads in this process (no broker); with a queue URL the
jobs go to Celery and ``onceonly worker`` processes run them (``intake.jobs.celery_app``), so
this process runs no OCR. Whoever runs a job holds a lease on it (``intake.jobs.leases``); a job
goes back to the outbox only when its lease expired or its holder died — never because it merely
looks unfinished. Results are stored with the document under one key, so a job run twice leaves
one result. A page that fails fails the job visibly (state ``failed`` with the error code).
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive import Archive, DocumentRecord
from intake.errors import OcrJobNotFoundError
from intake.jobs import leases
from intake.jobs.api import JobQueue
from intake.jobs.inprocess import InProcessQueue
from intake.jobs.outbox import Dispatcher, add_job
from intake.jobs.runner import DERIVED_KIND, LEASE_SECONDS, OCR_ACTOR, OcrRunner, ReaderFactory
from intake.jobs.tables import FINISHED, PENDING, JobState, OcrJobRow
from ocr import OcrConfig, Reader

__all__ = ["DERIVED_KIND", "FINISHED", "JobState", "JobView", "OCR_ACTOR", "OcrJobRow", "OcrJobs", "PENDING",
           "new_reader"]

CRASH_AFTER_COMMIT = "ONCEONLY_TEST_CRASH_AFTER_COMMIT"
"""Test builds only: exit at once after an upload's commit, before anything else (the crash window)."""


@dataclass(frozen=True)
class JobView:
    id: str
    doc_id: str
    state: JobState
    pages_done: int
    pages_total: int | None
    doc_type: str | None
    error_code: str | None
    error_message: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    def to_dict(self) -> dict[str, object]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id, "kind": DERIVED_KIND, "doc_id": self.doc_id, "state": self.state,
            "progress": {"pages_done": self.pages_done, "pages_total": self.pages_total},
            "doc_type": self.doc_type,
            "error": {"code": self.error_code, "message": self.error_message} if self.error_code else None,
            "created_at": iso(self.created_at), "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
        }


def _view(row: OcrJobRow) -> JobView:
    return JobView(row.id, row.doc_id, JobState(row.state), row.pages_done or 0, row.pages_total, row.doc_type,
                   row.error_code, row.error_message, row.created_at, row.started_at, row.finished_at)


class OcrJobs:
    """Submit, run and report OCR jobs. ``close()`` stops the dispatcher and workers (on shutdown)."""

    def __init__(self, engine: Engine, archive: Archive, config: OcrConfig, *, workers: int = 1,
                 enabled: bool = True, reader_factory: ReaderFactory = Reader, queue: JobQueue | None = None,
                 lease_seconds: float = LEASE_SECONDS) -> None:
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.archive = archive
        self.config = config
        self.enabled = enabled
        self.owner = leases.new_owner()
        self._stopping = threading.Event()
        self.runner = OcrRunner(self.sessions, archive, config, owner=self.owner, lease_seconds=lease_seconds,
                                stopping=self._stopping)
        self.queue: JobQueue = queue or InProcessQueue(self.runner, reader_factory, workers=workers)
        self.dispatcher = Dispatcher(self.sessions, self.queue, owner=self.owner, lease_seconds=lease_seconds)

    # --- submitting ---------------------------------------------------------------------------

    def in_transaction(self, session: Session, doc_id: str) -> None:
        """Hook for ``DocumentService.in_transaction``: the job row commits with the document's."""
        if self.enabled:
            add_job(session, doc_id)

    def on_stored(self, record: DocumentRecord, created: bool) -> None:
        """Hook for ``DocumentService.on_stored`` (after the commit): publish the new job now. A
        document stored before jobs were transactional, and never given one, gets one here."""
        if not self.enabled:
            return
        if os.environ.get(CRASH_AFTER_COMMIT):
            os._exit(137)
        if not created and self.latest_for(record.id) is None:
            self.submit(record.id)
            return
        self.dispatcher.kick()

    def submit(self, doc_id: str, data: bytes | None = None, media_type: str | None = None) -> str:
        """Queue a job for ``doc_id`` and return its id. Without ``data`` the worker reads the
        original from the archive (audited as ``ocr-worker``, purpose ``ocr``)."""
        if data is not None and isinstance(self.queue, InProcessQueue):
            job_id = secrets.token_hex(16)
            now = leases.now()
            with self.sessions.begin() as session:  # held by this process, never published
                session.add(OcrJobRow(id=job_id, doc_id=doc_id, state=JobState.QUEUED.value, pages_done=0,
                                      created_at=now, published_at=now, lease_owner=self.owner, attempts=0,
                                      lease_expires_at=now + timedelta(seconds=self.runner.lease_seconds)))
            self.dispatcher.start()  # renews the lease while the job waits
            self.queue.submit_with_data(job_id, data)
            return job_id
        with self.sessions.begin() as session:
            job_id = add_job(session, doc_id)
        self.dispatcher.kick()
        return job_id

    # --- reading state ------------------------------------------------------------------------

    def get(self, job_id: str) -> JobView:
        with self.sessions() as session:
            row = session.get(OcrJobRow, job_id) if 0 < len(job_id) <= 32 else None
            if row is None:
                raise OcrJobNotFoundError(f"OCR job {job_id} not found")
            return _view(row)

    def latest_for(self, doc_id: str) -> JobView | None:
        query = (sa.select(OcrJobRow).where(OcrJobRow.doc_id == doc_id)
                 .order_by(OcrJobRow.created_at.desc(), OcrJobRow.id).limit(1))
        with self.sessions() as session:
            row = session.scalars(query).first()
            return _view(row) if row else None

    def result(self, doc_id: str) -> dict | None:
        return self.archive.get_derived(doc_id, DERIVED_KIND)

    def wait(self, job_id: str, timeout: float = 60.0) -> JobView:
        """Block until the job is done or failed (for the CLI and tests); raises TimeoutError."""
        deadline = leases.now().timestamp() + timeout
        while True:
            view = self.get(job_id)
            if view.state in FINISHED:
                return view
            if leases.now().timestamp() > deadline:
                raise TimeoutError(f"OCR job {job_id} still {view.state} after {timeout}s")
            self._stopping.wait(0.1)

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Service start-up: local workers load their models now; the dispatcher publishes what
        the outbox holds (jobs of crashed uploads too) and takes over jobs whose holder is gone."""
        if isinstance(self.queue, InProcessQueue):
            self.queue.start(warm=True)
        else:
            self.queue.start()
        self.dispatcher.start()

    def close(self, timeout: float = 30.0) -> None:
        """Stop after the current page; jobs this process held go back to the outbox for others."""
        self._stopping.set()
        self.dispatcher.close(timeout)
        self.queue.close(timeout)
        try:
            leases.release_all(self.sessions, self.owner)
        except Exception:  # noqa: BLE001 - the database may be gone at shutdown; leases then expire
            pass


def new_reader(config: OcrConfig) -> Reader:
    """A reader for one-off use (the CLI): models loaded now, used for every file given."""
    return Reader(config)
