"""Development PKI (root CA, issuing CA, seal certificates, TSA, CRLs) and an RFC 3161 TSA."""

from certgen.pki.dev import AuthoritySpec, DevPki, PkiError, init_dev_pki, load_dev_pki, refresh_crls
from certgen.pki.tsa import InProcessTimeStamper, TimestampAuthority, TsaServer, serve_tsa

__all__ = [
    "AuthoritySpec", "DevPki", "InProcessTimeStamper", "PkiError", "TimestampAuthority", "TsaServer",
    "init_dev_pki", "load_dev_pki", "refresh_crls", "serve_tsa",
]
