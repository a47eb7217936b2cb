"""Delivery over HTTP: clerk, courier and applicant, each seeing only what they may."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from archive import Actor
from tests.archive.corpus import note_pdf

CLERK = Actor(name="王窗口", role="clerk")
APPROVER = Actor(name="李审批", role="approver")
PHONE = "13155551907"
ADDRESS = "浙江省温州市鹿城区五马街道解放街123号3幢501室"
DAY = "2026-11-23"


@pytest.fixture
def issued(container):
    """Open a case and move it to issued through the real case service."""
    from ocr.identifiers import uscc_check_char

    def make(state: str = "issued"):
        cases = container.delivery.cases
        body = "91330302MA2AB1C2D"
        case = cases.create(matter_id="food-business-licence", owner_code=body + uscc_check_char(body),
                            actor=CLERK, applicant_name="王小明", contact_phone=PHONE)
        for target in ("accepted", "approved", "issued"):
            case = cases.transition(case.id, target, APPROVER if target == "approved" else CLERK, "test")
            if target == state:
                break
        return case

    return make


@pytest.fixture
def keys(make_key, bearer):
    return {role: bearer(make_key(role)) for role in ("clerk", "courier", "admin", "system")}


def courier_delivery(client, keys, case_id):
    response = client.post(f"/api/v1/cases/{case_id}/delivery", headers=keys["clerk"], json={
        "method": "courier", "dispatch_date": DAY,
        "recipient": {"name": "王小明", "phone": PHONE, "address": ADDRESS},
    })
    assert response.status_code == 200, response.text
    return response.json()["parcels"][-1]["waybill"]


def test_courier_prints_the_days_labels_and_scans_the_parcel_delivered(app_client, keys, issued, container, tmp_path):
    case = issued()
    waybill = courier_delivery(app_client, keys, case.id)

    listing = app_client.get(f"/api/v1/dispatch?date={DAY}", headers=keys["courier"])
    assert listing.status_code == 200
    assert listing.json()["items"][0]["recipient"] == {"name": "王**", "phone": "131****1907",
                                                       "address": ADDRESS}
    assert PHONE not in listing.text and "王小明" not in listing.text

    pdf = app_client.get(f"/api/v1/dispatch?date={DAY}", headers=keys["courier"] | {"Accept": "application/pdf"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "dispatch.pdf"
    path.write_bytes(pdf.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+283\.46\d? x 425\.19\d? pts", info), info
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(path), str(tmp_path / "p")], check=True)
    decoded = subprocess.run(["zbarimg", "-q", *map(str, sorted(tmp_path.glob("p-*.png")))],
                             capture_output=True, text=True).stdout
    assert f"CODE-128:{waybill}" in decoded
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "131****1907" in text and PHONE not in text

    zpl = app_client.get(f"/api/v1/dispatch?date={DAY}&format=zpl&size=76x130", headers=keys["courier"])
    assert zpl.status_code == 200 and zpl.headers["content-type"].startswith("application/zpl")
    assert "^PW608" in zpl.text and f"^FD{waybill}^FS" in zpl.text and PHONE not in zpl.text

    scan = lambda event: app_client.post(f"/api/v1/parcels/{waybill}/scan", headers=keys["courier"],  # noqa: E731
                                         json={"event": event})
    first = scan("picked_up")
    assert first.status_code == 200 and first.json()["changed"] is True
    assert scan("picked_up").json()["changed"] is False
    done = scan("delivered")
    assert done.json()["parcel"]["state"] == "delivered" and PHONE not in done.text
    assert container.delivery.cases.get(case.id).state == "delivered"
    assert scan("returned").status_code == 409


def test_scanning_unknown_and_malformed_waybills(app_client, keys):
    unknown = app_client.post("/api/v1/parcels/EA999999995CN/scan", headers=keys["courier"], json={"event": "picked_up"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "parcel_not_found"
    bad = app_client.post("/api/v1/parcels/EA999999996CN/scan", headers=keys["courier"], json={"event": "picked_up"})
    assert bad.status_code == 422 and bad.json()["code"] == "waybill_check_digit"
    assert bad.json()["message_zh"] and bad.json()["message_en"]
    event = app_client.post("/api/v1/parcels/EA999999995CN/scan", headers=keys["courier"], json={"event": "lost"})
    assert event.status_code == 422


def test_a_courier_cannot_read_cases_documents_or_unmasked_phones(app_client, keys, issued, container):
    case = issued()
    courier_delivery(app_client, keys, case.id)
    doc_id = container.archive.ingest(note_pdf("notice"), owner_code=case.owner_code, owner_code_type="uscc",
                                      doc_type="licence", actor=CLERK).record.id
    courier = keys["courier"]
    forbidden = [
        app_client.get(f"/api/v1/cases/{case.id}/delivery", headers=courier),
        app_client.post(f"/api/v1/cases/{case.id}/delivery", headers=courier, json={"method": "pickup"}),
        app_client.get("/api/v1/parcels/returned", headers=courier),
        app_client.get(f"/api/v1/documents/{doc_id}", headers=courier),
        app_client.get(f"/api/v1/documents/{doc_id}/content", headers=courier),
        app_client.get(f"/api/v1/cases/{case.id}", headers=courier),
        app_client.get("/api/v1/cases", headers=courier),
    ]
    for response in forbidden:
        assert response.status_code == 403, (response.request.url, response.text)
        assert PHONE not in response.text
    # what a courier may see never holds the full phone number
    for url in (f"/api/v1/parcels?date={DAY}", f"/api/v1/dispatch?date={DAY}"):
        response = app_client.get(url, headers=courier)
        assert response.status_code == 200 and PHONE not in response.text and "131****1907" in response.text
    # the clerk does see it
    assert PHONE in app_client.get(f"/api/v1/cases/{case.id}/delivery", headers=keys["clerk"]).text
    assert app_client.post("/api/v1/parcels/EA999999995CN/scan", json={"event": "picked_up"}).status_code == 401


def test_bad_delivery_input_is_a_clear_422_and_changes_nothing(app_client, keys, issued):
    case = issued()
    response = app_client.post(f"/api/v1/cases/{case.id}/delivery", headers=keys["clerk"], json={
        "method": "courier", "recipient": {"name": "王小明", "phone": "call me", "address": "x"}})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input" and "recipient.phone" in body["fields"] and body["message_zh"]
    assert app_client.get(f"/api/v1/cases/{case.id}/delivery", headers=keys["clerk"]).status_code == 404
    assert app_client.post("/api/v1/cases/NOPE/delivery", headers=keys["clerk"],
                           json={"method": "pickup"}).status_code == 404


def test_applicant_downloads_the_licence_with_token_and_suffix(app_client, keys, issued, container, caplog):
    caplog.set_level("INFO")
    case = issued()
    pdf = note_pdf("signed licence")
    doc_id = container.archive.ingest(pdf, owner_code=case.owner_code, owner_code_type="uscc",
                                      doc_type="licence", actor=CLERK, case_ref=case.id).record.id
    made = app_client.post(f"/api/v1/cases/{case.id}/delivery", headers=keys["clerk"],
                           json={"method": "download", "document_ids": [doc_id]})
    assert made.status_code == 200, made.text
    link = made.json()["handover"]
    token = link["token"]
    assert link["url"].endswith(f"/api/v1/handover#{token}")  # the fragment never reaches the server
    assert dt.datetime.fromisoformat(link["expires_at"]) > dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=29)

    page = app_client.get("/api/v1/handover")
    assert page.status_code == 200 and "owner_suffix" in page.text and "location.hash" in page.text
    suffix = case.owner_code[-6:]
    listing = app_client.post("/api/v1/handover", data={"token": token, "owner_suffix": suffix})
    assert listing.status_code == 200 and listing.json()["documents"][0]["id"] == doc_id
    got = app_client.post("/api/v1/handover/download", data={"token": token, "owner_suffix": suffix})
    assert got.status_code == 200 and got.content == pdf
    assert got.headers["content-type"] == "application/pdf"
    assert token not in caplog.text, "hand-over tokens never reach the request log"
    assert "/api/v1/handover" in caplog.text
    log = container.archive.access.for_document(doc_id)
    assert [e.purpose for e in log].count("handover_download") == 1

    wrong = app_client.post("/api/v1/handover/download", data={"token": token, "owner_suffix": "000000"})
    unknown = app_client.post("/api/v1/handover/download", data={"token": "A" * 43, "owner_suffix": suffix})
    container.delivery.handover._clock = lambda: dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=31)
    expired = app_client.post("/api/v1/handover/download", data={"token": token, "owner_suffix": suffix})
    for response in (wrong, unknown, expired):
        assert response.status_code == 404
        body = response.json()
        assert (body["code"], body["message_en"], body["message_zh"]) == (
            "handover_not_found", wrong.json()["message_en"], wrong.json()["message_zh"])


def test_guessing_hand_over_tokens_is_rate_limited(app_client):
    codes = [app_client.post("/api/v1/handover/download", data={"token": f"{'B' * 40}{n:03d}", "owner_suffix": "123456"}
                             ).status_code for n in range(12)]
    assert codes[:10] == [404] * 10
    assert codes[10:] == [429, 429]
    limited = app_client.post("/api/v1/handover", data={"token": "C" * 43, "owner_suffix": "123456"})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert limited.json()["code"] == "handover_rate_limited" and limited.json()["message_zh"]


def test_the_link_serves_the_signed_e_licence_issued_for_the_case(app_client, keys, issued, container):
    """No document IDs given: the link serves what the licence service issued for the case."""
    import hashlib

    case = issued("approved")
    data = container.licences.example("food_business") | {"holder_code": case.owner_code}
    licence = container.licences.issue_for_case(case.id, "food_business", data, actor=APPROVER)
    container.delivery.cases.transition(case.id, "issued", CLERK, "licence signed")

    made = app_client.post(f"/api/v1/cases/{case.id}/delivery", headers=keys["clerk"], json={"method": "download"})
    assert made.status_code == 200, made.text
    assert made.json()["handover"]["document_ids"] == [licence.document_id]
    got = app_client.post("/api/v1/handover/download",
                          data={"token": made.json()["handover"]["token"], "owner_suffix": case.owner_code[-6:]})
    assert got.status_code == 200
    assert hashlib.sha256(got.content).hexdigest() == licence.sha256
    assert container.delivery.cases.get(case.id).state == "delivered"


def test_reprinting_one_label_and_an_empty_day(app_client, keys, issued):
    waybill = courier_delivery(app_client, keys, issued().id)
    courier = keys["courier"]
    pdf = app_client.get(f"/api/v1/parcels/{waybill}/label?size=76x130", headers=courier)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    zpl = app_client.get(f"/api/v1/parcels/{waybill}/label", headers=courier | {"Accept": "application/zpl"})
    assert zpl.status_code == 200 and f"^FD{waybill}^FS" in zpl.text
    assert app_client.get("/api/v1/parcels/EA999999995CN/label", headers=courier).status_code == 404
    assert app_client.get("/api/v1/parcels/EA999999996CN/label", headers=courier).status_code == 422
    empty = app_client.get("/api/v1/dispatch?date=2030-01-01&format=pdf", headers=courier)
    assert empty.status_code == 404 and empty.json()["message_zh"]
    assert app_client.get("/api/v1/dispatch?date=2030-01-01", headers=courier).json()["items"] == []
    assert app_client.get("/api/v1/dispatch?date=yesterday", headers=courier).status_code == 422
    assert app_client.get("/api/v1/dispatch?size=A4&format=pdf", headers=courier).status_code == 422
