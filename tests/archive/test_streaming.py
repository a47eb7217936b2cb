"""Large documents stream in both directions and are still verified byte for byte."""

from __future__ import annotations

import os

import pytest

import archive
from archive import Actor, IntegrityCheckError


@pytest.fixture
def big_archive(tmp_path, sqlite_url):
    engine = archive.make_engine(sqlite_url)
    archive.migrate(engine)
    yield archive.Archive(archive.LocalStore(tmp_path / "objects"), engine, max_upload_bytes=64 * 1024 * 1024)
    engine.dispose()


def test_a_large_scan_streams_back_in_chunks_and_verifies(big_archive):
    data = b"%PDF-1.7\n" + os.urandom(12 * 1024 * 1024)
    actor = Actor("clerk", "clerk")
    stored = big_archive.ingest(data, owner_code="91350100M000100Y43", owner_code_type="uscc",
                                doc_type="lease_contract", actor=actor).record
    record, chunks = big_archive.open(stored.id, actor=actor)
    sizes = [len(c) for c in chunks]
    assert sum(sizes) == len(data) and max(sizes) <= 1024 * 1024 and len(sizes) > 10
    assert big_archive.access.for_document(stored.id)[-1].result == "ok"


def test_a_large_object_altered_on_disk_fails_at_the_end_of_the_stream(big_archive):
    data = b"%PDF-1.7\n" + os.urandom(9 * 1024 * 1024)
    actor = Actor("clerk", "clerk")
    stored = big_archive.ingest(data, owner_code="91350100M000100Y43", owner_code_type="uscc",
                                doc_type="lease_contract", actor=actor).record
    path = big_archive.store.root / archive.object_key(stored.sha256)
    path.chmod(0o644)
    with open(path, "r+b") as handle:
        handle.seek(len(data) - 10)
        handle.write(b"XXXXXXXXXX")
    _, chunks = big_archive.open(stored.id, actor=actor)
    with pytest.raises(IntegrityCheckError):
        for _ in chunks:
            pass
    assert big_archive.access.for_document(stored.id)[-1].result == "integrity_error"


def test_large_content_is_served_streaming_with_length_and_etag(tmp_path, sqlite_url):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.container import build_container
    from api.settings import Settings

    # random bytes after %PDF- would be refused by the intake checks; this test is about streaming
    container = build_container(Settings(data_dir=tmp_path / "d", database_url=sqlite_url,
                                         max_upload_bytes=32 * 1024 * 1024, intake_checks=False))
    data = b"%PDF-1.7\n" + os.urandom(10 * 1024 * 1024)
    try:
        with TestClient(create_app(container=container)) as client:
            key, _ = container.archive.keys.create(name="c", role="clerk")
            auth = {"Authorization": f"Bearer {key}"}
            doc = client.post("/api/v1/documents", headers=auth, files={"file": ("big.pdf", data)},
                              data={"owner_code": "91350100M000100Y43", "doc_type": "lease_contract"}).json()
            with client.stream("GET", f"/api/v1/documents/{doc['id']}/content", headers=auth) as response:
                assert response.headers["content-length"] == str(len(data))
                assert response.headers["etag"] == f'"{doc["sha256"]}"'
                body = b"".join(response.iter_bytes())
            assert body == data
    finally:
        container.close()
