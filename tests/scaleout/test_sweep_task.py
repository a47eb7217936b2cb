"""The integrity sweep is a scheduled Celery task on the `maintenance` queue: run on a real archive
with a missing object, it reports the problem (the same check as `onceonly archive check`)."""

from __future__ import annotations

from pathlib import Path

from archive import Actor
from intake.jobs import celery_app
from tests.scaleout.procs import scan


def test_the_scheduled_sweep_finds_a_missing_object(the_archive, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clerk = Actor(name="王窗口", role="clerk", key_id="k-clerk")
    kept, lost = (the_archive.ingest(scan(n), owner_code="91330302MA2AB1C2D8", owner_code_type="uscc",
                                     doc_type="lease_contract", actor=clerk).record for n in (1, 2))
    [gone] = [p for p in (tmp_path / "objects").rglob(f"*{lost.sha256}*") if p.name == lost.sha256]
    gone.unlink()
    app = celery_app.make_app("memory://")
    schedule = app.conf.beat_schedule["integrity-sweep"]
    assert schedule["task"] == celery_app.SWEEP_TASK
    assert app.conf.task_routes[celery_app.SWEEP_TASK] == {"queue": celery_app.MAINTENANCE_QUEUE}
    celery_app.set_context_factory(lambda: celery_app.WorkerContext(
        runner=None, reader=None, archive=the_archive, close=lambda: None))  # type: ignore[arg-type]
    try:
        report = app.tasks[celery_app.SWEEP_TASK].apply().get()
    finally:
        celery_app._context = None  # the next test's worker builds its own
    assert report == {"ok": False, "documents_checked": 2, "problems": 1}
    assert kept.id != lost.id
