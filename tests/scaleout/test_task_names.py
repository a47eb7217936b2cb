"""A process builds several Celery apps (the worker's main container and each forked child's, every
test's): each registers the two tasks once, as its own — no "Every task must have a unique name"."""

from __future__ import annotations

import warnings

from intake.jobs import celery_app


def test_building_the_app_twice_registers_each_task_once_per_app() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # celery's DuplicateTaskNameWarning becomes a failure
        first, second = celery_app.make_app("memory://"), celery_app.make_app("memory://")
        for app in (first, second):
            tasks = app.tasks  # finalizes the app: every pending and shared task is registered now
            assert {celery_app.OCR_TASK, celery_app.SWEEP_TASK} <= set(tasks)
            assert tasks[celery_app.OCR_TASK].app is app and tasks[celery_app.SWEEP_TASK].app is app
    assert first.tasks[celery_app.OCR_TASK] is not second.tasks[celery_app.OCR_TASK]
