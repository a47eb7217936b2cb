"""The public verifier checks what it claims: document timestamps, encryption, foreign issuers, DSS updates.

Every file here is made in the test: a B-LTA licence with its document timestamp corrupted, an
encrypted copy (pikepdf), a PDF validly signed by a second CA this service does not trust (made
with ``cryptography``), and the issued licence after pyHanko added validation data to it.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import subprocess
from pathlib import Path

import pikepdf
import pytest

from archive import Actor

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


def _foreign_signed_pdf(tmp_path: Path, pdf: bytes) -> bytes:
    """``pdf`` signed by a fresh CA (cryptography) this service has never heard of, via pyHanko."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    now = dt.datetime.now(dt.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Elsewhere Licensing Root")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "某外省市场监督管理局")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .sign(ca_key, hashes.SHA256()))
    pem = lambda c: c.public_bytes(serialization.Encoding.PEM)  # noqa: E731
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                         serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    (tmp_path / "leaf.pem").write_bytes(pem(leaf))
    (tmp_path / "ca.pem").write_bytes(pem(ca))
    signer = signers.SimpleSigner.load(str(tmp_path / "key.pem"), str(tmp_path / "leaf.pem"),
                                       ca_chain_files=(str(tmp_path / "ca.pem"),))
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                           signers.PdfSignatureMetadata(field_name="Foreign"), signer=signer)
    return out.getvalue()


def test_a_valid_signature_by_a_foreign_issuer_is_not_called_invalid(app_client, tmp_path, scan_pdf) -> None:  # type: ignore[no-untyped-def]
    signed = _foreign_signed_pdf(tmp_path, scan_pdf)
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
    signed = _foreign_signed_pdf(tmp_path, scan_pdf)
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
