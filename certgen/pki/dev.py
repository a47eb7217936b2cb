"""A development PKI on disk: root CA, issuing CA, a seal certificate per authority, a TSA, CRLs.

``init_dev_pki(directory, authorities)`` makes a fresh install able to issue signed licences with no
outside service; ``load_dev_pki(directory)`` reads it back. Production points at real keys, an
HSM and a real TSA by configuration instead; nothing else depends on this module.

Layout::

    root.pem  root.key.pem  issuing.pem  issuing.key.pem  tsa.pem  tsa.key.pem
    crl/root.crl  crl/issuing.crl            (DER; the verifier needs them: revocation is checked)
    seals/<code>.p12  seals/<code>.pem       (PKCS#12 with key + chain, and the certificate alone)
    sm2/...                                  (SM2 root and SM2 seals for OFD licences: certgen.pki.sm2_dev)
    pki.json                                 (manifest: authorities, file names)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from certgen.errors import PkiError

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class AuthoritySpec:
    """An issuing authority (发证机关) that gets its own seal certificate."""

    name: str
    code: str  # the authority's USCC (统一社会信用代码)


@dataclass(frozen=True)
class DevPki:
    """Paths of a dev PKI on disk."""

    directory: Path
    authorities: tuple[AuthoritySpec, ...]
    p12_password: bytes | None

    @property
    def root_cert(self) -> Path:
        return self.directory / "root.pem"

    @property
    def issuing_cert(self) -> Path:
        return self.directory / "issuing.pem"

    @property
    def tsa_cert(self) -> Path:
        return self.directory / "tsa.pem"

    @property
    def tsa_key(self) -> Path:
        return self.directory / "tsa.key.pem"

    @property
    def crls(self) -> tuple[Path, ...]:
        return (self.directory / "crl" / "root.crl", self.directory / "crl" / "issuing.crl")

    def seal_p12(self, code: str) -> Path:
        return self.directory / "seals" / f"{code}.p12"

    def seal_cert(self, code: str) -> Path:
        return self.directory / "seals" / f"{code}.pem"


def _key(kind: str) -> PrivateKey:
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(cn: str, org: str, org_id: str | None = None) -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    if org_id:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, org_id))
    return x509.Name(attrs)


def _cert(
    subject: x509.Name, key: PrivateKey, issuer: x509.Name, issuer_key: PrivateKey, *, ca: bool,
    days: int, crl_url: str | None, eku: x509.ObjectIdentifier | None = None,
    issuer_cert: x509.Certificate | None = None,
) -> x509.Certificate:
    now = datetime.now(timezone.utc) - timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=(1 if issuer_cert is None else 0) if ca else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key()), critical=False
        )
    if ca:
        usage = dict(key_cert_sign=True, crl_sign=True, digital_signature=False, content_commitment=False)
    else:
        usage = dict(key_cert_sign=False, crl_sign=False, digital_signature=True, content_commitment=eku is None)
    builder = builder.add_extension(
        x509.KeyUsage(key_encipherment=False, data_encipherment=False, key_agreement=False,
                      encipher_only=False, decipher_only=False, **usage),
        critical=True,
    )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([eku]), critical=True)
    if crl_url:
        builder = builder.add_extension(
            x509.CRLDistributionPoints([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None,
                reasons=None, crl_issuer=None)]),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _crl(issuer: x509.Certificate, key: PrivateKey, days: int) -> x509.CertificateRevocationList:
    now = datetime.now(timezone.utc) - timedelta(minutes=5)
    return (
        x509.CertificateRevocationListBuilder().issuer_name(issuer.subject)
        .last_update(now).next_update(now + timedelta(days=days))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _write(path: Path, data: bytes, *, secret: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if secret else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def init_dev_pki(
    directory: Path, authorities: list[AuthoritySpec] | tuple[AuthoritySpec, ...], *,
    crl_base_url: str = "http://127.0.0.1:8000/pki", p12_password: bytes | None = None,
    key_type: str = "rsa", days: int = 3650, crl_days: int = 365, overwrite: bool = False,
) -> DevPki:
    """Create the whole dev PKI in ``directory`` (refuses to overwrite unless asked)."""
    directory = Path(directory)
    if (directory / "pki.json").exists() and not overwrite:
        raise PkiError(f"a PKI already exists in {directory}", message_zh="该目录已存在证书体系")
    if not authorities:
        raise PkiError("at least one issuing authority is needed", message_zh="至少需要一个发证机关")
    root_key, issuing_key, tsa_key = _key(key_type), _key(key_type), _key(key_type)
    root_name = _name("OnceOnly Dev Root CA 开发根证书", "OnceOnly Dev PKI")
    root = _cert(root_name, root_key, root_name, root_key, ca=True, days=days + 365, crl_url=None)
    issuing_name = _name("OnceOnly Dev Issuing CA 开发签发证书", "OnceOnly Dev PKI")
    issuing = _cert(issuing_name, issuing_key, root_name, root_key, ca=True, days=days,
                    crl_url=f"{crl_base_url}/root.crl", issuer_cert=root)
    tsa = _cert(_name("OnceOnly Dev TSA 时间戳服务", "OnceOnly Dev PKI"), tsa_key, issuing_name, issuing_key,
                ca=False, days=days, crl_url=f"{crl_base_url}/issuing.crl",
                eku=ExtendedKeyUsageOID.TIME_STAMPING, issuer_cert=issuing)
    for name, cert in (("root", root), ("issuing", issuing), ("tsa", tsa)):
        _write(directory / f"{name}.pem", _pem(cert))
    for name, key in (("root", root_key), ("issuing", issuing_key), ("tsa", tsa_key)):
        _write(directory / f"{name}.key.pem", _key_pem(key), secret=True)
    _write(directory / "crl" / "root.crl", _crl(root, root_key, crl_days).public_bytes(serialization.Encoding.DER))
    _write(directory / "crl" / "issuing.crl",
           _crl(issuing, issuing_key, crl_days).public_bytes(serialization.Encoding.DER))
    encryption = (serialization.BestAvailableEncryption(p12_password) if p12_password
                  else serialization.NoEncryption())
    pki = DevPki(directory, tuple(authorities), p12_password)
    for authority in authorities:
        seal_key = _key(key_type)
        seal = _cert(_name(authority.name, authority.name, authority.code), seal_key, issuing_name, issuing_key,
                     ca=False, days=days, crl_url=f"{crl_base_url}/issuing.crl", issuer_cert=issuing)
        _write(pki.seal_cert(authority.code), _pem(seal))
        _write(pki.seal_p12(authority.code), pkcs12.serialize_key_and_certificates(
            authority.name.encode("utf-8"), seal_key, seal, [issuing, root], encryption), secret=True)
    from certgen.pki.sm2_dev import init_sm2_pki

    init_sm2_pki(directory, authorities, days=days)
    manifest = {
        "authorities": [{"name": a.name, "code": a.code} for a in authorities],
        "key_type": key_type, "created_at": datetime.now(timezone.utc).isoformat(),
    }
    _write(directory / "pki.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    return pki


def load_dev_pki(directory: Path, *, p12_password: bytes | None = None) -> DevPki:
    """Read the manifest of an existing dev PKI; raises ``PkiError`` if it is missing."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / "pki.json").read_text("utf-8"))
        authorities = tuple(AuthoritySpec(a["name"], a["code"]) for a in manifest["authorities"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PkiError(f"no usable PKI in {directory}: {exc}; run `onceonly pki init`") from exc
    return DevPki(directory, authorities, p12_password)


def refresh_crls(pki: DevPki, *, crl_days: int = 365) -> None:
    """Re-issue both CRLs (empty) so verifiers keep finding current revocation data."""
    for name in ("root", "issuing"):
        cert = x509.load_pem_x509_certificate((pki.directory / f"{name}.pem").read_bytes())
        key = serialization.load_pem_private_key((pki.directory / f"{name}.key.pem").read_bytes(), None)
        assert isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey))
        _write(pki.directory / "crl" / f"{name}.crl", _crl(cert, key, crl_days).public_bytes(serialization.Encoding.DER))
