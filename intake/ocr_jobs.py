"""OCR jobs: every new upload is read in the background; state and progress are in a table.

A pool of worker threads (sized by configuration) runs in-process. Each worker builds its own
``ocr.Reader`` — models loaded once per worker, on its first job — and reads jobs from a queue.
Results are stored with the document (``archive.put_derived(doc_id, "ocr", ...)``). A page that
fails fails the job visibly (state ``failed`` with the error code and message); nothing is
silently dropped. Jobs left queued or running by a stopped process are picked up again on start.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from archive import Actor, Archive, DocumentRecord
from intake.db import IntakeBase
from intake.errors import OcrJobNotFoundError
from ocr import OcrConfig, OcrError, Reader, count_pages

log = logging.getLogger("onceonly.ocr_jobs")

OCR_ACTOR = Actor(name="ocr-worker", role="system")
DERIVED_KIND = "ocr"
ReaderFactory = Callable[[OcrConfig], Reader]


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


PENDING = frozenset({JobState.QUEUED, JobState.RUNNING})
FINISHED = frozenset({JobState.DONE, JobState.FAILED})


class OcrJobRow(IntakeBase):
    __tablename__ = "intake_ocr_jobs"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    doc_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    state: Mapped[str] = mapped_column(sa.String(16), index=True)
    pages_done: Mapped[int] = mapped_column(sa.Integer, default=0)
    pages_total: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    doc_type: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    error_code: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)


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


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _view(row: OcrJobRow) -> JobView:
    return JobView(row.id, row.doc_id, JobState(row.state), row.pages_done or 0, row.pages_total, row.doc_type,
                   row.error_code, row.error_message, row.created_at, row.started_at, row.finished_at)


_STOP = object()


class _Cancelled(Exception):
    """The pool is stopping: leave the job as it is (it is re-queued on the next start)."""


class _ReaderPool:
    """Loaded readers kept per configuration for the life of the process.

    Models load once per process, not once per ``OcrJobs`` (a service builds one; tests build many).
    A reader is used by one worker at a time: ``acquire`` hands out an idle one or builds one.
    """

    def __init__(self) -> None:
        self._idle: dict[object, list[Reader]] = {}
        self._lock = threading.Lock()

    def acquire(self, config: OcrConfig, factory: ReaderFactory) -> Reader:
        with self._lock:
            idle = self._idle.get((config, factory))
            if idle:
                return idle.pop()
        return factory(config)

    def release(self, config: OcrConfig, factory: ReaderFactory, reader: Reader) -> None:
        with self._lock:
            self._idle.setdefault((config, factory), []).append(reader)


READERS = _ReaderPool()


class OcrJobs:
    """Submit, run and report OCR jobs. ``close()`` stops the workers (call it on shutdown)."""

    def __init__(self, engine: Engine, archive: Archive, config: OcrConfig, *, workers: int = 1,
                 enabled: bool = True, reader_factory: ReaderFactory = Reader) -> None:
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.archive = archive
        self.config = config
        self.workers = max(1, workers)
        self.enabled = enabled
        self._factory = reader_factory
        self._queue: queue.Queue[object] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._readers: dict[int, Reader] = {}
        self._warm = False

    # --- submitting ---------------------------------------------------------------------------

    def on_stored(self, record: DocumentRecord, created: bool) -> None:
        """Hook for ``DocumentService.on_stored``: a newly stored document gets an OCR job."""
        if created and self.enabled:
            self.submit(record.id)

    def submit(self, doc_id: str, data: bytes | None = None, media_type: str | None = None) -> str:
        """Queue a job for ``doc_id`` and return its id. Without ``data`` the worker reads the
        original from the archive (audited as ``ocr-worker``, purpose ``ocr``)."""
        job_id = secrets.token_hex(16)
        with self.sessions.begin() as session:
            session.add(OcrJobRow(id=job_id, doc_id=doc_id, state=JobState.QUEUED.value, pages_done=0, created_at=_now()))
        self._start()
        self._queue.put((job_id, doc_id, data))
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
        deadline = _now().timestamp() + timeout
        while True:
            view = self.get(job_id)
            if view.state in FINISHED:
                return view
            if _now().timestamp() > deadline:
                raise TimeoutError(f"OCR job {job_id} still {view.state} after {timeout}s")
            self._stopping.wait(0.1)

    # --- workers ------------------------------------------------------------------------------

    def _start(self) -> None:
        with self._lock:
            if self._threads or self._stopping.is_set():
                return
            self._requeue_unfinished()
            for n in range(self.workers):
                thread = threading.Thread(target=self._work, name=f"ocr-worker-{n}", daemon=True)
                thread.start()
                self._threads.append(thread)

    def start(self) -> None:
        """Start the workers now and load their models in the background (service start-up);
        otherwise workers start, and load models, with the first job."""
        self._warm = True
        self._start()

    def _requeue_unfinished(self) -> None:
        with self.sessions.begin() as session:
            rows = session.scalars(sa.select(OcrJobRow).where(OcrJobRow.state.in_([state.value for state in PENDING]))).all()
            for row in rows:
                row.state, row.pages_done = JobState.QUEUED.value, 0
                self._queue.put((row.id, row.doc_id, None))

    def close(self, timeout: float = 30.0) -> None:
        """Stop the workers after their current page; queued jobs stay queued for the next start."""
        self._stopping.set()
        for _ in self._threads:
            self._queue.put(_STOP)
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def _work(self) -> None:
        ident = threading.get_ident()
        try:
            if self._warm and not self._stopping.is_set():
                self._readers[ident] = READERS.acquire(self.config, self._factory)
            while True:
                item = self._queue.get()
                if item is _STOP or self._stopping.is_set():
                    return
                job_id, doc_id, data = item  # type: ignore[misc]
                try:
                    self._run(job_id, doc_id, data)
                except _Cancelled:
                    return
                except Exception as exc:  # noqa: BLE001 - a job failure is recorded, never lost
                    log.exception("OCR job %s failed", job_id)
                    self._finish(job_id, JobState.FAILED, code=getattr(exc, "code", "ocr_internal_error"),
                                 message=str(exc) or type(exc).__name__)
        finally:
            reader = self._readers.pop(ident, None)
            if reader is not None:
                READERS.release(self.config, self._factory, reader)

    def _check(self) -> None:
        if self._stopping.is_set():
            raise _Cancelled()

    def _run(self, job_id: str, doc_id: str, data: bytes | None) -> None:
        """Run one job (the worker's reader is taken from the pool on the first input worth reading)."""
        with self.sessions.begin() as session:
            row = session.get(OcrJobRow, job_id)
            if row is None or row.state not in PENDING:
                return
            row.state, row.started_at = JobState.RUNNING.value, _now()
        if data is None:
            data = self.archive.read(doc_id, actor=OCR_ACTOR, purpose="ocr", action="ocr")
        try:
            total = count_pages(data, self.config.limits)  # bad or too long input fails before models load
            self._progress(job_id, 0, total)
            reader = self._readers.get(threading.get_ident())
            if reader is None:
                reader = READERS.acquire(self.config, self._factory)
                self._readers[threading.get_ident()] = reader
            self._check()

            def progress(done: int, all_: int) -> None:
                self._check()  # stop between pages, before writing anything more
                self._progress(job_id, done, all_)

            result = reader.read(data, progress=progress)
            self._check()
        except OcrError as exc:
            self._finish(job_id, JobState.FAILED, code=exc.code, message=str(exc))
            return
        payload = result.to_dict() | {"job_id": job_id}
        self.archive.put_derived(doc_id, DERIVED_KIND, payload)
        self._finish(job_id, JobState.DONE, doc_type=result.doc_type)

    def _progress(self, job_id: str, done: int, total: int) -> None:
        with self.sessions.begin() as session:
            row = session.get(OcrJobRow, job_id)
            if row is not None:
                row.pages_done, row.pages_total = done, total

    def _finish(self, job_id: str, state: JobState, *, code: str | None = None, message: str | None = None,
                doc_type: str | None = None) -> None:
        with self.sessions.begin() as session:
            row = session.get(OcrJobRow, job_id)
            if row is not None:
                row.state, row.finished_at = state.value, _now()
                row.error_code, row.error_message, row.doc_type = code, message, doc_type


def new_reader(config: OcrConfig) -> Reader:
    """A reader for one-off use (the CLI): models loaded now, used for every file given."""
    return Reader(config)
