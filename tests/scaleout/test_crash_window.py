"""Killed between an upload's commit and its job: the job row was committed with the document, so
after a restart the job runs (embedded default, and on PostgreSQL with RabbitMQ and a worker)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
import sqlalchemy as sa

from intake.ocr_jobs import CRASH_AFTER_COMMIT
from tests.scaleout.procs import Processes, scan

AMQP = "amqp://guest:guest@127.0.0.1:5672//"
OWNER = "91330302MA2AB1C2D8"


@pytest.fixture(params=["embedded", pytest.param("rabbitmq", marks=[pytest.mark.queue, pytest.mark.postgres])])
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Processes, str, str, bool]]:
    from api.container import build_container
    from api.settings import Settings

    queued = request.param == "rabbitmq"
    if queued:
        from tests.scaleout.test_scale_out import _broker_up

        url = request.getfixturevalue("postgres_url")
        if not _broker_up(AMQP):
            pytest.skip("RabbitMQ is not running")
        env = {"ONCEONLY_DATABASE_URL": url, "ONCEONLY_STORE_PATH": str(tmp_path / "store"),
               "ONCEONLY_QUEUE_URL": AMQP}
    else:
        url = f"sqlite:///{tmp_path / 'api' / 'onceonly.db'}"
        env = {"ONCEONLY_STORE_PATH": str(tmp_path / "api" / "objects")}
    setup = build_container(Settings(data_dir=tmp_path / "api", database_url=url, ocr_on_upload=False,
                                     store_path=Path(env["ONCEONLY_STORE_PATH"])))
    try:
        key, _ = setup.archive.keys.create(name="窗口-crash", role="clerk")
    finally:
        setup.close()
    processes = Processes(tmp_path, {**env, "ONCEONLY_DATABASE_URL": url})
    try:
        yield processes, key, url, queued
    finally:
        processes.stop_all()


def _rows(url: str, sql: str) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(sql))]
    finally:
        engine.dispose()


def test_a_crash_right_after_the_commit_does_not_lose_the_job(deployment) -> None:  # type: ignore[no-untyped-def]
    processes, key, url, queued = deployment
    headers = {"Authorization": f"Bearer {key}"}
    data = scan(99)
    base = processes.serve("api", **{CRASH_AFTER_COMMIT: "1"})
    with pytest.raises(httpx.HTTPError):  # the process dies before it can answer
        httpx.post(f"{base}/api/v1/documents", headers=headers, timeout=30, files={"file": ("s.png", data)},
                   data={"owner_code": OWNER, "doc_type": "lease_contract"})
    crashed = processes.running[0]
    assert crashed.wait(10) == 137
    [(doc_id,)] = _rows(url, "SELECT id FROM archive_documents")
    assert _rows(url, "SELECT doc_id, state, published_at FROM intake_ocr_jobs") == [(doc_id, "queued", None)]

    base = processes.serve("api-again")  # same database and store, no crash hook
    if queued:
        processes.worker("worker")
    deadline = time.monotonic() + 180
    while True:
        response = httpx.get(f"{base}/api/v1/documents/{doc_id}/ocr", headers=headers, timeout=10)
        if response.status_code != 202 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert response.status_code == 200, response.text
    assert response.json()["job"]["state"] == "done"

    again = httpx.post(f"{base}/api/v1/documents", headers=headers, timeout=30, files={"file": ("s.png", data)},
                       data={"owner_code": OWNER, "doc_type": "lease_contract"})
    assert again.status_code == 200 and again.json()["id"] == doc_id  # created: false, same document
    assert _rows(url, "SELECT count(*) FROM intake_ocr_jobs") == [(1,)]  # and still its one job
