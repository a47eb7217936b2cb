"""What several processes share is counted once: Prometheus metrics of two API processes add up
(multiprocess mode), and licence numbers issued by two processes at once on PostgreSQL never repeat."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.scaleout.procs import ROOT, free_port


def _healthz_count(text: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith("onceonly_http_requests_total{") and 'route="/healthz"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_of_two_api_processes_add_up(tmp_path: Path) -> None:
    metrics_dir = tmp_path / "prom"
    metrics_dir.mkdir()
    port = free_port()
    env = {"PYTHONPATH": str(ROOT), "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "ONCEONLY_DATA_DIR": str(tmp_path),
           "ONCEONLY_OCR_ON_UPLOAD": "false", "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        # new connections, so both processes answer some; /readyz answers as soon as the first worker
        # is up, so keep asking until the second one has answered too (at least 40 requests in all)
        sent, writers = 0, set()
        deadline = time.monotonic() + 90
        while (sent < 40 or len(writers) < 2) and time.monotonic() < deadline:
            with httpx.Client() as client:
                assert client.get(f"{base}/healthz").status_code == 200
            sent += 1
            writers = {re.sub(r"\D", "", p.name) for p in metrics_dir.iterdir()}
        assert len(writers) >= 2, writers  # two processes wrote values
        for _ in range(3):
            assert _healthz_count(httpx.get(f"{base}/metrics", timeout=5).text) == sent
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


ALLOCATE = """
import sys
from sqlalchemy import create_engine
from intake.licences import next_value
engine = create_engine(sys.argv[1])
sys.stdin.readline()  # both processes start together
print(" ".join(str(next_value(engine, "11330302MB01234564", "number:JY{seq}")) for _ in range(100)))
"""


@pytest.mark.postgres
def test_licence_numbers_from_two_processes_never_repeat(postgres_url: str) -> None:
    from sqlalchemy import create_engine

    import intake

    engine = create_engine(postgres_url)
    intake.migrate(engine)
    engine.dispose()
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-c", ALLOCATE, postgres_url], cwd=ROOT, env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(2)]
    time.sleep(2)  # both imported and connected-ready
    for proc in procs:
        proc.stdin.write("go\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
    values = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        values += [int(v) for v in out.split()]
    assert sorted(values) == list(range(1, 201))  # no repeats, no gaps, across processes
