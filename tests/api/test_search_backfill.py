"""Documents OCR'd before text search existed are found by their words once
``onceonly archive reindex-text`` has run; running it again changes nothing."""

from __future__ import annotations

import pytest

from api.cli import main
from tests.archive.corpus import png

USCC = "91330302MA2AB1C2D8"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, settings) -> None:  # type: ignore[no-untyped-def]
    """The CLI reads the same data folder and database as the app under test."""
    monkeypatch.setenv("ONCEONLY_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ONCEONLY_DATABASE_URL", settings.effective_database_url)


def test_old_documents_become_searchable_after_reindex(app_client, container, make_key, bearer, env, capsys) -> None:  # type: ignore[no-untyped-def]
    clerk = bearer(make_key("clerk"))
    doc = app_client.post("/api/v1/documents", headers=clerk, files={"file": ("lic.png", png(), "image/png")},
                          data={"owner_code": USCC, "doc_type": "business_licence"}).json()
    # as the OCR worker stored results before it stored text
    container.archive.put_derived(doc["id"], "ocr", {"doc_type": "business_licence", "fields": {}, "pages": [
        {"index": 0, "width": 100, "height": 100, "lines": [{"text": "营业执照", "box": [0, 0, 1, 1], "score": 0.9},
                                                            {"text": "温州仁心大药房有限公司", "box": [0, 2, 1, 3], "score": 0.9}]}]})

    def found(words: str) -> list[str]:
        answer = app_client.get("/api/v1/documents/search", headers=clerk, params={"text": words})
        assert answer.status_code == 200, answer.text
        return [d["id"] for d in answer.json()["items"]]

    assert found("仁心大药房") == []  # never OCR'd since: no text stored
    assert main(["archive", "reindex-text"]) == 0
    assert "1 document" in capsys.readouterr().out
    assert found("仁心大药房") == [doc["id"]]
    assert found("营业执照\n温州") == [doc["id"]]  # the lines in reading order
    assert main(["archive", "reindex-text"]) == 0
    assert "0 document" in capsys.readouterr().out  # already indexed: skipped
