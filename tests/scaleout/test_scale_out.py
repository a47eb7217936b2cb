"""Two `onceonly serve` replicas and two `onceonly worker`s on one PostgreSQL database, one store
and a real broker (RabbitMQ, then Redis): a worker and a replica are killed -9 along the way, and
every scan still ends with exactly one OCR result, readable through the surviving replica."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
import sqlalchemy as sa

from tests.scaleout.procs import Processes, scan

pytestmark = [pytest.mark.queue, pytest.mark.postgres, pytest.mark.slow]

BROKERS = {
    "rabbitmq": os.environ.get("ONCEONLY_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//"),
    "redis": os.environ.get("ONCEONLY_TEST_REDIS_URL", "redis://127.0.0.1:6379/7"),
}


def _broker_up(url: str) -> bool:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
        return True
    except Exception:  # noqa: BLE001 - any failure means: not available here
        return False


@pytest.fixture(params=list(BROKERS))
def broker(request: pytest.FixtureRequest) -> str:
    url = BROKERS[request.param]
    if not _broker_up(url):
        pytest.skip(f"{request.param} is not running at {url}")
    return url


@pytest.fixture
def stack(tmp_path: Path, postgres_url: str, broker: str) -> Iterator[tuple[Processes, str, str]]:
    """A migrated database with a clerk's key; processes share it, the store folder and the broker."""
    from api.container import build_container
    from api.settings import Settings

    store = tmp_path / "shared-store"
    env = {"ONCEONLY_DATABASE_URL": postgres_url, "ONCEONLY_STORE_PATH": str(store),
           "ONCEONLY_QUEUE_URL": broker, "ONCEONLY_JOB_LEASE_SECONDS": "8"}
    setup = build_container(Settings(data_dir=tmp_path / "setup", database_url=postgres_url, store_path=store,
                                     ocr_on_upload=False))
    try:
        key, _ = setup.archive.keys.create(name="窗口-scale", role="clerk")
    finally:
        setup.close()
    processes = Processes(tmp_path, env)
    try:
        yield processes, key, postgres_url
    finally:
        processes.stop_all()


def _jobs(url: str) -> list[dict]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(sa.text(
                "SELECT id, doc_id, state, attempts, lease_owner FROM intake_ocr_jobs"))]
    finally:
        engine.dispose()


def _ocr_rows(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {doc: n for doc, n in connection.execute(sa.text(
                "SELECT document_id, count(*) FROM archive_derived WHERE kind = 'ocr' GROUP BY document_id"))}
    finally:
        engine.dispose()


def _wait_running_in(url: str, session_leader: int, timeout: float = 120) -> str:
    """A job running in a process of the given worker (its lease owner's pid is in that session)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for job in _jobs(url):
            if job["state"] == "running" and job["lease_owner"]:
                pid = int(job["lease_owner"].rsplit(":", 2)[1])
                try:
                    if os.getsid(pid) == session_leader:
                        return job["id"]
                except ProcessLookupError:
                    continue
        time.sleep(0.05)
    raise AssertionError("no job started on the worker to kill")


def test_replicas_and_workers_die_and_every_scan_gets_exactly_one_result(stack) -> None:  # type: ignore[no-untyped-def]
    processes, key, url = stack
    headers = {"Authorization": f"Bearer {key}"}
    replicas = [processes.serve("api-1"), processes.serve("api-2")]
    doomed = processes.worker("worker-1")
    processes.worker("worker-2")

    doc_ids = []
    for n in range(12):
        response = httpx.post(f"{replicas[n % 2]}/api/v1/documents", headers=headers, timeout=30,
                              files={"file": (f"scan-{n}.png", scan(n))},
                              data={"owner_code": "91330302MA2AB1C2D8", "doc_type": "lease_contract"})
        assert response.status_code == 201, response.text
        doc_ids.append(response.json()["id"])
    api_pids = {str(process.pid) for process in processes.running[:2]}

    killed_job = _wait_running_in(url, doomed.pid)
    processes.kill(doomed)  # kill -9 mid-job, with its forked pool process
    processes.worker("worker-3")
    processes.kill(next(p for p in processes.running[:1]))  # the first replica, kill -9
    survivor = replicas[1]

    deadline = time.monotonic() + 300
    pending = set(doc_ids)
    holders: set[str] = set()
    while pending and time.monotonic() < deadline:
        holders |= {job["lease_owner"].rsplit(":", 2)[1] for job in _jobs(url) if job["lease_owner"]}
        for doc_id in sorted(pending):
            response = httpx.get(f"{survivor}/api/v1/documents/{doc_id}/ocr", headers=headers, timeout=10)
            assert response.status_code in (200, 202), response.text
            if response.status_code == 200:
                pending.discard(doc_id)
        time.sleep(0.5)
    assert not pending, f"no OCR result through the surviving replica for {sorted(pending)}"

    assert holders and not holders & api_pids  # `onceonly serve` ran no OCR itself: only workers held jobs
    jobs = _jobs(url)
    assert sorted(job["doc_id"] for job in jobs) == sorted(doc_ids)  # one job per upload, no duplicates
    assert all(job["state"] == "done" for job in jobs), jobs
    assert _ocr_rows(url) == {doc_id: 1 for doc_id in doc_ids}
    rerun = next(job for job in jobs if job["id"] == killed_job)
    assert rerun["attempts"] >= 2  # the killed worker's job ran again elsewhere
    for doc_id in doc_ids:
        body = httpx.get(f"{survivor}/api/v1/documents/{doc_id}/ocr", headers=headers, timeout=10).json()
        assert body["job"]["state"] == "done" and body["result"]["job_id"] == body["job"]["id"]
