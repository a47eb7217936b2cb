"""The verification QR points at the server that issued it, and the public page is a page
(issue 11, defect 8): a clerk runs the service on port 8123 without ONCEONLY_PUBLIC_BASE_URL."""

from __future__ import annotations

from api.public_url import public_base_url
from archive import Actor


def test_the_base_url_follows_the_host_and_port_serve_listens_on() -> None:
    assert public_base_url(None, "127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert public_base_url("", "10.0.0.5", 8000) == "http://10.0.0.5:8000"
    assert public_base_url("https://zwfw.example.gov.cn/", "127.0.0.1", 8123) == "https://zwfw.example.gov.cn"
    assert public_base_url(None, "::1", 9000) == "http://[::1]:9000"
    assert not public_base_url(None, "0.0.0.0", 8123).startswith("http://0.0.0.0")


def test_a_licence_issued_on_port_8123_has_a_qr_for_port_8123(tmp_path, db_url, checks) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.container import build_container
    from api.settings import Settings

    settings = Settings(data_dir=tmp_path / "d", database_url=db_url, host="127.0.0.1", port=8123,
                        ocr_on_upload=False)
    assert settings.public_base_url is None
    container = build_container(settings)
    try:
        key, _ = container.archive.keys.create(name="a", role="approver", scopes=())
        with TestClient(create_app(container=container)) as client:
            data = client.get("/api/v1/licences/types/food_business/example").json()
            body = client.post("/api/v1/licences", headers={"Authorization": f"Bearer {key}"},
                               json={"type": "food_business", "data": data}).json()
            pdf = client.get(f"/api/v1/licences/{body['identifier']}/content",
                             headers={"Authorization": f"Bearer {key}"}).content
        path = tmp_path / "licence.pdf"
        path.write_bytes(pdf)
        assert checks.qr_texts(path, tmp_path) == [f"http://127.0.0.1:8123/verify/{body['identifier']}"]
    finally:
        container.close()


def test_anyone_uploads_a_pdf_on_the_public_page_and_sees_the_verdict(app_client, issue, container) -> None:  # type: ignore[no-untyped-def]
    form = app_client.get("/verify")
    assert form.status_code == 200 and form.headers["content-type"].startswith("text/html")
    assert 'enctype="multipart/form-data"' in form.text and 'type="file"' in form.text
    body = issue("food_business")
    pdf = container.archive.read(body["document_id"], actor=Actor(name="test", role="admin"), purpose="test")
    page = app_client.post("/verify", files={"file": ("licence.pdf", pdf, "application/pdf")})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'data-status="valid"' in page.text and "有效" in page.text and body["number"] in page.text

    junk = app_client.post("/verify", files={"file": ("x.pdf", b"not a pdf", "application/pdf")})
    assert junk.status_code == 422 and junk.headers["content-type"].startswith("text/html") and "核验失败" in junk.text


def test_an_unknown_or_malformed_identifier_gets_a_chinese_error_page(app_client) -> None:  # type: ignore[no-untyped-def]
    malformed = app_client.get("/verify/not-an-identifier")
    assert malformed.status_code == 422 and malformed.headers["content-type"].startswith("text/html")
    assert "证照标识格式有误" in malformed.text and "{" not in malformed.text.split("<body>")[1].split("<style>")[0]
    unknown = app_client.get("/verify/1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0")
    assert unknown.status_code == 404 and "未找到该电子证照" in unknown.text
    assert unknown.headers["content-type"].startswith("text/html")
