"""Administration of the dev PKI for the composition root and CLI (the api never calls certgen.pki itself)."""

from __future__ import annotations

import shutil

from certgen.pki import (
    AuthoritySpec, DevPki, PkiError, TimestampAuthority, TsaServer, init_dev_pki, load_dev_pki, refresh_crls, serve_tsa,
)
from intake.licences.config import LicensingConfig, ensure_dev_pki
from intake.licences.errors import LicenceNotFoundError


def create_pki(config: LicensingConfig, *, force: bool = False, key_type: str = "rsa") -> DevPki:
    """``onceonly pki init``: root CA, issuing CA, one seal certificate per authority, TSA, CRLs."""
    if force and config.pki_dir.exists():
        shutil.rmtree(config.pki_dir)
    return init_dev_pki(config.pki_dir, [AuthoritySpec(a.name, a.code) for a in config.authorities],
                        crl_base_url=config.crl_base_url, p12_password=config.key_password, key_type=key_type)


def trust_root_pem(config: LicensingConfig) -> bytes:
    """The root certificate verifiers need."""
    if config.trust_roots:
        return b"".join(p.read_bytes() for p in config.trust_roots)
    ensure_dev_pki(config)
    return load_dev_pki(config.pki_dir).root_cert.read_bytes()


def sm2_root_pem(config: LicensingConfig) -> bytes:
    """The SM2 root OFD verifiers need (seal maker and issuer of the SM2 seal certificates)."""
    from intake.licences.ofd import sm2_trust

    sm2_trust(config)  # creates the SM2 half of an older dev PKI
    from certgen.pki.sm2_dev import sm2_root_cert

    return sm2_root_cert(config.pki_dir).read_bytes()


def crl_der(config: LicensingConfig, name: str) -> bytes:
    """A dev PKI CRL (``root`` or ``issuing``), served at the distribution point in its certificates."""
    if name not in ("root", "issuing"):
        raise LicenceNotFoundError(f"no CRL named {name!r}")
    ensure_dev_pki(config)
    return (config.pki_dir / "crl" / f"{name}.crl").read_bytes()


def reissue_crls(config: LicensingConfig) -> None:
    refresh_crls(load_dev_pki(config.pki_dir))


def timestamp_authority(config: LicensingConfig) -> TimestampAuthority:
    pki = load_dev_pki(config.pki_dir)
    if not pki.tsa_key.exists():
        raise PkiError("the PKI has no TSA key")
    return TimestampAuthority.from_files(pki.tsa_cert, pki.tsa_key, (pki.issuing_cert,))


def serve_timestamps(config: LicensingConfig, *, port: int = 3161) -> TsaServer:
    """Run the dev TSA over HTTP on loopback (``onceonly pki tsa``)."""
    return serve_tsa(timestamp_authority(config), port=port)
