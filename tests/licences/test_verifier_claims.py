"""The public verifier checks what it claims: document timestamps, encryption, foreign issuers, DSS updates.

Every file here is made in the test: a B-LTA licence with its document timestamp corrupted, an
encrypted copy (pikepdf), a PDF validly signed by a second CA this service does not trust (made
with ``cryptography``), and the issued licence after pyHanko added validation data to it.
"""

from __future__ import annotations

import io
import random
import subprocess
from pathlib import Path

import pikepdf
import pytest

from archive import Actor
from tests.licences.foreign import foreign_signed_pdf

ACTOR = Actor("approver-1", "approver")


def _post(client, pdf: bytes):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/verify", content=pdf, headers={"content-type": "application/pdf"})


@pytest.fixture
def lta(tmp_path, sqlite_url):  # type: ignore[no-untyped-def]
    """A service issuing B-LTA licences, its test client and one issued licence's bytes."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.container import build_container
    from api.settings import Settings

    container = build_container(Settings(data_dir=tmp_path / "d", database_url=sqlite_url,
                                         public_base_url="http://testserver", licence_pades_level="B-LTA"))
    service = container.licences
    lic = service.issue("medical_device_filing", service.example("medical_device_filing"), actor=ACTOR)
    pdf = service.content(lic.identifier, actor=ACTOR)
    try:
        with TestClient(create_app(container=container)) as client:
            yield client, container, pdf
    finally:
        container.close()


def _doc_ts_contents(pdf: bytes) -> tuple[int, int]:
    """(offset, length in hex digits) of the DER inside the document timestamp's /Contents <...>."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for field in doc.Root.AcroForm.Fields:
            value = field.get("/V")
            if value is not None and value.get("/Type") == "/DocTimeStamp":
                a, b, c, d = (int(x) for x in value.ByteRange)
                der = bytes(value.Contents)
                break
        else:
            raise AssertionError("no document timestamp")
    length = 2 + (2 + der[1] - 0x80 + int.from_bytes(der[2:2 + der[1] - 0x80], "big") - 2 if der[1] & 0x80 else der[1])
    return a + b + 1, length * 2  # just after '<'


def test_an_intact_b_lta_licence_proves_b_lta(lta) -> None:  # type: ignore[no-untyped-def]
    client, _, pdf = lta
    body = _post(client, pdf).json()
    assert body["verdict"] == "valid"
    assert body["report"]["signatures"][0]["pades_level"] == "B-LTA"
    [ts] = body["report"]["doc_timestamps"]
    assert ts["ok"] and ts["intact"] and ts["valid"] and ts["trusted"]


def test_a_corrupted_document_timestamp_does_not_verify_and_the_level_drops(lta) -> None:  # type: ignore[no-untyped-def]
    client, _, pdf = lta
    start, digits = _doc_ts_contents(pdf)
    data = bytearray(pdf)
    position = start + digits - 20  # inside the TSA's signature value at the end of the token
    data[position] = ord("0") if data[position] != ord("0") else ord("1")
    body = _post(client, bytes(data))
    assert body.status_code == 200, body.text
    result = body.json()
    assert result["verdict"] != "valid" and not result["genuine"] and not result["report"]["ok"]
    [ts] = result["report"]["doc_timestamps"]
    assert not ts["ok"] and ts["problems"]
    assert result["report"]["signatures"][0]["pades_level"] == "B-LT"  # what is still proven


def test_an_encrypted_pdf_is_answered_encrypted(lta, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client, _, pdf = lta
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.save(out, encryption=pikepdf.Encryption(owner="o", user="secret", R=6))
    response = _post(client, out.getvalue())
    assert response.status_code == 422 and response.json()["code"] == "encrypted"
    assert "加密" in response.json()["message_zh"]


def test_a_dss_only_update_still_verifies_as_the_issued_licence(tmp_path, sqlite_url, checks) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import add_validation_info

    from api.app import create_app
    from api.container import build_container
    from api.settings import Settings

    container = build_container(Settings(data_dir=tmp_path / "d", database_url=sqlite_url,
                                         public_base_url="http://testserver"))
    try:
        service = container.licences
        lic = service.issue("food_business", service.example("food_business"), actor=ACTOR)
        pdf = service.content(lic.identifier, actor=ACTOR)
        reader = PdfFileReader(io.BytesIO(pdf))
        out = add_validation_info(reader.embedded_signatures[0], service.signers.trust.context(), in_place=False)
        updated = out.getvalue()
        assert len(updated) > len(pdf) and updated.startswith(pdf)  # an incremental update, nothing else
        with TestClient(create_app(container=container)) as client:
            body = _post(client, updated).json()
        assert body["verdict"] == "valid" and body["genuine"] and body["matched_revision"]
        assert body["licence"]["identifier"] == lic.identifier and body["report"]["sha256"] != lic.sha256
        assert body["report"]["signatures"][0]["modification"] == "LTA_UPDATES"
    finally:
        container.close()


def test_a_valid_signature_by_a_foreign_issuer_is_not_called_invalid(app_client, tmp_path, scan_pdf) -> None:  # type: ignore[no-untyped-def]
    signed = foreign_signed_pdf(tmp_path, scan_pdf)
    (tmp_path / "foreign.pdf").write_bytes(signed)
    # an independent check: poppler says the signature itself is valid
    pdfsig = subprocess.run(["pdfsig", str(tmp_path / "foreign.pdf")], capture_output=True, text=True)
    assert "Signature is Valid" in pdfsig.stdout
    body = _post(app_client, signed).json()
    assert body["verdict"] == "foreign" and not body["genuine"]
    assert body["verdict_en"] == "valid signature, not issued by this service"
    assert "无效" not in body["verdict_zh"] and "不是本系统签发" in body["verdict_zh"]
    [sig] = body["report"]["signatures"]
    assert sig["intact"] and sig["valid"] and not sig["trusted"]


def test_a_foreign_signature_that_was_tampered_with_is_invalid(app_client, tmp_path, scan_pdf, checks) -> None:  # type: ignore[no-untyped-def]
    signed = foreign_signed_pdf(tmp_path, scan_pdf)
    body = _post(app_client, checks.flip_byte(signed)).json()
    assert body["verdict"] == "invalid"


def test_the_verifier_never_answers_500_on_damaged_licences(lta) -> None:  # type: ignore[no-untyped-def]
    client, _, pdf = lta
    rng = random.Random(12)
    variants = [pdf[:n] for n in (9, 100, len(pdf) // 3, len(pdf) // 2, len(pdf) - 40, len(pdf) - 1)]
    for _ in range(30):
        data = bytearray(pdf)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        variants.append(bytes(data))
    variants += [pdf.replace(b"/ByteRange", b"/ByteRangX", 1), pdf.replace(b"/Contents <", b"/Contents (", 1),
                 pdf.replace(b"/Type /Sig", b"/Type /Foo"), b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(5000)),
                 pdf.replace(b"/SubFilter", b"/SubFiltex")]
    statuses = []
    for variant in variants:
        response = _post(client, variant)
        statuses.append(response.status_code)
        assert response.status_code < 500, response.text
        if response.status_code == 200:
            assert response.json()["verdict"] in ("valid", "invalid", "modified", "foreign", "unknown", "unsigned")
    assert 200 in statuses and 422 in statuses


def test_signatures_are_validated_at_intake_and_the_result_kept(app_client, approver, clerk, issue, tmp_path,
                                                                scan_pdf) -> None:  # type: ignore[no-untyped-def]
    body = issue("food_business")
    ours = app_client.get(f"/api/v1/licences/{body['identifier']}/content", headers=approver).content
    theirs = foreign_signed_pdf(tmp_path, scan_pdf)
    results = {}
    for name, pdf in (("ours", ours), ("theirs", theirs)):
        doc = app_client.post("/api/v1/documents", headers=clerk, files={"file": (f"{name}.pdf", pdf)},
                              data={"owner_code": "91350100M000100Y43", "doc_type": "licence_copy",
                                    "case_ref": "C-9"}).json()
        results[name] = app_client.get(f"/api/v1/documents/{doc['id']}/checks", headers=clerk).json()
    assert results["ours"]["authenticity"]["signatures"] == 1
    assert results["ours"]["authenticity"]["validated"]["ok"] is True
    assert "signature_not_valid" not in results["ours"]["summary"]["flags"]
    foreign = results["theirs"]["authenticity"]["validated"]
    assert foreign["ok"] is False and not foreign["signatures"][0]["trusted"] and foreign["signatures"][0]["intact"]
    assert "signature_not_valid" in results["theirs"]["summary"]["flags"]
