"""The fetch-by-ID fast path (``api.fetch_path``) answers exactly as the framework's route does: same
status, body and headers for every outcome (ok, no key, bad key, unknown ID, a system key without
purpose, out of its scopes, with case and purpose), the same access-log rows, the same metrics label."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from api.app import create_app
from api.fetch_path import ContentFastPath

USCC = "91330302MA2AB1C2D8"
VOLATILE = {"date", "x-request-id"}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 48), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def framework_client(container):  # type: ignore[no-untyped-def]
    app = create_app(container=container)
    app.user_middleware = [m for m in app.user_middleware if m.cls is not ContentFastPath]
    with TestClient(app) as client:
        yield client


def test_the_fast_path_answers_as_the_route_does(app_client, framework_client, container, make_key, bearer) -> None:  # type: ignore[no-untyped-def]
    clerk = make_key("clerk")
    doc = app_client.post("/api/v1/documents", headers=bearer(clerk), files={"file": ("a.png", _png(), "image/png")},
                          data={"owner_code": USCC, "doc_type": "business_licence"}).json()
    in_scope = bearer(make_key("system", ["business_licence"], name="审批系统"))
    out_of_scope = bearer(make_key("system", ["id_card"], name="其他系统"))
    reading = {"X-Case-Ref": "ZJ-2026-7", "X-Purpose": quote("食品经营许可审查")}
    path = f"/api/v1/documents/{doc['id']}/content"
    cases = [
        (path, bearer(clerk)), (path, {}), (path, {"Authorization": "Bearer oo_nonsense"}),
        ("/api/v1/documents/unknown/content", bearer(clerk)), (path, in_scope), (path, in_scope | reading),
        (path, out_of_scope | reading), (path, in_scope | {"X-Case-Ref": "ZJ-1", "X-Purpose": "\x01"}),
    ]
    for url, headers in cases:
        before = len(container.archive.access.for_owner(USCC, limit=1000))
        fast, framework = app_client.get(url, headers=headers), framework_client.get(url, headers=headers)
        assert (fast.status_code, fast.content) == (framework.status_code, framework.content), (url, headers)
        strip = lambda r: {k: v for k, v in r.headers.items() if k not in VOLATILE}  # noqa: E731
        assert strip(fast) == strip(framework), (url, headers)
        assert "x-request-id" in fast.headers
        after = container.archive.access.for_owner(USCC, limit=1000)
        if len(after) != before:  # both audited the same way: two rows alike but for time and request id
            a, b = after[0], after[1]
            assert (a.action, a.result, a.key_id, a.case_ref, a.purpose, a.document_id) == \
                   (b.action, b.result, b.key_id, b.case_ref, b.purpose, b.document_id)
    ok = app_client.get(path, headers=bearer(clerk))
    assert ok.status_code == 200 and ok.content == _png()
    metrics = app_client.get("/metrics").text
    assert 'route="/api/v1/documents/{doc_id}/content",status="200"' in metrics


def test_other_methods_and_paths_still_reach_the_framework(app_client, make_key, bearer) -> None:  # type: ignore[no-untyped-def]
    clerk = bearer(make_key("clerk"))
    assert app_client.post("/api/v1/documents/x/content", headers=clerk).status_code == 405
    assert app_client.get("/api/v1/documents/x/content/more", headers=clerk).status_code == 404


def test_a_document_over_the_buffer_limit_is_streamed_and_audited_once(app_client, container, make_key, bearer,  # type: ignore[no-untyped-def]
                                                                       monkeypatch) -> None:
    import api.routes.documents as route

    clerk = bearer(make_key("clerk"))
    doc = app_client.post("/api/v1/documents", headers=clerk, files={"file": ("a.png", _png(), "image/png")},
                          data={"owner_code": USCC, "doc_type": "business_licence"}).json()
    monkeypatch.setattr(route, "BUFFER_LIMIT", 64)  # every document counts as large
    got = app_client.get(f"/api/v1/documents/{doc['id']}/content", headers=clerk)
    assert got.status_code == 200 and got.content == _png()
    assert got.headers["content-length"] == str(len(_png()))
    rows = [e for e in container.archive.access.for_document(doc["id"]) if e.action == "read_content"]
    assert [e.result for e in rows] == ["ok"]
