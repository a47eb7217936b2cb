"""Faults an operator meets: the store goes down mid-upload, bytes change behind our back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.settings import Settings

USCC = "91350100M000100Y43"


def _upload(client, key, data, idem=None):
    headers = {"Authorization": f"Bearer {key}"} | ({"Idempotency-Key": idem} if idem else {})
    return client.post("/api/v1/documents", headers=headers, files={"file": ("s.png", data, "image/png")},
                       data={"owner_code": USCC, "doc_type": "business_licence"})


@pytest.mark.s3
def test_store_outage_leaves_no_row_and_the_retry_succeeds_once(tmp_path, db_url, moto_factory, scan_png):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.container import build_container

    server = moto_factory()  # not started yet: the store is down
    settings = Settings(data_dir=tmp_path / "d", database_url=db_url, store="s3", s3_endpoint=server.endpoint,
                        s3_bucket="outage-test", s3_timeout_seconds=1, s3_retries=0, retention_days=1)
    container = build_container(settings)
    try:
        with TestClient(create_app(container=container)) as client:
            key, _ = container.archive.keys.create(name="clerk", role="clerk")
            down = _upload(client, key, scan_png, idem="upload-7")
            assert down.status_code == 503 and down.json()["code"] == "store_unavailable"
            assert "稍后重试" in down.json()["message_zh"]
            assert container.archive.list(USCC) == []
            assert client.get("/readyz").status_code == 503

            server.start()
            retry = _upload(client, key, scan_png, idem="upload-7")
            assert retry.status_code == 201, retry.text
            again = _upload(client, key, scan_png, idem="upload-7")
            assert again.status_code == 200 and again.json()["id"] == retry.json()["id"]
            assert len(container.archive.list(USCC)) == 1
            fetched = client.get(f"/api/v1/documents/{retry.json()['id']}/content",
                                 headers={"Authorization": f"Bearer {key}"})
            assert fetched.content == scan_png
    finally:
        container.close()


def _object_path(settings: Settings, sha256: str) -> Path:
    return settings.effective_store_path / "sha256" / sha256[:2] / sha256[2:4] / sha256


def _check(settings: Settings) -> tuple[int, dict]:
    env = os.environ | {"ONCEONLY_DATA_DIR": str(settings.data_dir),
                        "ONCEONLY_DATABASE_URL": settings.effective_database_url}
    run = subprocess.run([sys.executable, "-m", "api.cli", "archive", "check", "--json"], env=env,
                         capture_output=True, text=True, timeout=120)
    return run.returncode, json.loads(run.stdout)


def test_altered_bytes_are_never_served_and_the_sweep_reports_them(app_client, container, make_key, scan_png):
    clerk = make_key("clerk")
    doc = _upload(app_client, clerk, scan_png).json()
    code, report = _check(container.settings)
    assert code == 0 and report["ok"] and report["documents_checked"] == 1

    path = _object_path(container.settings, doc["sha256"])
    path.chmod(0o644)
    tampered = bytearray(path.read_bytes())
    tampered[100] ^= 0xFF
    path.write_bytes(bytes(tampered))

    response = app_client.get(f"/api/v1/documents/{doc['id']}/content", headers={"Authorization": f"Bearer {clerk}"})
    assert response.status_code == 500 and response.json()["code"] == "integrity_error"
    assert bytes(tampered) != response.content
    log = container.archive.access.for_document(doc["id"])
    assert log[-1].result == "integrity_error"

    code, report = _check(container.settings)
    assert code == 1
    assert [p["kind"] for p in report["problems"]] == ["checksum_mismatch"]
    assert report["problems"][0]["document_id"] == doc["id"]


def test_sweep_reports_missing_and_orphaned_objects(app_client, container, make_key, scan_png, scan_pdf):
    clerk = make_key("clerk")
    doc = _upload(app_client, clerk, scan_png).json()
    _object_path(container.settings, doc["sha256"]).unlink()
    stray = container.settings.effective_store_path / "sha256" / "ff" / "ee" / ("ffee" + "0" * 60)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(scan_pdf)
    response = app_client.get(f"/api/v1/documents/{doc['id']}/content", headers={"Authorization": f"Bearer {clerk}"})
    assert response.status_code == 500 and response.json()["code"] == "object_missing"
    code, report = _check(container.settings)
    assert code == 1
    kinds = sorted(p["kind"] for p in report["problems"])
    assert kinds == ["missing_object", "orphaned_object"]
    # once the sweep recorded the failure, the document is refused up front as failed, not tried again
    response = app_client.get(f"/api/v1/documents/{doc['id']}/content", headers={"Authorization": f"Bearer {clerk}"})
    assert response.status_code == 409 and response.json()["code"] == "document_failed_check"
