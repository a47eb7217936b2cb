"""Page images for the desk: PDFs rendered with pypdfium2, images scaled; cached as derived data."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

USCC = "91350100M000100Y43"


def _pdf(pages: int) -> bytes:
    images = []
    for i in range(pages):
        image = Image.new("RGB", (400, 560), "white")
        ImageDraw.Draw(image).rectangle((40, 40 + 100 * i, 360, 120 + 100 * i), fill="black")
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return out.getvalue()


def test_pdf_pages_render_at_the_desk_sizes_and_are_cached(app_client, make_key, bearer, container):
    clerk = bearer(make_key("clerk"))
    doc = app_client.post("/api/v1/documents", headers=clerk, files={"file": ("b.pdf", _pdf(3), "application/pdf")},
                          data={"owner_code": USCC, "doc_type": "business_licence"}).json()
    second = app_client.get(f"/api/v1/documents/{doc['id']}/pages/2?width=1000", headers=clerk)
    assert second.status_code == 200 and second.headers["content-type"] == "image/png"
    assert second.headers["x-page-count"] == "3"
    image = Image.open(io.BytesIO(second.content))
    assert image.width == 1000
    # page 2 has its black box lower than page 1: the right page was rendered
    first = Image.open(io.BytesIO(app_client.get(f"/api/v1/documents/{doc['id']}/pages/1?width=1000", headers=clerk).content))
    y = int(image.height * 160 / 560)
    assert image.convert("L").getpixel((500, y)) < 60 and first.convert("L").getpixel((500, y)) > 200
    thumb = app_client.get(f"/api/v1/documents/{doc['id']}/pages/1?width=150", headers=clerk)
    assert Image.open(io.BytesIO(thumb.content)).width == 160  # snapped to the thumbnail size
    cached = container.archive.get_derived(doc["id"], "page-images")
    assert {"1@160", "1@1000", "2@1000"} <= set(cached)
    missing = app_client.get(f"/api/v1/documents/{doc['id']}/pages/4", headers=clerk)
    assert missing.status_code == 422 and missing.json()["message_zh"] == "文件没有第 4 页"


def test_page_images_need_a_reader_key(app_client, make_key, bearer, scan_png):
    clerk = bearer(make_key("clerk"))
    doc = app_client.post("/api/v1/documents", headers=clerk, files={"file": ("s.png", scan_png, "image/png")},
                          data={"owner_code": USCC, "doc_type": "business_licence"}).json()
    assert app_client.get(f"/api/v1/documents/{doc['id']}/pages/1").status_code == 401
    courier = bearer(make_key("courier"))
    assert app_client.get(f"/api/v1/documents/{doc['id']}/pages/1", headers=courier).status_code == 403
    ok = app_client.get(f"/api/v1/documents/{doc['id']}/pages/1", headers=clerk)
    assert ok.status_code == 200 and Image.open(io.BytesIO(ok.content)).width <= 160
