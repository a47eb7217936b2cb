"""The Celery adapter: jobs go to a real broker (RabbitMQ ``amqp://`` or Redis ``redis://``).

Late acks and ``task_reject_on_worker_lost``: a message is acknowledged only after its job ran, so
a worker killed mid-job leaves it to the broker, which hands it to another worker. The job's lease
decides who may run it (``intake.jobs.leases``): a redelivered message for a job a live worker
holds is dropped; a dead worker's job returns through the outbox. Each worker process builds the
services and loads its OCR models once, before it takes its first message (``worker_process_init``).

The worker's services come from the composition root (``api``): it registers them here with
``set_context_factory``, so this module never imports upwards.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from celery import Celery, signals
from celery.schedules import crontab

from archive import Archive, check_archive
from intake.jobs.runner import LEASE_SECONDS, OcrRunner
from ocr import Reader

log = logging.getLogger("onceonly.jobs.celery")

OCR_TASK = "onceonly.ocr.run"
SWEEP_TASK = "onceonly.archive.integrity_sweep"
OCR_QUEUE = "ocr"
MAINTENANCE_QUEUE = "maintenance"
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1.0}


@dataclass
class WorkerContext:
    """What one worker process runs jobs with (built after the fork, models loaded)."""

    runner: OcrRunner
    reader: Reader
    archive: Archive
    close: Callable[[], None]


_factory: Callable[[], WorkerContext] | None = None
_context: WorkerContext | None = None
_context_lock = threading.Lock()


def set_context_factory(factory: Callable[[], WorkerContext]) -> None:
    global _factory
    _factory = factory


def worker_context() -> WorkerContext:
    global _context
    with _context_lock:
        if _context is None:
            if _factory is None:
                raise RuntimeError("no worker context: start workers with `onceonly worker`")
            _context = _factory()
        return _context


def run_ocr(job_id: str) -> str | None:
    """The OCR task: run one job under its lease (a copy of a job another worker holds is dropped)."""
    context = worker_context()
    state = context.runner.run(job_id, lambda: context.reader)
    return state.value if state else None


def integrity_sweep() -> dict[str, Any]:
    """The scheduled task: the same check as ``onceonly archive check``."""
    report = check_archive(worker_context().archive)
    (log.info if report.ok else log.error)(
        "integrity sweep: %d documents, %d problem(s)", report.documents_checked, len(report.problems))
    return {"ok": report.ok, "documents_checked": report.documents_checked, "problems": len(report.problems)}


def make_app(url: str, lease_seconds: float = LEASE_SECONDS) -> Celery:
    app = Celery("onceonly", broker=url, set_as_current=False)
    app.conf.update(
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_ignore_result=True, task_serializer="json", accept_content=["json"],
        task_default_queue=OCR_QUEUE, task_routes={SWEEP_TASK: {"queue": MAINTENANCE_QUEUE}},
        broker_connection_retry_on_startup=True,
        # Redis: a delivered, unacknowledged message (its worker died) comes back after this long;
        # a copy delivered while the job still runs is dropped by the lease check
        broker_transport_options={"visibility_timeout": max(30, int(3 * lease_seconds))},
        worker_hijack_root_logger=False, worker_send_task_events=False,
        beat_schedule={"integrity-sweep": {"task": SWEEP_TASK, "schedule": crontab(hour=2, minute=30)}},
        timezone="Asia/Shanghai",
    )

    # module-level functions, registered on this app only (shared=False): a process that builds
    # several apps (the worker's main container and each forked child's) registers each task once
    app.task(name=OCR_TASK, acks_late=True, reject_on_worker_lost=True, shared=False)(run_ocr)
    app.task(name=SWEEP_TASK, shared=False)(integrity_sweep)
    return app


@signals.worker_process_init.connect
def _warm(**_: object) -> None:
    """A new worker process: build its services and load the models before it takes work."""
    if _factory is not None:
        worker_context()


@signals.worker_process_shutdown.connect
def _close(**_: object) -> None:
    if _context is not None:
        _context.close()


class CeleryQueue:
    """Publisher side: the API replicas (and workers' dispatchers) hand job ids to the broker."""

    runs_locally = False

    def __init__(self, url: str, lease_seconds: float = LEASE_SECONDS) -> None:
        self.url = url
        self.app = make_app(url, lease_seconds)

    def publish(self, job_id: str) -> None:
        self.app.send_task(OCR_TASK, args=[job_id], queue=OCR_QUEUE, retry=True, retry_policy=PUBLISH_RETRY)

    def start(self) -> None:
        return None

    def close(self, timeout: float = 30.0) -> None:
        self.app.close()
