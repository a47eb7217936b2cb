"""``onceonly archive check`` re-runs the 四性检测: bit rot is flagged and never served as good.

A document whose stored bytes changed (or that no longer opens) answers 409 ``document_failed_check``
for its content, its ``/checks`` say ``failed``, and a case cannot take it as a material; temporary
files an interrupted write left in the store are listed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import archive
from api.cli import main
from tests.archive.corpus import jpeg, png

USCC = "91350100M000100Y43"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, settings) -> None:  # type: ignore[no-untyped-def]
    """The CLI reads the same data folder and database as the app under test."""
    monkeypatch.setenv("ONCEONLY_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ONCEONLY_DATABASE_URL", settings.effective_database_url)


def _upload(client, key: str, data: bytes) -> dict:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/documents", headers={"Authorization": f"Bearer {key}"},
                           files={"file": ("scan", data)},
                           data={"owner_code": USCC, "doc_type": "business_licence", "case_ref": "C-1"})
    assert response.status_code == 201, response.text
    return response.json()


def _rot(container, sha256: str) -> None:  # type: ignore[no-untyped-def]
    path = Path(container.settings.effective_store_path) / archive.object_key(sha256)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _licence_material(client, headers) -> dict:  # type: ignore[no-untyped-def]
    case = client.post("/api/v1/cases", headers=headers,
                       json={"matter_id": "food-business-licence", "owner_code": USCC}).json()
    return next(m for m in case["materials"] if "business_licence" in m["doc_types"])


def test_bit_rot_is_found_flagged_and_never_served(app_client, container, make_key, bearer, env, capsys) -> None:  # type: ignore[no-untyped-def]
    clerk = make_key("clerk")
    good, other = _upload(app_client, clerk, png()), _upload(app_client, clerk, jpeg())
    container.archive.put_derived(good["id"], "ocr", {"doc_type": "business_licence", "fields": {
        "营业期限": {"value": "长期", "raw": "长期", "confidence": 0.9, "page": 1, "box": [0, 0, 1, 1]}}})
    assert main(["archive", "check"]) == 0
    capsys.readouterr()
    before = _licence_material(app_client, bearer(clerk))
    assert (before["status"], before["doc_id"]) == ("reused", good["id"])  # 一证通办 while intact
    _rot(container, good["sha256"])
    store = Path(container.settings.effective_store_path)
    (store / "sha256" / ".incoming-crashed").write_bytes(b"half a scan")
    assert main(["archive", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    kinds = {(p["kind"], p["document_id"]) for p in report["problems"]}
    assert ("checksum_mismatch", good["id"]) in kinds
    assert ("leftover_temp_file", None) in kinds
    assert not any(doc_id == other["id"] for _, doc_id in kinds)

    content = app_client.get(f"/api/v1/documents/{good['id']}/content", headers=bearer(clerk))
    assert content.status_code == 409 and content.json()["code"] == "document_failed_check"
    assert "复检" in content.json()["message_zh"]
    checks = app_client.get(f"/api/v1/documents/{good['id']}/checks", headers=bearer(clerk)).json()
    assert checks["recheck"]["ok"] is False and checks["summary"]["state"] == "failed"
    assert checks["recheck"]["problem"]["kind"] == "checksum_mismatch"
    meta = app_client.get(f"/api/v1/documents/{good['id']}", headers=bearer(clerk)).json()
    assert meta["checks"]["state"] == "failed" and meta["checks"]["ok"] is False
    assert app_client.get(f"/api/v1/documents/{other['id']}/content", headers=bearer(clerk)).status_code == 200
    assert "failed_check" in [e.result for e in container.archive.access.for_document(good["id"])]

    after = _licence_material(app_client, bearer(clerk))
    assert after["doc_id"] != good["id"]  # a damaged document is never reused for a new case
    case = app_client.post("/api/v1/cases", headers=bearer(clerk),
                           json={"matter_id": "food-business-licence", "owner_code": USCC}).json()
    material = next(m for m in case["materials"] if "business_licence" in m["doc_types"])
    refused = app_client.post(f"/api/v1/cases/{case['id']}/materials/{material['material_id']}",
                              headers=bearer(clerk), json={"doc_id": good["id"]})
    assert refused.status_code == 409 and refused.json()["code"] == "document_failed_check"


def test_a_document_that_no_longer_opens_fails_the_recheck(tmp_path, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    """Stored before the checks existed (checks off), a truncated PNG is found by the re-check."""
    engine = archive.make_engine(sqlite_url)
    archive.migrate(engine)
    actor = archive.Actor("clerk", "clerk")
    unchecked = archive.Archive(archive.LocalStore(tmp_path / "o"), engine)
    doc = unchecked.ingest(png()[:400], owner_code=USCC, owner_code_type="uscc", doc_type="x", actor=actor).record
    fine = unchecked.ingest(png(), owner_code=USCC, owner_code_type="uscc", doc_type="x", actor=actor).record
    assert unchecked.get_derived(doc.id, archive.CHECKS_KIND) is None
    assert unchecked.failed_rechecks([doc.id, fine.id]) == set()  # not re-checked yet
    report = archive.check_archive(unchecked, recheck=archive.CheckLimits())
    assert [p.kind for p in report.problems] == ["unusable_object"]
    assert unchecked.failed_recheck(doc.id) and not unchecked.failed_recheck(fine.id)
    assert unchecked.failed_rechecks([doc.id, fine.id, "unknown"]) == {doc.id}  # the batch form
    unchecked.put_derived(fine.id, "ocr", {"doc_type": "x"})
    _, ocr, failed = unchecked.newest_with_derived(USCC, ["x"], 5, "ocr", ["x"])  # what reuse reads, in one query
    assert (ocr, failed) == ({fine.id: {"doc_type": "x"}}, {doc.id})
    assert unchecked.newest_with_derived(USCC, ["x"], 5, "ocr", [])[1:] == ({}, {doc.id})
    with pytest.raises(archive.DocumentFailedCheckError):
        unchecked.read(doc.id, actor=actor)
    engine.dispose()
