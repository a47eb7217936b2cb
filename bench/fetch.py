"""Fetch-by-ID benchmark: the API (auth + audit on) vs a bare static-file HTTP server, 1 and 2 processes.

    .venv/bin/python bench/fetch.py [--files 200] [--size-kib 256] [--clients 10,100] [--processes 1,2] [--seconds 8]

The same files (PNGs of random pixels, about 256 KiB each) are uploaded to the service (PostgreSQL catalog from
ONCEONLY_TEST_POSTGRES_URL — a fresh database, dropped after —, local store) and written to a folder
served by uvicorn + Starlette StaticFiles with the same number of processes on the same machine.
Load comes from wrk (C, event loop; `apt-get install wrk`), 2 threads, cycling through the IDs;
each service fetch authenticates a bearer key and writes its access-log row.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._support import free_port, fresh_database, table, wait_http  # noqa: E402

USCC = "91330302MA2AB1C2D8"
LUA = Path(__file__).with_name("fetch.lua")


def prepare(work: Path, url: str, files: int, size: int) -> tuple[str, Path, Path]:
    """Upload the files to the service's database and store; the same bytes into the static folder."""
    from api.container import build_container
    from api.settings import Settings
    from archive import Actor
    from intake.documents import Caller

    c = build_container(Settings(data_dir=work / "data", database_url=url, store_path=work / "store",
                                 ocr_on_upload=False))
    static = work / "static"
    static.mkdir()
    ids = []
    try:
        key, _ = c.archive.keys.create(name="bench-fetch", role="clerk")
        caller = Caller(Actor(name="bench", role="clerk", key_id="bench"))
        for _ in range(files):
            blob = _noise_png(size)
            doc_id = c.services.documents.upload(blob, caller=caller, owner_code=USCC,
                                                 doc_type="lease_contract").record.id
            (static / doc_id).write_bytes(blob)
            ids.append(doc_id)
    finally:
        c.close()
    (work / "ids.txt").write_text("\n".join(ids) + "\n")
    return key, static, work / "ids.txt"


def _noise_png(size: int) -> bytes:
    """A real PNG of random pixels (incompressible, so about ``size`` bytes) that passes the intake checks."""
    import io

    from PIL import Image

    side = max(16, int((size / 3) ** 0.5))
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def start(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def wait_listening(port: int, sockets: int, timeout: float) -> None:
    """Until ``sockets`` listening sockets are on ``port`` (one per `onceonly serve` process, on Linux)."""
    if not os.path.exists("/proc/net/tcp"):
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = set()
        for tcp in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(tcp).read_text().splitlines()[1:] if os.path.exists(tcp) else ():
                f = line.split()
                if int(f[1].rsplit(":", 1)[1], 16) == port and f[3] == "0A":
                    found.add(f[9])
        if len(found) >= sockets:
            return
        time.sleep(0.5)
    raise RuntimeError(f"{sockets} listening sockets on port {port} not within {timeout} s")


def wrk(base: str, ids: Path, prefix: str, suffix: str, auth: str, clients: int, seconds: int) -> tuple[float, float, float, int]:
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "10s",
                          "-s", str(LUA), base],
                         env={**os.environ, "BENCH_IDS": str(ids), "BENCH_PREFIX": prefix, "BENCH_SUFFIX": suffix,
                              "BENCH_AUTH": auth}, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return rps, pct("50"), pct("99"), failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--size-kib", type=int, default=256)
    parser.add_argument("--clients", default="10,100")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    pg = os.environ.get("ONCEONLY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    url, drop = fresh_database(pg)
    work = Path(tempfile.mkdtemp(prefix="bench-fetch-"))
    rows = []
    try:
        key, static, ids = prepare(work, url, args.files, args.size_kib * 1024)
        for procs in [int(p) for p in args.processes.split(",")]:
            api_port, static_port = free_port(), free_port()
            api = start([sys.executable, "-m", "api.cli", "serve", "--port", str(api_port), "--workers", str(procs)],
                        {"ONCEONLY_DATA_DIR": str(work / "data"), "ONCEONLY_DATABASE_URL": url,
                         "ONCEONLY_STORE_PATH": str(work / "store"), "ONCEONLY_OCR_ON_UPLOAD": "false",
                         "ONCEONLY_LOG_LEVEL": "WARNING"})
            bare = start([sys.executable, "-m", "uvicorn", "bench.static_app:app", "--port", str(static_port),
                          "--workers", str(procs), "--log-level", "warning", "--no-access-log"],
                         {"BENCH_STATIC_DIR": str(static)})
            try:
                wait_http(f"http://127.0.0.1:{api_port}/healthz", timeout=240)  # imports are slow on a loaded box
                wait_listening(api_port, procs, timeout=240)  # `serve` starts its later processes after the first
                time.sleep(10)  # the static server's processes up too (they import side by side)
                api_base, bare_base = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{static_port}"
                for clients in [int(c) for c in args.clients.split(",")]:
                    svc = wrk(api_base, ids, "/api/v1/documents/", "/content", f"Bearer {key}", clients, args.seconds)
                    raw = wrk(bare_base, ids, "/", "", "", clients, args.seconds)
                    rows.append([procs, clients, svc[0], svc[1], svc[2], svc[3], raw[0], raw[1], raw[2], svc[0] / raw[0]])
            finally:
                stop(api)
                stop(bare)
    finally:
        drop()
    print(f"fetch by ID: {args.files} files of {args.size_kib} KiB, {os.cpu_count()} CPUs, wrk 2 threads, "
          f"{args.seconds}s per cell; service = auth + audit + PostgreSQL catalog + local store")
    print(table(["processes", "clients", "api req/s", "api p50 ms", "api p99 ms", "api errors",
                 "static req/s", "static p50 ms", "static p99 ms", "api/static"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
