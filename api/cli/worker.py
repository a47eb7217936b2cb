"""``onceonly worker``: a Celery worker process that runs the background jobs (OCR, the sweep).

Needs ``ONCEONLY_QUEUE_URL``. Each worker process (``--concurrency`` of them, forked) builds the
services once and loads the OCR models before it takes its first job. ``--beat`` also runs the
schedule (the nightly integrity sweep) — in exactly one worker of a deployment.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("worker", help="run background jobs from the queue (needs ONCEONLY_QUEUE_URL)")
    parser.add_argument("--concurrency", type=int, default=1, help="worker processes (each loads its models once)")
    parser.add_argument("--queues", default="ocr,maintenance", help="queues to take work from (comma-separated)")
    parser.add_argument("--beat", action="store_true", help="also run the schedule (one worker per deployment)")
    parser.add_argument("--loglevel", default="INFO")
    parser.set_defaults(func=worker)


def worker(args: argparse.Namespace) -> int:
    from api.container import build_container
    from api.settings import Settings
    from intake.jobs import celery_app
    from intake.jobs.runner import READERS
    from ocr import Reader

    settings = Settings()
    if not settings.queue_url:
        print("error: ONCEONLY_QUEUE_URL is not set (amqp://… or redis://…)", file=sys.stderr)
        return 2
    main = build_container(settings)  # migrates once; its dispatcher publishes and reclaims from here
    main.engine.dispose()  # no connection crosses the fork into the worker processes

    def context() -> celery_app.WorkerContext:
        main.engine.dispose(close=False)  # a forked child: forget the parent's connections, never close them
        built = build_container(settings, migrate=False)
        jobs = built.services.ocr_jobs
        reader = READERS.acquire(jobs.config, Reader)  # the models load here, before any message
        return celery_app.WorkerContext(runner=jobs.runner, reader=reader, archive=built.archive, close=built.close)

    celery_app.set_context_factory(context)

    @celery_app.signals.worker_ready.connect(weak=False)
    def _dispatch(**_: object) -> None:
        main.services.ocr_jobs.dispatcher.start()

    argv = ["worker", f"--concurrency={max(1, args.concurrency)}", f"--queues={args.queues}",
            f"--loglevel={args.loglevel}", "--pool=prefork", "--without-gossip", "--without-mingle",
            f"--hostname=onceonly-{_node()}@%h"]
    if args.beat:
        argv += ["--beat", f"--schedule={settings.data_dir / 'celerybeat-schedule'}"]
    try:
        main.services.ocr_jobs.queue.app.worker_main(argv)  # type: ignore[attr-defined] - the Celery adapter's app
    finally:
        main.services.ocr_jobs.dispatcher.close()
        main.engine.dispose()
    return 0


def _node() -> str:
    import os

    return str(os.getpid())
