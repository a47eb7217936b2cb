"""Queue benchmark: OCR pages/s on Celery worker processes vs the in-process pool, and queue latency.

    .venv/bin/python bench/queue [--pages 8] [--latency-jobs 20] [--broker amqp://guest:guest@127.0.0.1:5672//]

Needs PostgreSQL (ONCEONLY_TEST_POSTGRES_URL: a fresh database is made and dropped) and the broker.
Each mode reads the same single-page scans (small generated pages, RapidOCR, 1 engine thread):
the in-process pool with 1 and 2 threads (the embedded default), then 1 and 2 `onceonly worker
--concurrency 1` processes. Models are warm before timing starts. Then 1-page jobs one at a time on
an idle system: queue latency = job started − upload committed (p50/p99), and end-to-end.
"""

from __future__ import annotations

import sys
from pathlib import Path

# A folder, not bench/queue.py: a module of that name would shadow the standard library's
# ``queue`` for every script in bench/ (psycopg, kombu and concurrent.futures import it).
import argparse
import io
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench._support import Run, fresh_database, table  # noqa: E402

USCC = "91330302MA2AB1C2D8"


def page(n: int) -> bytes:
    image = Image.new("L", (900, 1200), 255)
    draw = ImageDraw.Draw(image)
    for line in range(14):
        draw.text((60, 60 + line * 70), f"BENCH {n:04d} LINE {line:02d} ONCEONLY 0579-{n:04d}", fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def small_page(n: int) -> bytes:
    """A 1-page job for the latency rows: a few words, so the reading itself stays short."""
    image = Image.new("L", (480, 200), 255)
    ImageDraw.Draw(image).text((20, 80), f"LATENCY {n:04d}", fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def container(env: dict[str, str], **overrides: object):  # type: ignore[no-untyped-def]
    from api.container import build_container
    from api.settings import Settings

    return build_container(Settings(data_dir=Path(env["ONCEONLY_DATA_DIR"]), database_url=env["ONCEONLY_DATABASE_URL"],
                                    store_path=Path(env["ONCEONLY_STORE_PATH"]), ocr_threads=1, **overrides))


def upload_all(c, blobs: list[bytes]) -> list[str]:  # type: ignore[no-untyped-def]
    from archive import Actor
    from intake.documents import Caller

    caller = Caller(Actor(name="bench", role="clerk", key_id="bench"))
    return [c.services.documents.upload(b, caller=caller, owner_code=USCC, doc_type="lease_contract").record.id
            for b in blobs]


def wait_done(c, doc_ids: list[str], timeout: float = 900) -> None:  # type: ignore[no-untyped-def]
    jobs = c.services.ocr_jobs
    deadline = time.monotonic() + timeout
    for doc_id in doc_ids:
        while True:
            view = jobs.latest_for(doc_id)
            if view is not None and view.state in ("done", "failed"):
                break
            if time.monotonic() > deadline:
                raise TimeoutError(doc_id)
            time.sleep(0.02)


def throughput(c, blobs: list[bytes]) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    wait_done(c, upload_all(c, blobs))
    return len(blobs) / (time.perf_counter() - t0)


def latencies(c, blobs: list[bytes]) -> tuple[Run, Run]:  # type: ignore[no-untyped-def]
    queue_wait, total = [], []
    for blob in blobs:
        t0 = time.perf_counter()
        [doc_id] = upload_all(c, [blob])
        wait_done(c, [doc_id])
        end = time.perf_counter()
        view = c.services.ocr_jobs.latest_for(doc_id)
        queue_wait.append((view.started_at - view.created_at).total_seconds())
        total.append(end - t0)
    return Run(queue_wait, 1, 0), Run(total, 1, 0)


def start_workers(env: dict[str, str], n: int, work: Path) -> list[subprocess.Popen[bytes]]:
    procs = []
    for i in range(n):
        log = work / f"worker-{i}-{secrets.token_hex(2)}.log"
        with open(log, "wb") as out:
            procs.append(subprocess.Popen([sys.executable, "-m", "api.cli", "worker", "--concurrency", "1"],
                                          cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                                          stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.monotonic() + 120
        while b"ready." not in log.read_bytes():
            if time.monotonic() > deadline or procs[-1].poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")[-2000:])
            time.sleep(0.2)
    return procs


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--latency-jobs", type=int, default=20)
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    args = parser.parse_args()
    pg = os.environ.get("ONCEONLY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    url, drop = fresh_database(pg)
    work = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    env = {"ONCEONLY_DATA_DIR": str(work / "data"), "ONCEONLY_DATABASE_URL": url,
           "ONCEONLY_STORE_PATH": str(work / "store"), "ONCEONLY_OCR_THREADS": "1"}
    counter = iter(range(10**6))
    batch = lambda n: [page(next(counter)) for _ in range(n)]  # noqa: E731 - distinct pages each time
    rows, lat_rows = [], []
    try:
        for threads in (1, 2):
            c = container(env, ocr_workers=threads)
            c.start()
            throughput(c, batch(threads))  # warm every thread's reader
            rows.append([f"in-process pool, {threads} thread(s)", throughput(c, batch(args.pages))])
            if threads == 1:
                wait, total = latencies(c, [small_page(next(counter)) for _ in range(args.latency_jobs)])
                lat_rows.append(["in-process", wait.p50, wait.pct(0.99), total.p50, total.pct(0.99)])
            c.close()
        queued = {**env, "ONCEONLY_QUEUE_URL": args.broker}
        c = container(queued, queue_url=args.broker)
        c.start()  # the dispatcher only: this process runs no OCR
        for n in (1, 2):
            workers = start_workers(queued, n, work)
            try:
                throughput(c, batch(n))
                rows.append([f"celery, {n} worker process(es) x 1", throughput(c, batch(args.pages))])
                if n == 1:
                    wait, total = latencies(c, [small_page(next(counter)) for _ in range(args.latency_jobs)])
                    lat_rows.append(["celery (RabbitMQ)" if "amqp" in args.broker else "celery", wait.p50,
                                     wait.pct(0.99), total.p50, total.pct(0.99)])
            finally:
                stop(workers)
        c.close()
    finally:
        drop()
    base = rows[0][1]
    print(f"queue benchmark: {args.pages} single-page scans per row, {os.cpu_count()} CPUs, RapidOCR 1 thread/worker")
    print(table(["mode", "pages/s", "vs in-process 1"], [r + [r[1] / base] for r in rows]))
    print(f"\n1-page jobs, one at a time ({args.latency_jobs}): queue wait = started - committed")
    print(table(["mode", "queue p50 ms", "queue p99 ms", "end-to-end p50 ms", "end-to-end p99 ms"], lat_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
