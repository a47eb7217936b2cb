"""Signing with a key inside a real SoftHSM2 token (PKCS#11), RSA and EC (raw ECDSA mechanism)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from certgen import KeyLoadError, Signer, TrustMaterial, open_pkcs11_signer, seal_image, sign_pdf, verify_pdf
from certgen.pki import AuthoritySpec, InProcessTimeStamper, TimestampAuthority, init_dev_pki

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN, PIN = "oo-test-token", "1234"
CODE = "11330302MB01234564"

pytestmark = [
    pytest.mark.hsm,
    pytest.mark.skipif(not (shutil.which("softhsm2-util") and Path(MODULE).exists()), reason="SoftHSM2 missing"),
]


def _import(pki, label: str, key_id: str, tmp: Path, env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    key, cert, _ = pkcs12.load_key_and_certificates(pki.seal_p12(CODE).read_bytes(), None)
    (tmp / f"{label}.key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (tmp / f"{label}.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    subprocess.run(["softhsm2-util", "--import", str(tmp / f"{label}.key.pem"), "--token", TOKEN,
                    "--label", label, "--id", key_id, "--pin", PIN], check=True, env=env, capture_output=True)
    subprocess.run(["pkcs11-tool", "--module", MODULE, "--token-label", TOKEN, "--login", "--pin", PIN,
                    "--write-object", str(tmp / f"{label}.der"), "--type", "cert", "--label", label,
                    "--id", key_id], check=True, env=env, capture_output=True)
    (tmp / f"{label}.key.pem").unlink()  # the key now lives only in the token


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A fresh SoftHSM2 token in a tmp dir holding an RSA and an EC seal key with their certificates."""
    tmp = tmp_path_factory.mktemp("softhsm")
    (tmp / "tokens").mkdir()
    conf = tmp / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read by the library when python-pkcs11 loads it
    env = dict(os.environ)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--so-pin", "5678",
                    "--pin", PIN], check=True, env=env, capture_output=True)
    rsa = init_dev_pki(tmp / "pki-rsa", [AuthoritySpec("温州市鹿城区市场监督管理局", CODE)])
    ec = init_dev_pki(tmp / "pki-ec", [AuthoritySpec("温州市鹿城区市场监督管理局", CODE)], key_type="ec")
    _import(rsa, "seal-rsa", "01", tmp, env)
    _import(ec, "seal-ec", "02", tmp, env)
    yield {"rsa": rsa, "ec": ec}
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_a_licence_is_signed_inside_the_token(kind, token, plain_pdf, tmp_path, checks) -> None:  # type: ignore[no-untyped-def]
    pki = token[kind]
    key = open_pkcs11_signer(MODULE, TOKEN, PIN, key_label=f"seal-{kind}", chain=(pki.issuing_cert, pki.root_cert))
    tsa = TimestampAuthority.from_files(pki.tsa_cert, pki.tsa_key, (pki.issuing_cert,))
    signer = Signer(key, level="B-T", timestamper=InProcessTimeStamper(tsa), seal=seal_image("温州市鹿城区市场监督管理局"),
                    serialize=True)
    signed = sign_pdf(plain_pdf, signer, seal_box=(400, 80, 520, 200))
    trust = TrustMaterial.from_files((pki.root_cert,), others=(pki.issuing_cert,), crls=pki.crls)
    report = verify_pdf(signed, trust)
    assert report.ok, report
    assert "温州市鹿城区市场监督管理局" in report.signatures[0].signer
    result = checks.openssl_verify(signed, pki.root_cert, tmp_path)
    assert result.returncode == 0, result.stderr


def test_an_unknown_token_label_is_a_clear_error(token) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyLoadError, match="no-such-token"):
        open_pkcs11_signer(MODULE, "no-such-token", PIN, key_label="seal-rsa")


def test_a_missing_key_label_is_a_clear_error(token) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyLoadError):
        open_pkcs11_signer(MODULE, TOKEN, PIN, key_label="not-there")


def test_the_licence_service_issues_with_the_hsm_key(token, tmp_path, checks) -> None:  # type: ignore[no-untyped-def]
    import archive
    import intake
    from archive import Actor
    from intake.licences import Authority, LicenceService, LicensingConfig, check_licence_pdf

    pki = token["rsa"]
    engine = archive.make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    archive.migrate(engine)
    intake.migrate(engine)
    config = LicensingConfig(
        templates_dir=Path(__file__).resolve().parents[2] / "templates" / "licences",
        authorities=(Authority(CODE, "温州市鹿城区市场监督管理局"),), verify_base_url="http://testserver",
        pki_dir=pki.directory, key_source="pkcs11", pkcs11_module=MODULE, pkcs11_token_label=TOKEN,
        pkcs11_pin=PIN, pkcs11_key_label="seal-rsa",
    )
    service = LicenceService(engine, archive.Archive(archive.LocalStore(tmp_path / "objects"), engine), config)
    actor = Actor("approver-1", "approver")
    lic = service.issue("drug_business", service.example("drug_business"), actor=actor)
    pdf = service.content(lic.identifier, actor=actor)
    assert check_licence_pdf(service, pdf).verdict == "valid"
    assert checks.openssl_verify(pdf, pki.root_cert, tmp_path).returncode == 0
    engine.dispose()
