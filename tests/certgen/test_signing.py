"""PAdES signing and strict verification, each signed file also checked with openssl."""

from __future__ import annotations

import pytest

from certgen import SigningFailedError, TimestampUnavailableError, sign_pdf, verify_pdf
from certgen.signing import TrustMaterial

BOX = (400, 80, 520, 200)
AUTHORITY_CODE = "11330302MB01234564"  # the dev PKI's authority (conftest)


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_each_pades_level_verifies_strictly_and_with_openssl(level, make_signer, plain_pdf, trust, dev_pki,
                                                              tmp_path, checks):  # type: ignore[no-untyped-def]
    signed = sign_pdf(plain_pdf, make_signer(level), seal_box=BOX, reason="测试")
    report = verify_pdf(signed, trust)
    assert report.ok, report
    (sig,) = report.signatures
    assert sig.intact and sig.valid and sig.trusted and not sig.modified
    assert sig.pades_level == level
    assert (sig.timestamp is None) == (level == "B-B")
    result = checks.openssl_verify(signed, dev_pki.root_cert, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Verification successful" in result.stderr


def test_the_seal_is_visible_on_the_page(make_signer, plain_pdf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from PIL import Image

    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_pdf(plain_pdf, make_signer("B-B"), seal_box=BOX))
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(path), str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    height = image.height
    crop = image.crop((BOX[0], height - BOX[3], BOX[2], height - BOX[1]))
    pixels = crop.tobytes()
    red = sum(1 for i in range(0, len(pixels), 3) if pixels[i] > 150 and pixels[i + 1] < 90 and pixels[i + 2] < 90)
    assert red > 500  # a red seal is drawn in the box


def test_one_flipped_byte_makes_the_signature_invalid(make_signer, plain_pdf, trust, dev_pki, tmp_path, checks):  # type: ignore[no-untyped-def]
    tampered = checks.flip_byte(sign_pdf(plain_pdf, make_signer("B-T"), seal_box=BOX))
    report = verify_pdf(tampered, trust)
    assert not report.ok and not report.signatures[0].intact
    assert checks.openssl_verify(tampered, dev_pki.root_cert, tmp_path).returncode != 0


def test_an_incremental_update_swapping_the_page_is_reported_modified(make_signer, plain_pdf, trust, dev_pki,
                                                                      tmp_path, checks):  # type: ignore[no-untyped-def]
    forged = checks.swap_page_content(sign_pdf(plain_pdf, make_signer("B-T"), seal_box=BOX))
    (sig,) = verify_pdf(forged, trust).signatures
    # the signed bytes are untouched (openssl agrees) — yet the document shown is not what was signed
    assert sig.intact and sig.valid
    assert checks.openssl_verify(forged, dev_pki.root_cert, tmp_path).returncode == 0
    assert sig.modified and not sig.ok
    assert sig.modification not in ("NONE", "LTA_UPDATES")


def test_trust_needs_revocation_data_to_be_present(make_signer, plain_pdf, dev_pki) -> None:  # type: ignore[no-untyped-def]
    signed = sign_pdf(plain_pdf, make_signer("B-T"), seal_box=BOX)
    without_crls = TrustMaterial.from_files((dev_pki.root_cert,), others=(dev_pki.issuing_cert,))
    (sig,) = verify_pdf(signed, without_crls).signatures
    assert sig.intact and not sig.trusted and not sig.ok  # soft-fail would have said TRUSTED


def test_a_foreign_root_is_not_trusted(make_signer, plain_pdf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from certgen.pki import AuthoritySpec, init_dev_pki

    other = init_dev_pki(tmp_path / "other", [AuthoritySpec("别的机关", "11330300MB0654321A")])
    signed = sign_pdf(plain_pdf, make_signer("B-T"), seal_box=BOX)
    trust = TrustMaterial.from_files((other.root_cert,), others=(other.issuing_cert,), crls=other.crls)
    assert not verify_pdf(signed, trust).signatures[0].trusted


def test_tsa_failure_raises_and_returns_nothing(make_signer, plain_pdf, tsa) -> None:  # type: ignore[no-untyped-def]
    signer = make_signer("B-T")
    tsa.fail = True
    try:
        with pytest.raises(TimestampUnavailableError):
            sign_pdf(plain_pdf, signer, seal_box=BOX)
    finally:
        tsa.fail = False


def test_timestamps_from_a_tsa_on_loopback(seal_key, tsa_server, plain_pdf, trust, dev_pki, tmp_path, checks) -> None:  # type: ignore[no-untyped-def]
    from certgen import Signer

    signed = sign_pdf(plain_pdf, Signer(seal_key, level="B-T", tsa_url=tsa_server.url), field_name="Sig1")
    (sig,) = verify_pdf(signed, trust).signatures
    assert sig.ok and sig.timestamp is not None and sig.timestamp.trusted
    assert checks.openssl_verify(signed, dev_pki.root_cert, tmp_path, field="Sig1").returncode == 0


def test_a_dead_tsa_url_fails_cleanly(seal_key, plain_pdf) -> None:  # type: ignore[no-untyped-def]
    import socket

    from certgen import Signer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    signer = Signer(seal_key, level="B-T", tsa_url=f"http://127.0.0.1:{port}/tsa", tsa_timeout=2)
    with pytest.raises(SigningFailedError):
        sign_pdf(plain_pdf, signer)


def test_the_key_is_parsed_once_and_reused_across_threads(make_signer, plain_pdf, trust) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    signer = make_signer("B-T")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda i: sign_pdf(plain_pdf, signer, seal_box=BOX), range(8)))
    assert len({r for r in results}) == 8
    assert all(verify_pdf(r, trust).ok for r in results)


def test_garbage_is_not_a_pdf(make_signer, trust) -> None:  # type: ignore[no-untyped-def]
    from certgen import NotAPdfError

    with pytest.raises(NotAPdfError):
        sign_pdf(b"hello", make_signer("B-B"))
    with pytest.raises(NotAPdfError):
        verify_pdf(b"%PDF-1.7 nonsense", trust)


def test_wrong_p12_password_is_a_key_error(dev_pki) -> None:  # type: ignore[no-untyped-def]
    from certgen import KeyLoadError, load_key_file

    with pytest.raises(KeyLoadError):
        load_key_file(dev_pki.seal_p12("11330302MB01234564"), passphrase=b"wrong")


def test_a_too_small_cached_signature_size_is_measured_again(make_signer, plain_pdf, trust) -> None:  # type: ignore[no-untyped-def]
    signer = make_signer("B-T")
    signer._reserve["B-T"] = 1000  # e.g. a TSA that started to embed a longer chain
    signed = sign_pdf(plain_pdf, signer, seal_box=BOX)
    assert verify_pdf(signed, trust).ok and signer._reserve["B-T"] > 1000


def test_every_signature_names_the_seal_certificate_as_pyhanko_would(make_signer, plain_pdf, trust, dev_pki) -> None:  # type: ignore[no-untyped-def]
    """The signing-certificate-v2 attribute is encoded once per signer: each signature still carries
    exactly what pyHanko builds (RFC 5035: the SHA-256 of the seal certificate, its issuer and serial)."""
    import hashlib
    import io

    from asn1crypto import x509
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute

    _, cert, _ = pkcs12.load_key_and_certificates(dev_pki.seal_p12("11330302MB01234564").read_bytes(), None)
    der = cert.public_bytes(Encoding.DER)
    expected = simple_cms_attribute("signing_certificate_v2", as_signing_certificate_v2(x509.Certificate.load(der)))
    signer = make_signer("B-T")
    for _ in range(2):
        signed = sign_pdf(plain_pdf, signer, seal_box=BOX)
        assert verify_pdf(signed, trust).ok
        (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
        (attr,) = [a for a in embedded.signer_info["signed_attrs"] if a["type"].native == "signing_certificate_v2"]
        assert attr.dump(force=True) == expected.dump()
        assert attr["values"][0]["certs"][0]["cert_hash"].native == hashlib.sha256(der).digest()


def test_a_new_signers_first_signatures_side_by_side_all_succeed(dev_pki, make_signer, plain_pdf, trust) -> None:  # type: ignore[no-untyped-def]
    """Two requests were the first to use a worker's new signer at once; one failed with "signing
    failed: KeyError: 'organization_name'" (503). asn1crypto parses a certificate's names lazily, and a
    second thread could read the half-filled name of the first. A signer is built whole before use."""
    import sys
    import threading

    from certgen.signing import load_key_file

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: the race shows within a few rounds
    try:
        for _ in range(12):
            signer = make_signer("B-T", key=load_key_file(dev_pki.seal_p12(AUTHORITY_CODE)))  # nothing parsed yet
            start = threading.Barrier(6)
            failures: list[BaseException] = []

            def first() -> None:
                start.wait()
                try:
                    sign_pdf(plain_pdf, signer, seal_box=BOX)
                except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                    failures.append(exc)

            threads = [threading.Thread(target=first) for _ in range(6)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not failures, failures
    finally:
        sys.setswitchinterval(interval)
