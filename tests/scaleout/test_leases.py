"""Leases and the outbox in one process (SQLite and PostgreSQL): a replica's start never takes a
live replica's job, an expired lease is taken over, a job run twice leaves one result, and a broker
that is down when the upload commits only delays the job."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from archive import Actor
from intake.documents import Caller, DocumentService
from intake.jobs import leases
from intake.jobs.outbox import Dispatcher, add_job
from intake.jobs.runner import READERS, OcrRunner
from intake.jobs.tables import OcrJobRow
from intake.ocr_jobs import OcrJobs
from ocr import OcrConfig, Reader
from tests.scaleout.procs import free_port, scan

CLERK = Caller(Actor(name="王窗口", role="clerk", key_id="k-clerk"))
OWNER = "91330302MA2AB1C2D8"


def _document(the_archive, n: int) -> str:  # type: ignore[no-untyped-def]
    return the_archive.ingest(scan(n), owner_code=OWNER, owner_code_type="uscc", doc_type="lease_contract",
                              actor=CLERK.actor).record.id


def _row(engine, job_id: str) -> OcrJobRow:  # type: ignore[no-untyped-def]
    with sessionmaker(engine, expire_on_commit=False)() as session:
        return session.get(OcrJobRow, job_id)


def test_the_job_row_commits_with_the_document_or_not_at_all(engine, the_archive) -> None:  # type: ignore[no-untyped-def]
    jobs = OcrJobs(engine, the_archive, OcrConfig())
    documents = DocumentService(the_archive)
    documents.in_transaction.append(jobs.in_transaction)

    def broken(session, doc_id: str) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("the process fails inside the transaction")

    documents.in_transaction.append(broken)
    with pytest.raises(RuntimeError):
        documents.upload(scan(1), caller=CLERK, owner_code=OWNER, doc_type="lease_contract")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM archive_documents")).scalar() == 0
        assert connection.execute(sa.text("SELECT count(*) FROM intake_ocr_jobs")).scalar() == 0
    documents.in_transaction.remove(broken)
    record = documents.upload(scan(1), caller=CLERK, owner_code=OWNER, doc_type="lease_contract").record
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT doc_id, state FROM intake_ocr_jobs")).all()
    assert [tuple(r) for r in rows] == [(record.id, "queued")]


def test_start_leaves_a_live_replicas_running_job_alone_and_takes_over_an_expired_one(engine, the_archive) -> None:  # type: ignore[no-untyped-def]
    sessions = sessionmaker(engine, expire_on_commit=False)
    doc_id = _document(the_archive, 2)
    with sessions.begin() as session:
        job_id = add_job(session, doc_id)
    other = "another-host:4242:beef"
    assert leases.claim(sessions, job_id, other, 60)
    jobs = OcrJobs(engine, the_archive, OcrConfig(), lease_seconds=60)
    jobs.dispatcher.start()  # what start-up does, without loading models
    time.sleep(1.5)
    jobs.close()
    row = _row(engine, job_id)
    assert (row.state, row.lease_owner) == ("running", other)  # not re-queued, still the other's

    with sessions.begin() as session:
        session.get(OcrJobRow, job_id).lease_expires_at = leases.now() - timedelta(seconds=1)
    assert leases.reclaim(sessions) == [job_id]
    row = _row(engine, job_id)
    assert (row.state, row.lease_owner, row.published_at) == ("queued", None, None)  # back in the outbox
    assert not leases.finish(sessions, job_id, other, leases.JobState.DONE)  # the old holder cannot finish it


def test_a_job_run_twice_leaves_one_result(engine, the_archive) -> None:  # type: ignore[no-untyped-def]
    sessions = sessionmaker(engine, expire_on_commit=False)
    doc_id = _document(the_archive, 3)
    with sessions.begin() as session:
        job_id = add_job(session, doc_id)
    config = OcrConfig()
    reader = READERS.acquire(config, Reader)
    try:
        first = OcrRunner(sessions, the_archive, config, owner="w1:1:aa", lease_seconds=30)
        assert first.run(job_id, lambda: reader) == leases.JobState.DONE
        assert first.run(job_id, lambda: reader) is None  # a redelivered message for a done job: nothing
        with sessions.begin() as session:  # as if the first worker died after writing, before finishing
            row = session.get(OcrJobRow, job_id)
            row.state, row.lease_owner = "running", "w1:1:aa"
            row.lease_expires_at = leases.now() - timedelta(seconds=1)
        second = OcrRunner(sessions, the_archive, config, owner="w2:2:bb", lease_seconds=30)
        assert second.run(job_id, lambda: reader) == leases.JobState.DONE
    finally:
        READERS.release(config, Reader, reader)
    with engine.connect() as connection:
        count = connection.execute(sa.text(
            "SELECT count(*) FROM archive_derived WHERE document_id = :d AND kind = 'ocr'"), {"d": doc_id}).scalar()
    assert count == 1
    assert the_archive.get_derived(doc_id, "ocr")["job_id"] == job_id
    assert _row(engine, job_id).attempts == 2


@pytest.mark.queue
def test_a_broker_that_is_down_at_upload_only_delays_the_job(engine, the_archive) -> None:  # type: ignore[no-untyped-def]
    from intake.jobs.celery_app import CeleryQueue
    from tests.scaleout.test_scale_out import _broker_up

    amqp = "amqp://guest:guest@127.0.0.1:5672//"
    if not _broker_up(amqp):
        pytest.skip("RabbitMQ is not running")
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions.begin() as session:
        job_id = add_job(session, _document(the_archive, 4))
    down = Dispatcher(sessions, CeleryQueue(f"amqp://guest:guest@127.0.0.1:{free_port()}//"), owner="api:1:cc",
                      lease_seconds=30)
    with pytest.raises(Exception):
        down.publish_pending()
    assert _row(engine, job_id).published_at is None  # still in the outbox
    up = Dispatcher(sessions, CeleryQueue(amqp), owner="api:1:cc", lease_seconds=30)
    assert up.publish_pending() == 1
    assert _row(engine, job_id).published_at is not None
    assert up.publish_pending() == 0  # published once
