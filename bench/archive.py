"""Archive benchmark: upload and fetch through the HTTP service vs the raw store, side by side.

    .venv/bin/python bench/archive.py [--requests 200] [--size-kib 256] [--clients 1,10,100]
    .venv/bin/python bench/archive.py --checks-only [--checks-requests 25] [--stores local,s3] [--checks-compare ../main]

Starts the service (uvicorn, one process, SQLite catalog) on loopback against a local folder and
against moto's S3 server, and times the same objects put/got directly on the filesystem / with the
minio SDK. Prints req/s, MB/s and p50/p99 latency per store, operation and client count, and the
service-to-raw throughput ratio.

The intake-checks table (四性检测 on vs off) uploads a 300 dpi A4 JPEG and a 10-page scanned PDF
(the same page ten times, so one image object; and, as a scanner writes it, ten distinct pages)
to two services started side by side per store (``ONCEONLY_INTAKE_CHECKS`` true / false; local
folder and S3 on moto), alternating one upload to each so both see the same machine load, and
prints p50 per kind, the ratio, and each service's CPU time per upload. ``--checks-compare PATH``
adds a third service with checks on running another checkout's code (e.g. main before a change).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._support import Run, free_port, start, start_moto, table, wait_http  # noqa: E402

USCC = "91350100M000100Y43"


def payloads(count: int, size: int) -> list[bytes]:
    header = b"\x89PNG\r\n\x1a\n"
    return [header + os.urandom(size - len(header)) for _ in range(count)]


def timed(jobs: list[Callable[[], int]], clients: int) -> Run:
    latencies: list[float] = []

    def one(job: Callable[[], int]) -> int:
        t0 = time.perf_counter()
        n = job()
        latencies.append(time.perf_counter() - t0)
        return n

    start_at = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        total = sum(pool.map(one, jobs))
    return Run(latencies, time.perf_counter() - start_at, total)


def start_service(env: dict[str, str]) -> tuple[object, str]:
    port = free_port()
    process = start([sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
                    env=env | {"ONCEONLY_LOG_LEVEL": "WARNING"})
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/healthz")
    return process, base


def make_key(env: dict[str, str]) -> str:
    import subprocess

    out = subprocess.run([sys.executable, "-m", "api.cli", "keys", "create", "--role", "clerk", "--name", "bench"],
                         env={**os.environ, **env}, capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[0].strip()


def service_runs(base: str, key: str, data: list[bytes], clients: int) -> tuple[Run, Run]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, limits=limits,
                      timeout=120) as client:
        ids: list[str] = []

        def up(blob: bytes) -> Callable[[], int]:
            def job() -> int:
                r = client.post("/api/v1/documents", files={"file": ("s.png", blob)},
                                data={"owner_code": USCC, "doc_type": "bench"})
                r.raise_for_status()
                ids.append(r.json()["id"])
                return len(blob)
            return job

        upload = timed([up(b) for b in data], clients)

        def down(doc_id: str) -> Callable[[], int]:
            def job() -> int:
                r = client.get(f"/api/v1/documents/{doc_id}/content")
                r.raise_for_status()
                return len(r.content)
            return job

        fetch = timed([down(i) for i in list(ids)], clients)
    return upload, fetch


def raw_local_runs(root: Path, data: list[bytes], clients: int) -> tuple[Run, Run]:
    root.mkdir(parents=True, exist_ok=True)

    def up(blob: bytes) -> Callable[[], int]:
        def job() -> int:
            sha = hashlib.sha256(blob).hexdigest()
            tmp = root / f".{sha}"
            with open(tmp, "wb") as out:
                out.write(blob)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, root / sha)
            return len(blob)
        return job

    def down(blob: bytes) -> Callable[[], int]:
        def job() -> int:
            return len((root / hashlib.sha256(blob).hexdigest()).read_bytes())
        return job

    return timed([up(b) for b in data], clients), timed([down(b) for b in data], clients)


def raw_s3_runs(endpoint: str, data: list[bytes], clients: int) -> tuple[Run, Run]:
    import urllib3
    from minio import Minio

    client = Minio(endpoint, "bench", "bench-secret", secure=False,
                   http_client=urllib3.PoolManager(maxsize=max(10, clients)))
    bucket = f"raw-{os.urandom(4).hex()}"
    client.make_bucket(bucket)

    def up(blob: bytes) -> Callable[[], int]:
        def job() -> int:
            client.put_object(bucket, hashlib.sha256(blob).hexdigest(), io.BytesIO(blob), len(blob))
            return len(blob)
        return job

    def down(blob: bytes) -> Callable[[], int]:
        def job() -> int:
            response = client.get_object(bucket, hashlib.sha256(blob).hexdigest())
            try:
                return len(response.read())
            finally:
                response.close()
                response.release_conn()
        return job

    return timed([up(b) for b in data], clients), timed([down(b) for b in data], clients)


def a4_scan_jpeg(dpi: int = 300, quality: int = 85, seed: int = 0) -> bytes:
    """A noisy grey A4 page with ruled text lines, as a scanner would produce it."""
    import numpy as np
    from PIL import Image, ImageDraw

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("L", (width, height), 245)
    draw = ImageDraw.Draw(page)
    for row in range(int(height / (dpi * 0.3))):
        y = int(dpi * 0.5 + row * dpi * 0.3)
        draw.line((dpi // 2, y, width - dpi // 2, y), fill=40, width=max(1, dpi // 100))
    noise = np.random.default_rng(seed).integers(-18, 18, (height, width))
    page = Image.fromarray((np.asarray(page, dtype=np.int16) + noise).clip(0, 255).astype(np.uint8))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
    return out.getvalue()


def unique_jpeg(base: bytes, n: int) -> bytes:
    """The same scan with a distinct comment segment (so every upload is a new object)."""
    text = f"bench upload {n}".encode()
    return base[:2] + b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text + base[2:]


def scanned_pdf(page_jpeg: bytes | list[bytes], pages: int, n: int) -> bytes:
    """``pages`` pages drawing ``page_jpeg`` (one image object: reportlab stores images with the same
    pixels once), or, given a list of different scans, one image per page as a scanner writes them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle(f"bench scan {n}")
    for index in range(pages):
        jpeg = page_jpeg[index] if isinstance(page_jpeg, list) else page_jpeg
        canvas.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, *A4)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def checks_rows(requests: int, stores: list[str], compare: str | None = None) -> list[list[object]]:
    """Upload p50 with the intake checks on and off, same files, alternating between two services
    per store, and the CPU time each service spent per upload (steadier than latency on a busy box).
    ``compare``: a third service per store, checks on, running the code of that checkout ("was")."""
    jpeg300 = a4_scan_jpeg(300)
    page150 = a4_scan_jpeg(150, quality=75)
    pages150 = [page150] + [a4_scan_jpeg(150, quality=75, seed=p) for p in range(1, 10)]  # other pixels per page
    kinds = {
        "A4 JPEG 300 dpi": ("scan.jpg", [unique_jpeg(jpeg300, n) for n in range(2 * requests)]),
        "10-page scanned PDF": ("scan.pdf", [scanned_pdf(page150, 10, n) for n in range(2 * requests)]),
        "10 distinct scanned pages": ("scan.pdf", [scanned_pdf(pages150, 10, n) for n in range(2 * requests)]),
    }
    services = {}
    work = Path(tempfile.mkdtemp(prefix="bench-checks-"))
    moto, endpoint = start_moto() if "s3" in stores else (None, "")
    try:
        modes = ("on", "off", "was") if compare else ("on", "off")
        for store in stores:
            for mode in modes:
                env = {"ONCEONLY_DATA_DIR": str(work / f"{store}-{mode}"), "ONCEONLY_STORE": store,
                       "ONCEONLY_S3_ENDPOINT": endpoint, "ONCEONLY_S3_BUCKET": f"checks-{mode}-{os.urandom(3).hex()}",
                       "ONCEONLY_INTAKE_CHECKS": "false" if mode == "off" else "true",
                       "ONCEONLY_OCR_ON_UPLOAD": "false", "ONCEONLY_MAX_UPLOAD_BYTES": str(64 * 1024 * 1024)}
                if mode == "was":
                    env["PYTHONPATH"] = str(Path(compare).resolve())  # type: ignore[arg-type]
                key = make_key(env)
                process, base = start_service(env)
                services[store, mode] = (process, httpx.Client(base_url=base, timeout=120,
                                                               headers={"Authorization": f"Bearer {key}"}))
        rows = []
        for store in stores:
            for kind, (filename, blobs) in kinds.items():
                latencies: dict[str, list[float]] = {m: [] for m in modes}
                cpu = {m: 0.0 for m in modes}
                for n, blob in enumerate(blobs if not compare else blobs + blobs[:len(blobs) // 2]):
                    # on,off,off,on,...: neither always goes first; with "was": on,off,was,was,off,on,...
                    mode = ("on", "off")[(n + n // 2) % 2] if not compare else (modes + modes[::-1])[n % 6]
                    if compare and n >= len(blobs):
                        blob = unique_again(blob, filename)
                    process, client = services[store, mode]
                    c0, t0 = cpu_seconds(process.pid), time.perf_counter()  # type: ignore[attr-defined]
                    response = client.post("/api/v1/documents", files={"file": (filename, blob)},
                                           data={"owner_code": USCC, "doc_type": "bench", "case_ref": "BENCH-1"})
                    latencies[mode].append(time.perf_counter() - t0)
                    cpu[mode] += cpu_seconds(process.pid) - c0  # type: ignore[attr-defined]
                    response.raise_for_status()
                on, off = Run(latencies["on"], 1, 0), Run(latencies["off"], 1, 0)
                cpu_on, cpu_off = (cpu[m] * 1e3 / len(latencies[m]) for m in ("on", "off"))
                rows.append([store, kind, f"{len(blobs[0]) / 1e6:.1f} MB", len(latencies["on"]), off.p50, on.p50,
                             on.p50 / off.p50 - 1 if off.p50 else 0, off.pct(0.9), on.pct(0.9), cpu_off, cpu_on])
                if compare:
                    was = Run(latencies["was"], 1, 0)
                    rows.append([store, f"  {kind}: {compare}", "", len(latencies["was"]), off.p50, was.p50,
                                 was.p50 / off.p50 - 1 if off.p50 else 0, off.pct(0.9), was.pct(0.9), cpu_off,
                                 cpu["was"] * 1e3 / len(latencies["was"])])
        return rows
    finally:
        for process, client in services.values():
            client.close()
            process.terminate()  # type: ignore[attr-defined]
            process.wait()  # type: ignore[attr-defined]
        if moto:
            moto.terminate()
        shutil.rmtree(work, ignore_errors=True)


def unique_again(blob: bytes, filename: str) -> bytes:
    """Another distinct copy of a bench upload (a JPEG comment, or bytes after a PDF's %%EOF)."""
    return unique_jpeg(blob, 10**6) if filename.endswith(".jpg") else blob + b"\n% again\n"


def print_checks(requests: int, stores: list[str], compare: str | None = None) -> None:
    rows = checks_rows(requests, stores, compare)
    print(f"intake checks (四性检测) on vs off: {requests} uploads per kind and mode, alternating, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, SQLite catalog; goal: checks add < 25 % to p50")
    print(table(["store", "upload", "size", "n", "p50 off ms", "p50 on ms", "added", "p90 off ms", "p90 on ms",
                 "CPU off ms", "CPU on ms"],
                [r[:6] + [f"{r[6] * 100:+.0f} %"] + r[7:] for r in rows]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--size-kib", type=int, default=256)
    parser.add_argument("--clients", default="1,10,100")
    parser.add_argument("--stores", default="local,s3")
    parser.add_argument("--checks-requests", type=int, default=25, help="uploads per kind and mode (checks table)")
    parser.add_argument("--checks-only", action="store_true", help="only the intake checks on/off table")
    parser.add_argument("--checks-compare", help="another checkout: a third service with checks on runs its code")
    args = parser.parse_args()
    stores = args.stores.split(",")
    if args.checks_only:
        print_checks(args.checks_requests, stores, args.checks_compare)
        return 0
    levels = [int(c) for c in args.clients.split(",")]
    rows = []
    moto, endpoint = start_moto() if "s3" in args.stores else (None, "")
    try:
        for store in args.stores.split(","):
            work = Path(tempfile.mkdtemp(prefix=f"bench-{store}-"))
            env = {"ONCEONLY_DATA_DIR": str(work / "data"), "ONCEONLY_STORE": store,
                   "ONCEONLY_S3_ENDPOINT": endpoint, "ONCEONLY_S3_BUCKET": f"svc-{os.urandom(4).hex()}",
                   "ONCEONLY_MAX_UPLOAD_BYTES": str(64 * 1024 * 1024),
                   # random payloads are not images: this table measures the storage path; the
                   # checks' cost on real scans is the table printed after it
                   "ONCEONLY_INTAKE_CHECKS": "false"}
            key = make_key(env)
            service, base = start_service(env)
            try:
                for clients in levels:
                    data = payloads(args.requests, args.size_kib * 1024)
                    up, down = service_runs(base, key, data, clients)
                    if store == "local":
                        raw_up, raw_down = raw_local_runs(work / f"raw-{clients}", data, clients)
                    else:
                        raw_up, raw_down = raw_s3_runs(endpoint, data, clients)
                    for op, svc, raw in (("upload", up, raw_up), ("fetch", down, raw_down)):
                        rows.append([store, op, clients, svc.rps, svc.mbps, svc.p50, svc.pct(0.99),
                                     raw.rps, raw.p50, raw.pct(0.99), svc.rps / raw.rps if raw.rps else 0])
            finally:
                service.terminate()
                service.wait()
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if moto:
            moto.terminate()
    print(f"archive benchmark: {args.requests} objects of {args.size_kib} KiB per row, "
          f"{os.cpu_count()} CPUs, service = uvicorn 1 process + SQLite catalog")
    print(table(["store", "op", "clients", "req/s", "MB/s", "p50 ms", "p99 ms",
                 "raw req/s", "raw p50 ms", "raw p99 ms", "svc/raw"], rows))
    print()
    print_checks(args.checks_requests, stores)
    return 0


if __name__ == "__main__":
    sys.exit(main())
