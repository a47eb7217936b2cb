"""Run one OCR job under its lease: claim, read the original, OCR it, store the result, finish.

Both adapters call ``OcrRunner.run``. The result is stored with the document under one key
(``archive.put_derived(doc_id, "ocr", ...)``), so a job that runs twice — its first worker was
killed after writing — still leaves exactly one result. A job whose lease was taken over stops.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from archive import Actor, Archive
from intake.jobs import leases
from intake.jobs.tables import JobState, OcrJobRow
from ocr import OcrConfig, OcrError, Reader, count_pages

log = logging.getLogger("onceonly.ocr_jobs")

OCR_ACTOR = Actor(name="ocr-worker", role="system")
DERIVED_KIND = "ocr"
ReaderFactory = Callable[[OcrConfig], Reader]
LEASE_SECONDS = 60.0


class Cancelled(Exception):
    """Stop the job where it is: the process is stopping, or another worker holds the job now."""


class ReaderPool:
    """Loaded readers kept per configuration for the life of the process (models load once).

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


READERS = ReaderPool()


class OcrRunner:
    """Runs jobs as ``owner``; ``reader()`` gives the calling worker its loaded reader."""

    def __init__(self, sessions: sessionmaker[Session], archive: Archive, config: OcrConfig, *, owner: str,
                 lease_seconds: float = LEASE_SECONDS, stopping: threading.Event | None = None) -> None:
        self.sessions = sessions
        self.archive = archive
        self.config = config
        self.owner = owner
        self.lease_seconds = lease_seconds
        self.stopping = stopping or threading.Event()

    def run(self, job_id: str, reader: Callable[[], Reader], data: bytes | None = None) -> JobState | None:
        """Run the job if we can claim it; None when it is finished or held by a live worker."""
        if not leases.claim(self.sessions, job_id, self.owner, self.lease_seconds):
            return None
        with self.sessions() as session:
            row = session.get(OcrJobRow, job_id)
            doc_id = row.doc_id if row else ""
        lost = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(job_id, lost), daemon=True, name=f"lease-{job_id[:8]}")
        beat.start()
        try:
            return self._run(job_id, doc_id, reader, data, lost)
        except Cancelled:
            return None
        except Exception as exc:  # noqa: BLE001 - a job failure is recorded, never lost
            log.exception("OCR job %s failed", job_id)
            leases.finish(self.sessions, job_id, self.owner, JobState.FAILED,
                          code=getattr(exc, "code", "ocr_internal_error"), message=str(exc) or type(exc).__name__)
            return JobState.FAILED
        finally:
            lost.set()  # also stops the heartbeat
            beat.join(5)

    def _heartbeat(self, job_id: str, lost: threading.Event) -> None:
        while not lost.wait(self.lease_seconds / 3):
            if not leases.renew(self.sessions, job_id, self.owner, self.lease_seconds):
                lost.set()

    def _run(self, job_id: str, doc_id: str, reader: Callable[[], Reader], data: bytes | None,
             lost: threading.Event) -> JobState:
        def check() -> None:
            if self.stopping.is_set() or lost.is_set():
                raise Cancelled()

        if data is None:
            data = self.archive.read(doc_id, actor=OCR_ACTOR, purpose="ocr", action="ocr")
        try:
            total = count_pages(data, self.config.limits)  # bad or too long input fails before models load
            self._progress(job_id, 0, total)
            loaded = reader()
            check()

            def progress(done: int, all_: int) -> None:
                check()  # stop between pages, before writing anything more
                self._progress(job_id, done, all_)

            result = loaded.read(data, progress=progress)
            check()
        except OcrError as exc:
            leases.finish(self.sessions, job_id, self.owner, JobState.FAILED, code=exc.code, message=str(exc))
            return JobState.FAILED
        self.archive.put_derived(doc_id, DERIVED_KIND, result.to_dict() | {"job_id": job_id})
        self.archive.put_text(doc_id, result.text)  # what a document search by OCR text looks in
        leases.finish(self.sessions, job_id, self.owner, JobState.DONE, doc_type=result.doc_type)
        return JobState.DONE

    def _progress(self, job_id: str, done: int, total: int) -> None:
        if not leases.renew(self.sessions, job_id, self.owner, self.lease_seconds, pages_done=done, pages_total=total):
            raise Cancelled()
