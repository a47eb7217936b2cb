"""An approver issues a licence as OFD with an SM2 seal; it verifies through the API and the CLI, by hash."""

from __future__ import annotations

import importlib.util
import json
import sys
import zipfile
import io
from pathlib import Path

import pytest

from api.cli import main

_spec = importlib.util.spec_from_file_location(
    "ofd_independent_licences", Path(__file__).resolve().parents[1] / "certgen" / "independent_ofd.py")
ofd_checks = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules[_spec.name] = ofd_checks
_spec.loader.exec_module(ofd_checks)  # type: ignore[union-attr]

PAGE = "Doc_0/Pages/Page_0/Content.xml"


def _content(app_client, approver, identifier: str) -> bytes:  # type: ignore[no-untyped-def]
    response = app_client.get(f"/api/v1/licences/{identifier}/content", headers=approver)
    assert response.status_code == 200 and response.headers["content-type"] == "application/ofd"
    assert response.headers["content-disposition"].endswith('.ofd"')
    return response.content


def _verify(app_client, data: bytes) -> dict:  # type: ignore[no-untyped-def]
    response = app_client.post("/api/v1/verify", content=data, headers={"content-type": "application/ofd"})
    assert response.status_code == 200, response.text
    return response.json()


def test_an_ofd_licence_is_issued_archived_and_verified(app_client, approver, issue, container, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    body = issue("food_drug_business", format="ofd")
    assert body["status"] == "valid"
    ofd = _content(app_client, approver, body["identifier"])
    assert hashlib.sha256(ofd).hexdigest() == body["sha256"]
    record = container.archive.lookup(body["document_id"])
    assert record.worm and record.media_type == "application/ofd"
    # openssl checks the SM2 signature over TBS_Sign and dataHash, independently of us
    assert ofd_checks.openssl_verify_seal(ofd, tmp_path).returncode == 0
    signature_xml = zipfile.ZipFile(io.BytesIO(ofd)).read(ofd_checks.SIGNATURE_XML)
    assert ofd_checks.openssl_sm3(signature_xml, tmp_path) == ofd_checks.seal_parts(ofd, tmp_path).data_hash
    verdict = _verify(app_client, ofd)
    assert verdict["verdict"] == "valid" and verdict["genuine"]
    assert verdict["claimed_identifier"] == body["identifier"]
    (sig,) = verdict["report"]["signatures"]
    assert sig["trusted"] and sig["intact"] and not sig["modified"] and sig["pades_level"] == "GB/T 38540 v4"
    multipart = app_client.post("/api/v1/verify", files={"file": ("x.ofd", ofd, "application/ofd")}).json()
    assert multipart["verdict"] == "valid"
    # one byte of the holder's name changed in the page: modified, and no longer the registry's file
    forged = ofd_checks.replace_member(ofd, PAGE, lambda b: b.replace("百姓".encode(), "伪造".encode()))
    verdict = _verify(app_client, forged)
    assert verdict["verdict"] == "modified" and not verdict["genuine"] and verdict["licence"] is None
    # revocation is the registry's: the untouched file now says revoked
    app_client.post(f"/api/v1/licences/{body['identifier']}/revoke", headers=approver, json={"reason": "测试吊销"})
    assert _verify(app_client, ofd)["verdict"] == "revoked"


def test_an_unknown_format_is_a_clear_422(issue) -> None:  # type: ignore[no-untyped-def]
    assert issue("food_business", format="docx", expect=422)["status"] == 422


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONCEONLY_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("ONCEONLY_DATABASE_URL", raising=False)
    return tmp_path


def test_the_cli_issues_and_verifies_an_ofd_licence(env: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["pki", "init"]) == 0
    assert "SM2 root" in capsys.readouterr().out and (env / "var").exists()
    assert main(["licence", "example", "--type", "food_business"]) == 0
    (env / "data.json").write_text(capsys.readouterr().out, encoding="utf-8")
    out = env / "licence.ofd"
    assert main(["licence", "issue", "--type", "food_business", "--data", str(env / "data.json"),
                 "--format", "ofd", "--out", str(out)]) == 0
    issued = json.loads(capsys.readouterr().out)
    assert zipfile.ZipFile(out).read("OFD.xml").find(b"http://www.ofdspec.org/2016") > 0
    assert main(["pki", "root", "--sm2", "--out", str(env / "sm2root.pem")]) == 0
    capsys.readouterr()
    signer = env / "signer.pem"
    (env / "signer.der").write_bytes(ofd_checks.seal_parts(out.read_bytes(), env).cert_der)
    signer.write_bytes(ofd_checks.run(["openssl", "x509", "-inform", "DER", "-in", str(env / "signer.der")]).stdout)
    chain = ofd_checks.run(["openssl", "verify", "-vfyopt", "distid:1234567812345678", "-CAfile",
                            str(env / "sm2root.pem"), str(signer)])
    assert chain.returncode == 0, chain.stderr
    assert main(["verify", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "valid" and report["licence"]["identifier"] == issued["identifier"]
    forged = env / "forged.ofd"
    forged.write_bytes(ofd_checks.replace_member(out.read_bytes(), PAGE, lambda b: b.replace(b"JY", b"JX", 1)))
    assert main(["verify", str(forged)]) == 1
    assert "modified" in capsys.readouterr().out
