"""Issue 16, items 1-3, 5, 7, 8: no reader without scope and purpose, dedupe per type, paging, purposes.

Every read of an owner's data by another agency's system states case and purpose, stays inside its
scopes, and leaves an access-log row; headers in any of the three encodings clients use are stored
as readable text.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest

USCC = "91350100M000100Y43"
PERSON = "11010519491231002X"
READING = {"X-Case-Ref": "ZJ-2026-0042", "X-Purpose": quote("食品经营许可审查")}


def upload(client, key: str, data: bytes, *, owner: str = USCC, doc_type: str = "business_licence",
           headers: dict | None = None):
    return client.post("/api/v1/documents", headers={"Authorization": f"Bearer {key}", **(headers or {})},
                       files={"file": ("scan.png", data, "application/octet-stream")},
                       data={"owner_code": owner, "doc_type": doc_type})


def _log(container, owner: str) -> list:
    return container.archive.access.for_owner(owner, limit=1000)


@pytest.fixture
def licence(app_client, make_key, bearer) -> dict:
    approver = bearer(make_key("approver"))
    data = app_client.get("/api/v1/licences/types/food_business/example").json()
    response = app_client.post("/api/v1/licences", headers=approver, json={"type": "food_business", "data": data})
    assert response.status_code == 201, response.text
    return response.json()


def test_system_keys_read_licences_only_in_scope_with_case_and_purpose(app_client, container, make_key, bearer,
                                                                       licence):
    holder = licence["holder"]["code"]
    scoped = bearer(make_key("system", ["food_business"], name="市场监管局"))
    other = bearer(make_key("system", ["business_licence"], name="税务局"))
    ident = licence["identifier"]
    for path in (f"/api/v1/licences/{ident}", f"/api/v1/licences/{ident}/content"):
        assert app_client.get(path, headers=scoped).json()["code"] == "purpose_required"
        assert app_client.get(path, headers=scoped | READING).status_code == 200
        out = app_client.get(path, headers=other | READING)
        unknown = app_client.get(path.replace(ident, "NO-SUCH-LICENCE"), headers=other | READING)
        assert out.status_code == unknown.status_code == 404 and out.json()["code"] == unknown.json()["code"]
    listing = app_client.get("/api/v1/licences", params={"holder_code": holder}, headers=other | READING)
    assert listing.status_code == 200 and listing.json() == []  # a business_licence key sees no food licences
    assert app_client.get("/api/v1/licences", headers=scoped | READING).status_code == 403  # not every holder
    assert app_client.get("/api/v1/licences", params={"holder_code": holder}, headers=scoped).status_code == 400
    mine = app_client.get("/api/v1/licences", params={"holder_code": holder}, headers=scoped | READING).json()
    assert [lic["identifier"] for lic in mine] == [ident]

    rows = [e for e in _log(container, holder) if e.actor_name == "市场监管局"]
    assert {e.action for e in rows} >= {"read_licence", "read_content", "list_licences"}
    assert all(e.purpose == "食品经营许可审查" and e.case_ref == "ZJ-2026-0042" for e in rows)


def test_system_keys_read_jobs_only_in_scope_with_purpose(app_client, container, make_key, bearer, scan_png):
    doc = upload(app_client, make_key("clerk"), scan_png).json()
    job_id = container.services.ocr_jobs.submit(doc["id"], scan_png, "image/png")
    scoped = bearer(make_key("system", ["business_licence"], name="审批系统"))
    other = bearer(make_key("system", ["id_card"]))
    assert app_client.get(f"/api/v1/jobs/{job_id}", headers=scoped).status_code == 400
    assert app_client.get(f"/api/v1/jobs/{job_id}", headers=scoped | READING).status_code == 200
    assert app_client.get(f"/api/v1/jobs/{job_id}", headers=other | READING).status_code == 404
    assert any(e.action == "read_job" and e.actor_name == "审批系统" for e in _log(container, USCC))


def test_listing_and_reading_the_access_log_are_audited(app_client, container, make_key, bearer, scan_png):
    clerk = make_key("clerk", name="窗口一")
    upload(app_client, clerk, scan_png)
    assert app_client.get("/api/v1/documents", params={"owner_code": USCC}, headers=bearer(clerk)).status_code == 200
    # the log of an owner with a case at the clerk's centre (without one: 404, and a denied row)
    assert app_client.get("/api/v1/access-log", params={"owner_code": USCC}, headers=bearer(clerk)).status_code == 404
    app_client.post("/api/v1/cases", headers=bearer(clerk), json={"matter_id": "food-business-licence", "owner_code": USCC})
    assert app_client.get("/api/v1/access-log", params={"owner_code": USCC}, headers=bearer(clerk)).status_code == 200
    actions = [e.action for e in _log(container, USCC) if e.actor_name == "窗口一"]
    assert "list" in actions and "read_access_log" in actions


def test_dedupe_is_per_owner_type_and_content_and_never_answers_out_of_scope(app_client, make_key, bearer,
                                                                              scan_png):
    card = upload(app_client, make_key("clerk"), scan_png, owner=PERSON, doc_type="id_card").json()
    system = make_key("system", ["business_licence"])
    same_bytes = upload(app_client, system, scan_png, owner=PERSON, doc_type="business_licence")
    assert same_bytes.status_code == 201, same_bytes.text
    body = same_bytes.json()
    assert body["id"] != card["id"] and body["doc_type"] == "business_licence"
    assert upload(app_client, system, scan_png, owner=PERSON, doc_type="business_licence").json()["id"] == body["id"]


@pytest.mark.parametrize("path", ["/api/v1/documents", "/api/v1/licences", "/api/v1/access-log", "/api/v1/cases"])
@pytest.mark.parametrize("offset", ["9223372036854775808", "-1", "99999999999"])
def test_a_huge_or_negative_offset_is_a_422_not_a_500(app_client, make_key, bearer, path, offset):
    got = app_client.get(path, params={"owner_code": USCC, "offset": offset}, headers=bearer(make_key("admin")))
    assert got.status_code == 422 and got.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("sent", [
    "食品经营许可审查".encode().decode("latin-1"),  # raw UTF-8 bytes on the wire
    quote("食品经营许可审查"),
    "UTF-8''" + quote("食品经营许可审查"),
])
def test_purposes_are_stored_as_readable_text_in_any_encoding(app_client, container, make_key, bearer, scan_png,
                                                               sent):
    doc = upload(app_client, make_key("clerk"), scan_png).json()
    system = bearer(make_key("system", ["business_licence"], name="读者"))
    got = app_client.get(f"/api/v1/documents/{doc['id']}", headers=system | {
        "X-Case-Ref": "ZJ-1", "X-Purpose": sent.encode("latin-1")})
    assert got.status_code == 200, got.text
    assert [e.purpose for e in _log(container, USCC) if e.actor_name == "读者"] == ["食品经营许可审查"]


def test_raw_bytes_that_are_not_utf8_are_refused_by_the_decoder():
    from api.headers import decode_header_text
    from intake.errors import UnreadableHeaderError

    # ASGI hands raw header bytes over as latin-1 characters (the test client re-encodes them)
    assert decode_header_text("食品".encode().decode("latin-1"), "X-Purpose") == "食品"
    with pytest.raises(UnreadableHeaderError):
        decode_header_text(b"\xff\xfe not utf-8".decode("latin-1"), "X-Purpose")


@pytest.mark.parametrize("bad", [b"%FF%FE", b"UTF-8''%C3%28", b"line%01break"])
def test_an_unreadable_purpose_is_refused(app_client, make_key, bearer, scan_png, bad):
    doc = upload(app_client, make_key("clerk"), scan_png).json()
    system = bearer(make_key("system", ["business_licence"]))
    got = app_client.get(f"/api/v1/documents/{doc['id']}", headers=system | {"X-Case-Ref": "ZJ-1", "X-Purpose": bad})
    assert got.status_code == 400 and got.json()["code"] == "unreadable_header"


def test_concurrent_uploads_with_one_idempotency_key_create_exactly_one(app_client, make_key, scan_png):
    clerk = make_key("clerk")
    for round_ in range(5):  # the race is timing-dependent: several rounds, new content and key each
        data, key = scan_png + bytes([round_]), f"key-{round_}"
        with ThreadPoolExecutor(20) as pool:
            responses = list(pool.map(lambda _: upload(app_client, clerk, data, headers={"Idempotency-Key": key}),
                                      range(20)))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200] * 19 + [201], [r.text for r in responses if r.status_code >= 500][:1]
        assert len({r.json()["id"] for r in responses}) == 1
    # the bytes are already archived: twenty requests race to remember one new key for them
    for round_ in range(3):
        key = f"late-key-{round_}"
        with ThreadPoolExecutor(20) as pool:
            responses = list(pool.map(lambda _: upload(app_client, clerk, scan_png + bytes([0]),
                                                       headers={"Idempotency-Key": key}), range(20)))
        assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses if r.status_code >= 500][:1]


def test_reading_ocr_fields_into_a_case_form_is_audited(app_client, container, make_key, bearer, scan_png):
    clerk = make_key("clerk", name="窗口二")
    doc = upload(app_client, clerk, scan_png).json()
    case = app_client.post("/api/v1/cases", headers=bearer(clerk),
                           json={"matter_id": "food-business-licence", "owner_code": USCC}).json()
    attached = app_client.post(f"/api/v1/cases/{case['id']}/documents", headers=bearer(clerk),
                               json={"doc_id": doc["id"]})
    assert attached.status_code in (200, 409, 422), attached.text
    rows = [e for e in _log(container, USCC) if e.action == "read_ocr"]
    assert rows and rows[0].case_ref == case["id"] and rows[0].document_id == doc["id"]
