"""An OFD licence (GB/T 33190) sealed with SM2 (GB/T 38540 v4): checked by openssl, easyofd and our verifier."""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

_spec = importlib.util.spec_from_file_location("ofd_independent", Path(__file__).with_name("independent_ofd.py"))
ofd_checks = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules[_spec.name] = ofd_checks  # dataclasses look their module up
_spec.loader.exec_module(ofd_checks)  # type: ignore[union-attr]

AUTHORITY = ("温州市鹿城区市场监督管理局", "11330302MB01234564")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "licences"
NS = {"ofd": "http://www.ofdspec.org/2016"}


def content_for(template_id: str):  # type: ignore[no-untyped-def]
    from certgen.licences import LicenceContent, Permit, TemplateSet, check_data, example_data

    template = TemplateSet.load(TEMPLATES).get(template_id)
    checked = check_data(template, example_data(template))
    permits = tuple(Permit(p.kind, template.permit_kind(p.kind).label, f"JY1330302{i:07d}", p.scope, None)
                    for i, p in enumerate(checked.permits))
    return LicenceContent(template, checked.values, "JY23303020000017",
                          "1.2.156.3005.2.11100000000013338W009.11330302MB01234564.2026000001.001.0",
                          AUTHORITY[0], AUTHORITY[1], date(2026, 12, 1), date(2026, 12, 1), None,
                          "http://127.0.0.1:8000/verify/1.2.156.3005.2.11100000000013338W009", permits=permits)


@pytest.fixture(scope="module")
def sealer(dev_pki):  # type: ignore[no-untyped-def]
    from certgen.ofd import SealMaker, make_sealer
    from certgen.pki.sm2_dev import load_sm2_seal
    from certgen.seal import seal_png

    seal = load_sm2_seal(dev_pki.directory, AUTHORITY[1])
    return make_sealer(seal.key, seal.cert, SealMaker(seal.root_key, seal.root), name=AUTHORITY[0],
                       picture_png=seal_png(AUTHORITY[0]), es_id=f"{AUTHORITY[1]}001")


@pytest.fixture(scope="module")
def sm2_trust(dev_pki):  # type: ignore[no-untyped-def]
    from certgen.ofd import Sm2Trust
    from certgen.pki.sm2_dev import sm2_root_cert

    return Sm2Trust.from_files((sm2_root_cert(dev_pki.directory),))


@pytest.fixture(scope="module")
def merged_ofd(sealer) -> bytes:  # type: ignore[no-untyped-def]
    from certgen.licences.ofd import render_licence_ofd

    return render_licence_ofd(content_for("food_drug_business"), sealer)


def test_the_package_has_the_ofd_structure_text_objects_an_embedded_font_and_the_metadata(merged_ofd) -> None:  # type: ignore[no-untyped-def]
    from fontTools.ttLib import TTFont

    package = zipfile.ZipFile(io.BytesIO(merged_ofd))
    assert package.testzip() is None
    names = set(package.namelist())
    assert {"OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml", "Doc_0/DocumentRes.xml",
            "Doc_0/Pages/Page_0/Content.xml", "Doc_0/Signs/Signatures.xml", "Doc_0/Signs/Sign_0/Signature.xml",
            "Doc_0/Signs/Sign_0/SignedValue.dat", "Doc_0/Attachs/Attachments.xml", "Doc_0/Attachs/licence.json"} <= names
    ofd = ET.fromstring(package.read("OFD.xml"))
    assert ofd.tag == "{http://www.ofdspec.org/2016}OFD"
    custom = {c.get("Name"): c.text for c in ofd.iterfind(".//ofd:DocInfo/ofd:CustomDatas/ofd:CustomData", NS)}
    assert custom["证照标识"].startswith("1.2.156.3005.2.") and custom["持证主体代码类型"] == "001"
    assert custom["颁发机构代码"] == AUTHORITY[1] and custom["证照编号"] == "JY23303020000017"
    # every field is text in a page, in the font embedded as a file of the package
    page = ET.fromstring(package.read("Doc_0/Pages/Page_0/Content.xml"))
    texts = [t.text for t in page.iterfind(".//ofd:TextObject/ofd:TextCode", NS)]
    example = json.loads(package.read("Doc_0/Attachs/licence.json"))
    for value in ("温州市鹿城区百姓健康超市有限公司", "91330302MA2AB3CD4J", "JY23303020000017", "陈静"):
        assert value in texts
    assert example["fields"]["holder_name"] == "温州市鹿城区百姓健康超市有限公司"
    assert page.find(".//ofd:ImageObject", NS) is not None  # the QR code
    res = ET.fromstring(package.read("Doc_0/PublicRes.xml"))
    font_file = res.find(".//ofd:Font/ofd:FontFile", NS).text
    font = TTFont(io.BytesIO(package.read(f"Doc_0/Res/{font_file}")))
    cmap = font.getBestCmap()
    used = {ch for text in texts for ch in text}
    assert all(ord(ch) in cmap for ch in used)
    assert font["maxp"].numGlyphs < 600  # a subset, not the 20 000-glyph face


def test_openssl_verifies_the_sm2_signature_and_recomputes_data_hash(merged_ofd, dev_pki, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = ofd_checks.openssl_verify_seal(merged_ofd, tmp_path)
    assert result.returncode == 0 and b"Signature Verified Successfully" in result.stdout, result.stderr
    parts = ofd_checks.seal_parts(merged_ofd, tmp_path)
    signature_xml = zipfile.ZipFile(io.BytesIO(merged_ofd)).read(ofd_checks.SIGNATURE_XML)
    assert ofd_checks.openssl_sm3(signature_xml, tmp_path) == parts.data_hash
    # Signature.xml names every file with its SM3 digest, as openssl computes it
    root = ET.fromstring(signature_xml)
    refs = root.find(".//ofd:References", NS)
    assert refs.get("CheckMethod") == "1.2.156.10197.1.401"
    package = zipfile.ZipFile(io.BytesIO(merged_ofd))
    page = "/Doc_0/Pages/Page_0/Content.xml"
    (ref,) = [r for r in refs if r.get("FileRef") == page]
    assert base64.b64decode(ref.find("ofd:CheckValue", NS).text) == ofd_checks.openssl_sm3(package.read(page[1:]), tmp_path)
    assert root.find(".//ofd:StampAnnot", NS).get("PageRef")
    # the signer's SM2 certificate chains to the SM2 root for openssl too
    (tmp_path / "signer.pem").write_bytes(subprocess.run(
        ["openssl", "x509", "-inform", "DER", "-in", str(tmp_path / "signer.der")], capture_output=True, check=True).stdout)
    text = subprocess.run(["openssl", "x509", "-in", str(tmp_path / "signer.pem"), "-noout", "-text"],
                          capture_output=True, text=True, check=True).stdout
    assert "SM2-with-SM3" in text and "ASN1 OID: SM2" in text
    # OpenSSL 3.0 wants the SM2 identifier spelled out to check a certificate's SM2 signature
    verify = subprocess.run(["openssl", "verify", "-vfyopt", "distid:1234567812345678", "-CAfile", str(dev_pki.directory / "sm2" / "root.pem"),
                             str(tmp_path / "signer.pem")], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr


def test_easyofd_renders_the_licence_with_the_holder_name_and_a_readable_qr(merged_ofd, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # easyofd writes font files into the working directory
    path = tmp_path / "licence.ofd"
    path.write_bytes(merged_ofd)
    pdf, png = ofd_checks.easyofd_render(path, tmp_path)
    text = ofd_checks.pdftotext(pdf)
    assert "温州市鹿城区百姓健康超市有限公司" in text and "食品药品经营许可证" in text
    assert ofd_checks.zbar(png) == [content_for("food_drug_business").verify_url]


def test_our_verifier_accepts_the_sealed_file(merged_ofd, sm2_trust) -> None:  # type: ignore[no-untyped-def]
    from certgen.ofd import verify_ofd

    report = verify_ofd(merged_ofd, sm2_trust)
    (sig,) = report.signatures
    assert report.ok and sig.intact and sig.valid and sig.trusted and not sig.modified, sig.problems
    assert AUTHORITY[0] in sig.signer and sig.pades_level == "GB/T 38540 v4"


def _changed_text(data: bytes) -> bytes:
    return data.replace("温州市鹿城区百姓健康超市有限公司".encode(), "温州市鹿城区伪造超市有限公司".encode())


@pytest.mark.parametrize("change", ["page", "attachment", "font", "added file"])
def test_a_change_to_any_protected_file_makes_the_file_modified(merged_ofd, sm2_trust, change) -> None:  # type: ignore[no-untyped-def]
    from certgen.ofd import verify_ofd

    if change == "page":
        tampered = ofd_checks.replace_member(merged_ofd, "Doc_0/Pages/Page_0/Content.xml", _changed_text)
    elif change == "attachment":
        tampered = ofd_checks.replace_member(merged_ofd, "Doc_0/Attachs/licence.json", _changed_text)
    elif change == "font":
        tampered = ofd_checks.replace_member(merged_ofd, "Doc_0/Res/font_1.ttf", lambda b: b[:-1] + bytes([b[-1] ^ 1]))
    else:
        tampered = ofd_checks.add_member(merged_ofd, "Doc_0/Pages/Page_1/Content.xml", b"<x/>")
    report = verify_ofd(tampered, sm2_trust)
    (sig,) = report.signatures
    assert not report.ok and sig.modified and sig.intact and sig.valid, sig.problems


def test_a_flipped_byte_in_the_zip_or_a_changed_signature_is_refused(merged_ofd, sm2_trust) -> None:  # type: ignore[no-untyped-def]
    from certgen.ofd import verify_ofd

    start = merged_ofd.index(b"Doc_0/Pages/Page_0/Content.xml") + 60
    flipped = bytearray(merged_ofd)
    flipped[start] ^= 0x01
    (sig,) = verify_ofd(bytes(flipped), sm2_trust).signatures
    assert sig.modified and not sig.ok
    forged = ofd_checks.replace_member(merged_ofd, ofd_checks.SIGNATURE_XML, lambda b: b.replace(b"Sign", b"Sign ", 1))
    (sig,) = verify_ofd(forged, sm2_trust).signatures
    assert not sig.intact and not sig.ok


def test_a_seal_from_another_root_is_not_trusted(merged_ofd, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from certgen.ofd import Sm2Trust, verify_ofd
    from certgen.pki import AuthoritySpec
    from certgen.pki.sm2_dev import init_sm2_pki, sm2_root_cert

    init_sm2_pki(tmp_path, [AuthoritySpec(*AUTHORITY)])
    (sig,) = verify_ofd(merged_ofd, Sm2Trust.from_files((sm2_root_cert(tmp_path),))).signatures
    assert sig.intact and sig.valid and not sig.trusted and not sig.ok


@pytest.mark.parametrize("data", [b"PK\x03\x04 not a zip", b"%PDF-1.7", b""])
def test_garbage_is_not_an_ofd(data: bytes, sm2_trust) -> None:  # type: ignore[no-untyped-def]
    from certgen.ofd import NotAnOfdError, verify_ofd

    with pytest.raises(NotAnOfdError):
        verify_ofd(data, sm2_trust)


def test_an_unsealed_package_has_no_signatures(sm2_trust) -> None:  # type: ignore[no-untyped-def]
    from certgen.licences.ofd import licence_document
    from certgen.ofd import verify_ofd, write_package

    files, _ = licence_document(content_for("food_business")).files()
    report = verify_ofd(write_package(files), sm2_trust)
    assert not report.signed and not report.ok


def test_sm2_signatures_interoperate_with_openssl_both_ways(tmp_path: Path) -> None:
    """A key openssl made and a signature openssl made are accepted; a changed message is not."""
    from certgen.pki.sm2 import Sm2PrivateKey

    key_path, message = tmp_path / "k.pem", tmp_path / "m.bin"
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out",
                    str(key_path)], check=True, capture_output=True)
    message.write_bytes("证照 licence".encode() * 500)
    signed = subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-digest", "sm3", "-pkeyopt",
                             "distid:1234567812345678", "-inkey", str(key_path), "-in", str(message)],
                            check=True, capture_output=True).stdout
    key = Sm2PrivateKey.from_pem(key_path.read_bytes())
    assert key.public.verify(message.read_bytes(), signed)
    assert not key.public.verify(message.read_bytes() + b"x", signed)
    assert ofd_checks.openssl_sm3(b"abc", tmp_path).hex() == \
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"  # GB/T 32905 example


def test_a_garbled_signed_value_gives_an_invalid_report_not_a_crash(merged_ofd, sm2_trust) -> None:  # type: ignore[no-untyped-def]
    from certgen.ofd import verify_ofd

    for garble in (lambda b: b[:100], lambda b: b"\x30\x03\x02\x01\x04", lambda b: b""):
        broken = ofd_checks.replace_member(merged_ofd, ofd_checks.SIGNED_VALUE, garble)
        (sig,) = verify_ofd(broken, sm2_trust).signatures
        assert not sig.ok and not sig.valid and sig.problems
