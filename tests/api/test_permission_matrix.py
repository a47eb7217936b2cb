"""Issue 16 Done-when: every operation of /openapi.json x every kind of caller -> the expected status.

The matrix below is the specification, one row per operation, one column per caller. A new route
fails this test until its row is added. Every 200 of an operation marked ``owner`` (it returns an
owner's data) must leave a row in the archive's access log.

Callers: no key, a malformed key, an expired, a revoked key, a clerk (centre ``wz-lucheng``, who
opened the case), a clerk of another centre (``wz-ouhai``: the case answers 404 like an unknown
one), an approver (``wz-lucheng``), a system key in scope (with case and purpose), a system key out
of scope (with case and purpose), a system key in scope without purpose, a courier, an applicant
(bound to the owner of the document, the case and the licence: their own licences and access log
only), an admin (no centre: every case).

"Returns an owner's data": a JSON answer naming the owner's code, or any other body (file bytes).

Path parameters name real things (a document, a licence, an OCR job, a case); bodies are ``{}``,
so a caller who may act gets 422 and one who may not gets 401/403 before the body is looked at.
Set ``ONCEONLY_PRINT_MATRIX=1`` to print the observed matrix in this format.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest

CALLERS = ("none", "bad", "expired", "revoked", "clerk", "clerk_b", "approver", "sys_in", "sys_out", "sys_nop",
           "courier", "applicant", "admin")

# operation                                                   non bad exp rev clk clB apr sIn sOu sNP cou apl adm  owner's data?
MATRIX = """
GET    /api/v1/access-log                                     401 401 401 401 200 404 200 403 403 403 403 200 200  owner
GET    /api/v1/me                                             401 401 401 401 200 200 200 200 200 200 200 200 200
POST   /api/v1/cases                                          401 401 401 401 422 422 403 403 403 403 403 403 422
GET    /api/v1/cases                                          401 401 401 401 200 200 200 403 403 403 403 403 200  owner
GET    /api/v1/cases/overdue                                  401 401 401 401 200 200 200 403 403 403 403 403 200  owner
GET    /api/v1/cases/{case_id}                                401 401 401 401 200 404 200 403 403 403 403 403 200  owner
POST   /api/v1/cases/{case_id}/documents                      401 401 401 401 422 404 403 403 403 403 403 403 422
POST   /api/v1/cases/{case_id}/materials/{material_id}        401 401 401 401 422 404 403 403 403 403 403 403 422
POST   /api/v1/cases/{case_id}/materials/{material_id}/reject 401 401 401 401 422 404 403 403 403 403 403 403 422
POST   /api/v1/cases/{case_id}/visits                         401 401 401 401 200 404 403 403 403 403 403 403 200  owner
POST   /api/v1/cases/{case_id}/reuse                          401 401 401 401 200 404 403 403 403 403 403 403 200  owner
GET    /api/v1/cases/{case_id}/form                           401 401 401 401 200 404 200 403 403 403 403 403 200  owner
PUT    /api/v1/cases/{case_id}/form                           401 401 401 401 422 404 403 403 403 403 403 403 422
POST   /api/v1/cases/{case_id}/form/{field}/resolve           401 401 401 401 422 404 403 403 403 403 403 403 422
POST   /api/v1/cases/{case_id}/accept                         401 401 401 401 409 404 403 403 403 403 403 403 409
POST   /api/v1/cases/{case_id}/accept-with-deficiency         401 401 401 401 409 404 403 403 403 403 403 403 409
POST   /api/v1/cases/{case_id}/notice                         401 401 401 401 200 404 403 403 403 403 403 403 200  owner
GET    /api/v1/cases/{case_id}/notices/{notice_id}/pdf        401 401 401 401 404 404 404 403 403 403 403 403 404
POST   /api/v1/cases/{case_id}/checks/override                401 401 401 401 403 403 422 403 403 403 403 403 422
POST   /api/v1/cases/{case_id}/approve                        401 401 401 401 403 403 409 403 403 403 403 403 409
POST   /api/v1/cases/{case_id}/reject                         401 401 401 401 403 403 409 403 403 403 403 403 409
POST   /api/v1/cases/{case_id}/withdraw                       401 401 401 401 200 404 403 403 403 403 403 403 409  owner
POST   /api/v1/cases/{case_id}/delivery                       401 401 401 401 422 404 403 403 403 403 403 403 422
GET    /api/v1/cases/{case_id}/delivery                       401 401 401 401 404 404 403 403 403 403 403 403 404
GET    /api/v1/parcels/returned                               401 401 401 401 200 200 403 403 403 403 403 403 200
GET    /api/v1/dispatch                                       401 401 401 401 200 200 403 403 403 403 200 403 200
GET    /api/v1/parcels                                        401 401 401 401 200 200 403 403 403 403 200 403 200
GET    /api/v1/parcels/{waybill}/label                        401 401 401 401 422 422 403 403 403 403 422 403 422
POST   /api/v1/parcels/{waybill}/scan                         401 401 401 401 403 403 403 403 403 403 422 403 422
GET    /api/v1/handover                                       200 200 200 200 200 200 200 200 200 200 200 200 200
POST   /api/v1/handover                                       422 422 422 422 422 422 422 422 422 422 422 422 422
POST   /api/v1/handover/download                              422 422 422 422 422 422 422 422 422 422 422 422 422
POST   /api/v1/documents                                      401 401 401 401 422 422 422 422 422 422 403 403 422
GET    /api/v1/documents                                      401 401 401 401 200 200 200 200 200 400 403 403 200  owner
GET    /api/v1/documents/search                               401 401 401 401 200 200 200 200 200 400 403 403 200  owner
GET    /api/v1/documents/{doc_id}/checks                      401 401 401 401 200 200 200 200 404 400 403 403 200  owner
GET    /api/v1/documents/{doc_id}/pages/{page}                401 401 401 401 200 200 200 200 404 400 403 403 200  owner
GET    /api/v1/documents/{doc_id}                             401 401 401 401 200 200 200 200 404 400 403 403 200  owner
GET    /api/v1/documents/{doc_id}/content                     401 401 401 401 200 200 200 200 404 400 403 403 200  owner
GET    /healthz                                               200 200 200 200 200 200 200 200 200 200 200 200 200
GET    /readyz                                                200 200 200 200 200 200 200 200 200 200 200 200 200
GET    /metrics                                               200 200 200 200 200 200 200 200 200 200 200 200 200
GET    /api/v1/jobs/{job_id}                                  401 401 401 401 200 200 200 200 404 400 403 403 200  owner
GET    /api/v1/licences/types                                 200 200 200 200 200 200 200 200 200 200 200 200 200
GET    /api/v1/licences/types/{template_id}/example           200 200 200 200 200 200 200 200 200 200 200 200 200
POST   /api/v1/licences                                       401 401 401 401 403 403 422 403 403 403 403 403 422
GET    /api/v1/licences                                       401 401 401 401 200 200 200 200 200 400 403 200 200  owner
GET    /api/v1/licences/draft                                 401 401 401 401 403 403 404 403 403 403 403 403 404
GET    /api/v1/licences/{identifier}                          401 401 401 401 200 200 200 200 404 400 403 200 200  owner
GET    /api/v1/licences/{identifier}/content                  401 401 401 401 200 200 200 200 404 400 403 200 200  owner
POST   /api/v1/licences/{identifier}/revoke                   401 401 401 401 403 403 422 403 403 403 403 403 422
POST   /api/v1/licences/{identifier}/supersede                401 401 401 401 403 403 422 403 403 403 403 403 422
GET    /api/v1/matters                                        401 401 401 401 200 200 200 200 200 200 200 200 200
GET    /api/v1/matters/{matter_id}                            401 401 401 401 200 200 200 200 200 200 200 200 200
GET    /api/v1/metrics                                        401 401 401 401 200 200 200 403 403 403 403 403 200
POST   /api/v1/metrics/import                                 401 401 401 401 422 422 422 403 403 403 403 403 422
GET    /api/v1/documents/{doc_id}/ocr                         401 401 401 401 200 200 200 200 404 400 403 403 200  owner
POST   /api/v1/verify                                         422 422 422 422 422 422 422 422 422 422 422 422 422
GET    /api/v1/verify/{identifier}                            200 200 200 200 200 200 200 200 200 200 200 200 200
GET    /verify                                                200 200 200 200 200 200 200 200 200 200 200 200 200
POST   /verify                                                422 422 422 422 422 422 422 422 422 422 422 422 422
GET    /verify/{identifier}                                   200 200 200 200 200 200 200 200 200 200 200 200 200
GET    /pki/{name}.crl                                        404 404 404 404 404 404 404 404 404 404 404 404 404
"""

USCC = "91350100M000100Y43"
READING = {"X-Case-Ref": "ZJ-2026-0042", "X-Purpose": quote("食品经营许可审查")}


def _table() -> dict[str, tuple[list[int], bool]]:
    rows: dict[str, tuple[list[int], bool]] = {}
    for line in MATRIX.strip().splitlines():
        parts = line.split()
        owner = parts[-1] == "owner"
        statuses = [int(p) for p in (parts[2:-1] if owner else parts[2:])]
        rows[f"{parts[0]} {parts[1]}"] = (statuses, owner)
    return rows


@pytest.fixture
def world(app_client, container, make_key, bearer, scan_png):  # type: ignore[no-untyped-def]
    keys = container.archive.keys
    expired_plain, expired = keys.create(name="old", role="clerk", expires_in_days=1)
    revoked_plain, revoked = keys.create(name="gone", role="clerk")
    keys.revoke(revoked.id)
    from sqlalchemy import update

    from archive.catalog.models import ApiKeyRow
    from datetime import datetime, timedelta, timezone
    with container.archive.sessions.begin() as session:
        session.execute(update(ApiKeyRow).where(ApiKeyRow.id == expired.id)
                        .values(expires_at=datetime.now(timezone.utc) - timedelta(days=1)))
    headers = {
        "none": {}, "bad": {"Authorization": "Bearer oo_nope_nope"}, "expired": bearer(expired_plain),
        "revoked": bearer(revoked_plain), "clerk": bearer(make_key("clerk", centre="wz-lucheng")),
        "clerk_b": bearer(make_key("clerk", centre="wz-ouhai")),
        "approver": bearer(make_key("approver", centre="wz-lucheng")),
        "sys_in": bearer(make_key("system", ["business_licence", "food_business"])) | READING,
        "sys_out": bearer(make_key("system", ["id_card"])) | READING,
        "sys_nop": bearer(make_key("system", ["business_licence", "food_business"])),
        "courier": bearer(make_key("courier")), "applicant": bearer(make_key("applicant", owner_code=USCC)),
        "admin": bearer(make_key("admin")),
    }
    doc = app_client.post("/api/v1/documents", headers=headers["clerk"],
                          files={"file": ("s.png", scan_png, "image/png")},
                          data={"owner_code": USCC, "doc_type": "business_licence"}).json()
    example = app_client.get("/api/v1/licences/types/food_business/example").json() | {"holder_code": USCC}
    licence = app_client.post("/api/v1/licences", headers=headers["approver"],
                              json={"type": "food_business", "data": example}).json()
    case = app_client.post("/api/v1/cases", headers=headers["clerk"],
                           json={"matter_id": "food-business-licence", "owner_code": USCC}).json()
    job = container.services.ocr_jobs.submit(doc["id"], scan_png, "image/png")
    values = {"doc_id": doc["id"], "identifier": licence["identifier"], "job_id": job, "case_id": case["id"],
              "matter_id": "food-business-licence", "template_id": "food_business", "material_id": "no-such-material",
              "notice_id": "no-such-notice", "waybill": "SF0000000000", "field": "no_such_field", "name": "no-such",
              "page": 1}
    query = {"owner_code": USCC, "holder_code": licence["holder"]["code"]}
    return headers, values, query, {doc["owner_code"], licence["holder"]["code"]}


def _call(client, method: str, path: str, headers: dict, values: dict, query: dict, op: dict):
    url = path.format(**{k: v for k, v in values.items() if "{" + k + "}" in path})
    params = {p["name"]: query.get(p["name"], "x") for p in op.get("parameters", [])
              if p["in"] == "query" and p.get("required")}
    params |= {k: v for k, v in query.items() if any(p["name"] == k for p in op.get("parameters", []))}
    kwargs = {"json": {}} if "requestBody" in op and "application/json" in op["requestBody"]["content"] else (
        {"data": {}} if "requestBody" in op else {})
    return client.request(method, url, headers=headers, params=params, **kwargs)


def test_every_operation_times_every_caller(app_client, container, world) -> None:
    headers, values, query, owners = world
    spec = app_client.get("/openapi.json").json()
    table = _table()
    observed: dict[str, list[int]] = {}
    audited_failures: list[str] = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            name = f"{method.upper()} {path}"
            row = []
            for caller in CALLERS:
                before = sum(len(container.archive.access.for_owner(o, limit=100000)) for o in owners)
                response = _call(app_client, method.upper(), path, headers[caller], values, query, op)
                row.append(response.status_code)
                assert response.status_code < 500, (name, caller, response.text[:300])
                json_body = response.headers.get("content-type", "").startswith("application/json")
                owner_data = not json_body or any(o in response.text for o in owners)
                if name in table and table[name][1] and response.status_code == 200 and owner_data:
                    after = sum(len(container.archive.access.for_owner(o, limit=100000)) for o in owners)
                    if after <= before:
                        audited_failures.append(f"{name} as {caller}")
            observed[name] = row
    if os.environ.get("ONCEONLY_PRINT_MATRIX"):
        for name, row in observed.items():
            method, path = name.split(" ", 1)
            print(f"{method:6} {path:54} " + " ".join(f"{s:>3}" for s in row)
                  + ("  owner" if table.get(name, ([], False))[1] else ""))
    assert set(observed) == set(table), f"rows missing or stale: {set(observed) ^ set(table)}"
    wrong = {name: (table[name][0], row) for name, row in observed.items() if row != table[name][0]}
    assert not wrong, "\n".join(f"{n}: expected {e}, got {g}" for n, (e, g) in wrong.items())
    assert not audited_failures, f"200s with an owner's data but no audit row: {audited_failures}"
