"""The SM2 half of the dev PKI: an SM2 root (also the seal maker) and an SM2 seal certificate per authority.

Layout, beside the RSA/EC files of ``certgen.pki.dev``::

    sm2/root.pem  sm2/root.key.pem             SM2 root CA (self-signed, SM2-with-SM3)
    sm2/seals/<code>.pem  sm2/seals/<code>.key.pem    seal certificate and key of each authority

Keys are PKCS#8 PEM (mode 0600, not encrypted: a development PKI). There are no SM2 CRLs yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509

from certgen.pki.sm2 import (
    Sm2PrivateKey, certificate_pem, certificate_public_key, load_certificate, make_certificate,
)


@dataclass(frozen=True)
class Sm2Seal:
    """One authority's SM2 seal key and certificate, and the root that issued it (the seal maker)."""

    key: Sm2PrivateKey
    cert: x509.Certificate
    root_key: Sm2PrivateKey
    root: x509.Certificate


def sm2_root_cert(directory: Path) -> Path:
    return Path(directory) / "sm2" / "root.pem"


def sm2_seal_cert(directory: Path, code: str) -> Path:
    return Path(directory) / "sm2" / "seals" / f"{code}.pem"


def _name(cn: str, org: str, org_id: str | None = None) -> x509.Name:
    values = {"country_name": "CN", "organization_name": org, "common_name": cn}
    if org_id:
        values["organization_identifier"] = org_id
    return x509.Name.build(values, use_printable=False)


def _write(path: Path, data: bytes, *, secret: bool = False) -> None:
    from certgen.pki.dev import _write as write  # one atomic writer for the whole PKI directory

    write(path, data, secret=secret)


def init_sm2_pki(directory: Path, authorities: tuple | list, *, days: int = 3650) -> None:
    """Create (or replace) the SM2 root and one SM2 seal certificate per authority."""
    base = Path(directory) / "sm2"
    root_key = Sm2PrivateKey.generate()
    root_name = _name("OnceOnly Dev SM2 Root CA 开发SM2根证书", "OnceOnly Dev PKI")
    root = make_certificate(subject=root_name, public=root_key.public, issuer=root_name, issuer_key=root_key,
                            ca=True, days=days + 365)
    _write(base / "root.key.pem", root_key.pkcs8_pem(), secret=True)
    for authority in authorities:
        add_sm2_seal(directory, authority.name, authority.code, root_key=root_key, root=root, days=days)
    _write(base / "root.pem", certificate_pem(root))  # written last: its presence means "complete"


def add_sm2_seal(directory: Path, name: str, code: str, *, root_key: Sm2PrivateKey, root: x509.Certificate,
                 days: int = 3650) -> None:
    key = Sm2PrivateKey.generate()
    cert = make_certificate(subject=_name(name, name, code), public=key.public,
                            issuer=root["tbs_certificate"]["subject"], issuer_key=root_key, ca=False, days=days,
                            issuer_public=certificate_public_key(root))
    base = Path(directory) / "sm2" / "seals"
    _write(base / f"{code}.key.pem", key.pkcs8_pem(), secret=True)
    _write(base / f"{code}.pem", certificate_pem(cert))


def ensure_sm2_pki(directory: Path, authorities: tuple | list) -> None:
    """Give a PKI made before SM2 existed its SM2 root, and every authority its SM2 seal."""
    if not sm2_root_cert(directory).exists():
        init_sm2_pki(directory, authorities)
        return
    for authority in authorities:
        if not sm2_seal_cert(directory, authority.code).exists():
            root_key = Sm2PrivateKey.from_pem((Path(directory) / "sm2" / "root.key.pem").read_bytes())
            add_sm2_seal(directory, authority.name, authority.code, root_key=root_key,
                         root=load_certificate(sm2_root_cert(directory).read_bytes()))


def load_sm2_seal(directory: Path, code: str) -> Sm2Seal:
    """The SM2 seal of authority ``code``; raises ``OSError``/``ValueError`` if it is missing or broken."""
    base = Path(directory) / "sm2"
    return Sm2Seal(
        key=Sm2PrivateKey.from_pem((base / "seals" / f"{code}.key.pem").read_bytes()),
        cert=load_certificate((base / "seals" / f"{code}.pem").read_bytes()),
        root_key=Sm2PrivateKey.from_pem((base / "root.key.pem").read_bytes()),
        root=load_certificate((base / "root.pem").read_bytes()),
    )
