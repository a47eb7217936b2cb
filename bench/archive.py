"""Archive benchmark: upload and fetch through the HTTP service vs the raw store, side by side.

    .venv/bin/python bench/archive.py [--requests 200] [--size-kib 256] [--clients 1,10,100]

Starts the service (uvicorn, one process, SQLite catalog) on loopback against a local folder and
against moto's S3 server, and times the same objects put/got directly on the filesystem / with the
minio SDK. Prints req/s, MB/s and p50/p99 latency per store, operation and client count, and the
service-to-raw throughput ratio.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--size-kib", type=int, default=256)
    parser.add_argument("--clients", default="1,10,100")
    parser.add_argument("--stores", default="local,s3")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    rows = []
    moto, endpoint = start_moto() if "s3" in args.stores else (None, "")
    try:
        for store in args.stores.split(","):
            work = Path(tempfile.mkdtemp(prefix=f"bench-{store}-"))
            env = {"ONCEONLY_DATA_DIR": str(work / "data"), "ONCEONLY_STORE": store,
                   "ONCEONLY_S3_ENDPOINT": endpoint, "ONCEONLY_S3_BUCKET": f"svc-{os.urandom(4).hex()}",
                   "ONCEONLY_MAX_UPLOAD_BYTES": str(64 * 1024 * 1024)}
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
